/**
 * `meshops validate [PATH]...`: schema and policy checks over rendered trees or any directory of
 * manifests. Reads manifests only: the model (zod), the loader and the renderers are imported just
 * for an environment whose mesh file may set spec.policies.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import type { Finding } from '../findings.js';
import { environmentDir, isEnvironmentName, MESH_JSONNET_FILE, MESH_YAML_FILE, RENDERED_DIR } from '../layout.js';
import { validateTrees } from '../validate/engine.js';
import { KubeconformError, validateTreesWithKubeconform } from '../validate/kubeconform.js';
import { loadTrees, UnreadablePathError, type EnvironmentTree } from '../validate/manifests.js';
import type { SeveritySetting } from '../validate/policy.js';
import { policies } from '../../policies/index.js';
import { usageError, type UsageError } from './usage.js';

export interface ValidateOptions {
  cwd: string;
  /** What to validate; none means rendered/. */
  paths: readonly string[];
  /** Also run kubeconform from this PATH (when it is there) over the same files. */
  kubeconform?: { pathVariable: string | undefined; note: (text: string) => void };
}

export type ValidateResult = UsageError | { kind: 'checked'; findings: Finding[]; trees: EnvironmentTree[] };

export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  let trees: EnvironmentTree[];
  try {
    trees = (options.paths.length ? options.paths : [RENDERED_DIR]).flatMap((p) => loadTrees(p, options.cwd));
  } catch (e) {
    if (!(e instanceof UnreadablePathError)) throw e;
    return usageError(e.message);
  }
  const findings = validateTrees(trees, { policies, overrides: await severityOverrides(options.cwd, trees) });
  if (options.kubeconform) {
    try {
      findings.push(...validateTreesWithKubeconform(trees, { cwd: options.cwd, pathVariable: options.kubeconform.pathVariable, note: options.kubeconform.note }));
    } catch (e) {
      if (!(e instanceof KubeconformError)) throw e;
      return usageError(e.message);
    }
  }
  return { kind: 'checked', findings, trees };
}

async function severityOverrides(cwd: string, trees: readonly EnvironmentTree[]): Promise<Map<string, Record<string, SeveritySetting>>> {
  const overrides = new Map<string, Record<string, SeveritySetting>>();
  for (const tree of trees) {
    if (!maySetPolicies(cwd, tree.name)) continue;
    const { loadEnvironment } = await import('../load/environments.js');
    const loaded = await loadEnvironment(cwd, tree.name);
    if (loaded.ok) overrides.set(tree.name, loaded.env.model.spec.policies);
  }
  return overrides;
}

/**
 * Whether environments/<name>/ may set spec.policies. Most environments set none, and a plain
 * js-yaml read says so at a fraction of the cost of loading and validating the model; Jsonnet, and
 * YAML js-yaml cannot read, go through the full load, which has the last word.
 */
function maySetPolicies(cwd: string, name: string): boolean {
  // Not an environment, or none by that name: the full load would find no overrides either.
  if (!isEnvironmentName(name)) return false;
  const dir = path.join(cwd, environmentDir(name));
  if (existsSync(path.join(dir, MESH_JSONNET_FILE))) return true;
  let text: string;
  try {
    text = readFileSync(path.join(dir, MESH_YAML_FILE), 'utf8');
  } catch {
    return false;
  }
  try {
    return (jsYaml.load(text) as { spec?: { policies?: unknown } } | null)?.spec?.policies !== undefined;
  } catch {
    return true;
  }
}
