/**
 * `meshops graph --env NAME [--format mermaid|dot]`: one environment's topology as a picture.
 * Loads and validates the environment (input errors are findings, exit 1), then draws its graph.
 */
import type { Finding } from '../findings.js';
import { drawGraph, type GraphFormat } from '../graph/formats.js';
import { meshGraph } from '../graph/mesh-graph.js';
import { ENVIRONMENTS_DIR } from '../layout.js';
import { discoverEnvironments, loadEnvironment } from '../load/environments.js';
import { GENERATOR_RULES } from './rules.js';
import { usageError, type UsageError } from './usage.js';

export interface GraphOptions {
  /** The repository root (holds environments/). */
  cwd: string;
  env: string;
  format: GraphFormat;
}

/** No such environment is a usage error, naming the environments there are. */
export type GraphResult = UsageError | { kind: 'invalid'; findings: Finding[] } | { kind: 'drawn'; text: string };

export async function graph(options: GraphOptions): Promise<GraphResult> {
  const known = discoverEnvironments(options.cwd).names;
  if (!known.includes(options.env)) {
    return usageError(`no environment "${options.env}" in ${ENVIRONMENTS_DIR}/ (${known.length ? `there are: ${known.join(', ')}` : 'there are none'})`);
  }
  const loaded = await loadEnvironment(options.cwd, options.env, GENERATOR_RULES.input);
  if (!loaded.ok) return { kind: 'invalid', findings: loaded.findings.map((f) => ({ ...f, env: options.env })) };
  return { kind: 'drawn', text: drawGraph(meshGraph(loaded.env.model), options.format) };
}
