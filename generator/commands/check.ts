/**
 * `meshops check [--base GITREF]`: what a pull-request check runs. Renders in memory (the
 * generator), compares with rendered/ on disk (rule rendered-up-to-date), validates rendered/ (the
 * validator), and with a base revision checks migration transitions. It composes both halves, so
 * it lives here and not in either.
 */
import type { Finding } from '../findings.js';
import { ENVIRONMENTS_DIR, MESH_YAML_FILE, renderedEnvironmentDir } from '../layout.js';
import { renderInMemory } from '../pipeline.js';
import { validateTrees } from '../validate/engine.js';
import { loadTrees, type EnvironmentTree } from '../validate/manifests.js';
import { compareWithDisk } from '../write/up-to-date.js';
import { policies } from '../../policies/index.js';
import { GENERATOR_RULES } from './rules.js';
import { BaseRevisionError, checkTransitions, resolveBase } from './transitions.js';
import { checkedIn, type Checked } from './checked.js';
import { chartFindings, type HelmOption } from './helm.js';
import { usageError, type UsageError } from './usage.js';

export interface CheckOptions {
  cwd: string;
  /** A git revision whose environments the migration transitions are checked against. */
  base?: string;
  /** Also render every Application's Helm charts with helm template and check what they render. */
  helm?: HelmOption;
}

export type CheckResult = UsageError | { kind: 'invalid'; findings: Finding[] } | { kind: 'checked'; findings: Finding[]; trees: EnvironmentTree[]; checked: Checked };

export async function check(options: CheckOptions): Promise<CheckResult> {
  const { cwd, base } = options;
  let baseCommit: string | undefined;
  if (base !== undefined) {
    try {
      baseCommit = resolveBase(cwd, base);
    } catch (e) {
      if (!(e instanceof BaseRevisionError)) throw e;
      return usageError(e.message);
    }
  }
  const result = await renderInMemory(cwd, GENERATOR_RULES);
  if (!result.ok) return { kind: 'invalid', findings: result.findings };
  if (result.mesh.environments.length === 0) {
    return usageError(`nothing to check: no environment under ${ENVIRONMENTS_DIR}/ (${ENVIRONMENTS_DIR}/<env>/${MESH_YAML_FILE}); run meshops from the repository root`);
  }
  const drift = compareWithDisk(cwd, result.mesh.outputs, true);
  const trees = result.mesh.outputs.flatMap((o) => {
    try {
      return loadTrees(renderedEnvironmentDir(o.env), cwd);
    } catch {
      return []; // not rendered yet: already reported as missing files
    }
  });
  const overrides = new Map(result.mesh.environments.map((e) => [e.name, e.model.spec.policies]));
  // Before the policies: the chart-output ones read what helm rendered (tree.charts).
  const charts = options.helm ? await chartFindings(cwd, trees, options.helm) : [];
  if (!Array.isArray(charts)) return charts;
  const findings = [...drift, ...charts, ...validateTrees(trees, { policies, overrides })];
  if (baseCommit !== undefined) findings.push(...(await checkTransitions(cwd, base!, baseCommit, result.mesh.environments, policies)));
  return { kind: 'checked', findings, trees, checked: checkedIn(trees) };
}
