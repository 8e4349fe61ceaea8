/**
 * `meshops render`: load and validate the environments, then write rendered/<env>/. On any input
 * error nothing is written.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../findings.js';
import { ENVIRONMENTS_DIR, RENDERED_DIR } from '../layout.js';
import { renderInMemory } from '../pipeline.js';
import type { WriterFs } from '../write/file-system.js';
import { RenderedTreeError, writeRendered, type WriteReport } from '../write/rendered-tree.js';
import { GENERATOR_RULES } from './rules.js';
import { usageError, type UsageError } from './usage.js';

export interface RenderOptions {
  /** The repository root. */
  cwd: string;
  /** Environments to render; none means all, and then directories of vanished environments are removed. */
  envs: readonly string[];
  /** What rendered/ is written with (node:fs by default). */
  fs?: WriterFs;
}

export type RenderResult = UsageError | { kind: 'invalid'; findings: Finding[] } | ({ kind: 'rendered' } & WriteReport);

export async function render(options: RenderOptions): Promise<RenderResult> {
  // A full render prunes rendered/ down to the environments it finds: run outside the
  // repository root, it would find none and delete every rendered environment.
  if (!existsSync(path.join(options.cwd, ENVIRONMENTS_DIR))) {
    return usageError(`no ${ENVIRONMENTS_DIR}/ directory in ${options.cwd}; run meshops from the repository root`);
  }
  const result = await renderInMemory(options.cwd, GENERATOR_RULES, options.envs);
  if (!result.ok) return { kind: 'invalid', findings: result.findings };
  try {
    return { kind: 'rendered', ...writeRendered(options.cwd, result.mesh.outputs, options.envs.length === 0, options.fs) };
  } catch (e) {
    // rendered/ refused or unwritable (a link, a lock held too long, a failed move): exit 1, said where.
    if (!(e instanceof RenderedTreeError)) throw e;
    return { kind: 'invalid', findings: [{ rule: 'input', severity: 'error', file: RENDERED_DIR, message: e.message }] };
  }
}
