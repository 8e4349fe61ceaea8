/**
 * `meshops validate [PATH]...`: schema and policy checks over rendered trees or any directory of
 * manifests. Reads manifests only: the model (zod), the loader and the renderers are imported just
 * for an environment whose mesh file may set spec.policies.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../findings.js';
import { readRegularFile } from '../fs/read-regular.js';
import { asObject } from '../json.js';
import { isEnvironmentName, RENDERED_DIR } from '../layout.js';
import { locateMeshFile, MAX_INPUT_BYTES } from '../load/environment-files.js';
import { plainYamlData } from '../load/plain-yaml.js';
import { validateTrees } from '../validate/engine.js';
import { KubeconformError, validateTreesWithKubeconform } from '../validate/kubeconform.js';
import { clusterCount, environmentDirs, loadTrees, UnreadablePathError, type EnvironmentTree } from '../validate/manifests.js';
import type { SeveritySetting } from '../validate/policy.js';
import { inputRules, policies } from '../../policies/index.js';
import { checkedIn, type Checked } from './checked.js';
import { checkEnvironmentDirs, workersFor } from './validate-parallel.js';
import { chartFindings, type HelmOption } from './helm.js';
import { usageError, type UsageError } from './usage.js';

export interface ValidateOptions {
  cwd: string;
  /** What to validate; none means rendered/. */
  paths: readonly string[];
  /** Also run kubeconform from this PATH (when it is there) over the same files. */
  kubeconform?: { pathVariable: string | undefined; note: (text: string) => void };
  /** Also render every Application's Helm charts with helm template and check what they render. */
  helm?: HelmOption;
  /** Worker threads beside this one for a directory of rendered environments (by default as its size and the machine's idle cores say). */
  workers?: number;
}

export type ValidateResult = UsageError | { kind: 'checked'; findings: Finding[]; checked: Checked };

export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const targets = options.paths.length ? options.paths : [RENDERED_DIR];
  // A directory of rendered environments is checked one environment at a time, each tree let go
  // once checked, and on both cores when it is large; --helm and --kubeconform need every tree.
  if (targets.length === 1 && !options.helm && !options.kubeconform) {
    let dirs: string[] | undefined;
    try {
      dirs = environmentDirs(targets[0]!, options.cwd);
    } catch (e) {
      if (!(e instanceof UnreadablePathError)) throw e;
      return usageError(e.message);
    }
    if (dirs) return validateByEnvironment(options.cwd, targets[0]!, dirs, options.workers ?? workersFor(dirs.reduce((n, dir) => n + clusterCount(dir), 0)));
  }
  const trees: EnvironmentTree[] = [];
  for (const target of targets) {
    let found: EnvironmentTree[];
    try {
      found = loadTrees(target, options.cwd);
    } catch (e) {
      if (!(e instanceof UnreadablePathError)) throw e;
      return usageError(e.message);
    }
    // Nothing to check is not a pass: a CI job pointed at the wrong directory must not stay green.
    if (checkedIn(found).files === 0) return usageError(nothingToCheck(options.cwd, target));
    trees.push(...found);
  }
  // Before the policies: the chart-output ones read what helm rendered (tree.charts).
  const charts = options.helm ? await chartFindings(options.cwd, trees, options.helm) : [];
  if (!Array.isArray(charts)) return charts;
  const lookupFindings: Finding[] = [];
  const overrides = await severityOverrides(options.cwd, trees.map((t) => t.name), lookupFindings);
  const findings = [...lookupFindings, ...charts, ...validateTrees(trees, { policies, overrides })];
  if (options.kubeconform) {
    try {
      findings.push(...validateTreesWithKubeconform(trees, { cwd: options.cwd, pathVariable: options.kubeconform.pathVariable, note: options.kubeconform.note }));
    } catch (e) {
      if (!(e instanceof KubeconformError)) throw e;
      return usageError(e.message);
    }
  }
  return { kind: 'checked', findings, checked: checkedIn(trees) };
}

/** The run below over rendered environment directories, environment by environment: the same findings in the same order. */
async function validateByEnvironment(cwd: string, target: string, dirs: readonly string[], workers: number): Promise<ValidateResult> {
  const lookupFindings: Finding[] = [];
  const overrides = await severityOverrides(cwd, dirs.map((dir) => path.basename(dir)), lookupFindings);
  const outcomes = await checkEnvironmentDirs(dirs, cwd, (dir) => overrides.get(path.basename(dir)), workers);
  const checked: Checked = { environments: dirs.length, clusters: 0, files: 0 };
  for (const outcome of outcomes) {
    checked.clusters += outcome.clusters;
    checked.files += outcome.files;
  }
  if (checked.files === 0) return usageError(nothingToCheck(cwd, target));
  return { kind: 'checked', findings: [...lookupFindings, ...outcomes.flatMap((o) => o.findings)], checked };
}

function nothingToCheck(cwd: string, target: string): string {
  const loose = readdirSync(path.resolve(cwd, target), { withFileTypes: true }).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).length;
  return (
    `${target}: nothing to check: no manifests in cluster directories. validate takes ${RENDERED_DIR}/, one rendered environment (holding clusters/), ` +
    'or a directory whose subdirectories are clusters (all YAML below each)' +
    (loose > 0 ? `; the ${loose} YAML file${loose === 1 ? '' : 's'} directly in ${target} belong in a subdirectory per cluster` : '')
  );
}

/**
 * spec.policies of each validated environment that has one. An environment found the way render
 * finds it but broken (a dangling or escaping mesh file, an unreadable directory) is reported: its
 * severities cannot be known, so its findings cannot be trusted as given.
 */
async function severityOverrides(cwd: string, names: readonly string[], findings: Finding[]): Promise<Map<string, Record<string, SeveritySetting>>> {
  const overrides = new Map<string, Record<string, SeveritySetting>>();
  for (const name of names) {
    const may = maySetPolicies(cwd, name);
    if (may !== true) {
      if (may) findings.push(...may.map((f) => ({ ...f, env: name })));
      continue;
    }
    const { loadEnvironment } = await import('../load/environments.js');
    const loaded = await loadEnvironment(cwd, name, inputRules);
    if (loaded.ok) overrides.set(name, loaded.env.model.spec.policies);
  }
  return overrides;
}

/**
 * Whether environments/<name>/ may set spec.policies (or the findings that keep it from being
 * read). Most environments set none, and the loader's fast reading of a plain file says so at a
 * fraction of the cost of loading and validating the model; the full load has the last word on
 * any other file. Jsonnet must be evaluated to know, inside the loader's evaluation budget.
 */
function maySetPolicies(cwd: string, name: string): boolean | Finding[] {
  // Not an environment, or none by that name: the full load would find no overrides either.
  if (!isEnvironmentName(name)) return false;
  const lookup = locateMeshFile(cwd, name);
  if (!lookup.ok) return lookup.absent ? false : lookup.findings;
  if (lookup.mesh.jsonnet) return true;
  const read = readRegularFile(lookup.mesh.abs, MAX_INPUT_BYTES);
  if (!read.ok) return [{ rule: 'input', severity: 'error', file: lookup.mesh.file, message: `the mesh file: ${read.reason}` }];
  if (!mayHoldKey(read.text, 'policies')) return false;
  // A plain file is read as the loader reads it; any other goes through the full load.
  const data = plainYamlData(read.text);
  return data === undefined || asObject(data.spec)?.policies !== undefined;
}

/**
 * Whether YAML `text` may have a mapping key `key` (a plain word): the key's letters are in the text
 * unless an escape of a double-quoted scalar spells them (a backslash); no other YAML syntax makes a
 * key out of other characters (a folded or multi-line key gains a space). Saves parsing a large
 * mesh file that sets no policies, the common case.
 */
export function mayHoldKey(text: string, key: string): boolean {
  return text.includes(key) || text.includes('\\');
}
