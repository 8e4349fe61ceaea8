/**
 * `npm run pr-check`: everything the pull-request workflow (.github/workflows/pr.yml) checks, runnable
 * the same way on a laptop. The workflow only installs tools and calls this.
 *
 *   npm run pr-check -- [--base GITREF] [--sarif FILE] [--summary FILE] [--charts DIR]
 *
 * 1. `meshops check [--base GITREF] --helm [--charts DIR]`: rendered/ is what environments/ renders
 *    to, and it validates, the Applications' Helm charts rendered with helm template included
 *    (without helm on PATH or in $MESHOPS_HELM, --helm is left out with a note); printed as
 *    workflow annotations under GitHub Actions, compiler-style otherwise; --sarif also writes the
 *    SARIF report the workflow uploads to code scanning.
 * 2. `kubectl kustomize` of every rendered/<env>/clusters/<cluster>: what Argo CD syncs must build.
 * 3. kubeconform -strict over each build with the project's schemas (skipped, with a note, when
 *    kubeconform is not installed; skipped with step 2 when kubectl is not).
 * 4. A job summary a reviewer reads top down: the plan (what the change does to the running mesh,
 *    against the merge base with --base, else HEAD) and the topology of each environment it
 *    changes in Mermaid, which GitHub draws; then the findings, root causes first; the steps; which
 *    clusters changed: to $GITHUB_STEP_SUMMARY, --summary FILE, or else stdout.
 *
 * Exit: 0 all passed, 1 findings or a failed build, 2 usage (or a tool that fails to run).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../generator/cli.js';
import { check } from '../generator/commands/check.js';
import { graph } from '../generator/commands/graph.js';
import { mermaidMarkdown } from '../generator/graph/mermaid.js';
import { plan, type Plan } from '../generator/commands/plan.js';
import { reportTool } from '../generator/commands/rules.js';
import { hasErrors, type Finding } from '../generator/findings.js';
import { markdownTable } from '../generator/markdown.js';
import { formatPlan } from '../generator/plan/format.js';
import { formatFindings, reportOrder } from '../generator/report/format.js';
import { findOnPath, KUBECONFORM, KubeconformError, runKubeconform, withSchemaLocation, type KubeconformTarget } from '../generator/validate/kubeconform.js';
import { HELM_ENV } from '../generator/validate/helm-template.js';
import { loadTrees } from '../generator/validate/manifests.js';
import { CLUSTERS_DIR, RENDERED_DIR } from '../generator/layout.js';

export interface PrCheckOptions {
  cwd: string;
  base?: string;
  /** Charts laid out as <minor>/charts/<chart> (e.g. ../shared/istio); else helm pulls them from the repoURL. */
  charts?: string;
  sarif?: string;
  summary?: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface Step {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  detail: string;
}

interface ClusterBuild {
  env: string;
  cluster: string;
  /** Repository-relative kustomize root. */
  dir: string;
  output?: string;
  error?: string;
}

function kustomizeBuilds(options: PrCheckOptions, kubectl: string): ClusterBuild[] {
  return loadTrees(RENDERED_DIR, options.cwd).flatMap((tree) =>
    tree.clusters.map((cluster) => {
      const result = spawnSync(kubectl, ['kustomize', cluster.dir], { cwd: options.cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const failure = result.error?.message ?? (result.status !== 0 ? result.stderr.trim() || `exit ${result.status}` : undefined);
      return { env: tree.name, cluster: cluster.name, dir: cluster.dir, ...(failure ? { error: failure } : { output: result.stdout }) };
    }),
  );
}

/** kubeconform over the builds, each written to a file named after its cluster; findings point into the cluster's rendered files. */
function kubeconformBuilds(options: PrCheckOptions, bin: string, builds: readonly ClusterBuild[]): Finding[] {
  const sources = new Map(loadTrees(RENDERED_DIR, options.cwd).flatMap((tree) => tree.clusters.map((c) => [c.dir, c.files] as const)));
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'meshops-pr-check-'));
  try {
    const targets: KubeconformTarget[] = builds.flatMap((build) => {
      if (build.output === undefined) return [];
      const input = path.join(scratch, build.env, `${build.cluster}.yaml`);
      mkdirSync(path.dirname(input), { recursive: true });
      writeFileSync(input, build.output);
      return [{ input, sources: sources.get(build.dir) ?? [], display: build.dir, env: build.env, cluster: build.cluster }];
    });
    return withSchemaLocation((schemaLocation) => runKubeconform({ bin, schemaLocation, cwd: options.cwd }, targets));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function git(cwd: string, args: string[]): string | undefined {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return result.status === 0 ? result.stdout : undefined;
}

/**
 * Files under rendered/ that differ between the working tree and the merge base with `base` (HEAD
 * without one), untracked ones included, grouped by environment and cluster (or top directory).
 */
export function changedClusters(cwd: string, base: string | undefined): Map<string, string[]> | string {
  if (git(cwd, ['rev-parse', '--is-inside-work-tree'])?.trim() !== 'true') return 'not a git checkout: changed clusters unknown';
  const since = base ? git(cwd, ['merge-base', base, 'HEAD'])?.trim() : 'HEAD';
  if (!since) return `no merge base with ${base}: changed clusters unknown (fetch it, e.g. actions/checkout with fetch-depth: 0)`;
  const tracked = git(cwd, ['diff', '--name-only', since, '--', RENDERED_DIR]) ?? '';
  const untracked = git(cwd, ['ls-files', '--others', '--exclude-standard', '--', RENDERED_DIR]) ?? '';
  const groups = new Map<string, string[]>();
  for (const file of [...new Set([...tracked.split('\n'), ...untracked.split('\n')])].filter(Boolean).sort()) {
    const [, env, top, name, ...rest] = file.split('/');
    if (!env || !top) continue;
    // A cluster, else the environment's directory (argocd/, vms/, asm/) or top-level file (MIGRATION.md).
    const key = top === CLUSTERS_DIR && name ? `${env}\t${name}` : `${env}\t${name === undefined && rest.length === 0 ? top : `${top}/`}`;
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  return groups;
}

/**
 * What the pull request does to the mesh: the plan against the merge base (HEAD without --base),
 * and the topology of every environment it adds or changes. A string says why there is none.
 */
async function planSection(options: PrCheckOptions): Promise<{ plan: Plan; pictures: { env: string; mermaid: string }[] } | string> {
  let base = 'HEAD';
  if (options.base) {
    const mergeBase = git(options.cwd, ['merge-base', options.base, 'HEAD'])?.trim();
    if (!mergeBase) return `no merge base with ${options.base}: nothing to plan against (fetch it, e.g. actions/checkout with fetch-depth: 0)`;
    base = mergeBase;
  }
  const result = await plan({ cwd: options.cwd, base });
  if (result.kind === 'usage') return `no plan: ${result.message}`;
  let planned = result.plan;
  if (options.base) planned = { ...planned, base: { ...planned.base, ref: `merge base with ${options.base}` } };
  const pictures: { env: string; mermaid: string }[] = [];
  for (const e of planned.environments.filter((p) => p.status === 'added' || p.status === 'changed')) {
    const drawn = await graph({ cwd: options.cwd, env: e.env, format: 'mermaid' });
    if (drawn.kind === 'drawn') pictures.push({ env: e.env, mermaid: drawn.text });
  }
  return { plan: planned, pictures };
}

function summaryMarkdown(
  steps: readonly Step[],
  findings: readonly Finding[],
  planned: Awaited<ReturnType<typeof planSection>>,
  changed: Map<string, string[]> | string,
  base: string | undefined,
): string {
  const lines = ['## meshops PR check', ''];
  if (typeof planned === 'string') lines.push(planned, '');
  else {
    lines.push(formatPlan(planned.plan, 'markdown'));
    for (const { env, mermaid } of planned.pictures) lines.push(`### Topology of ${env} after this change`, '', mermaidMarkdown(mermaid, env));
  }
  lines.push(`### Findings (${findings.length})`, '');
  if (findings.length === 0) lines.push('None.');
  else {
    // Root causes first: a rendered file that differs from its environment explains the other findings in it.
    const where = (f: Finding) => [f.file ?? '', f.line].filter((p) => p !== undefined && p !== '').join(':');
    lines.push(
      markdownTable(
        ['severity', 'rule', 'where', 'message'],
        reportOrder(findings).map(({ finding: f, explainedBy }) => [f.severity, explainedBy ? `↳ ${f.rule} (follows from ${explainedBy.rule})` : f.rule, where(f), f.message]),
      ),
    );
  }
  lines.push('', '### Steps', '', markdownTable(['step', 'result'], steps.map((s) => [s.name, `${s.status}${s.detail ? `: ${s.detail}` : ''}`])));
  lines.push('', `### Changed clusters (against ${base ?? 'HEAD'})`, '');
  if (typeof changed === 'string') lines.push(changed);
  else if (changed.size === 0) lines.push(`Nothing under ${RENDERED_DIR}/ changed.`);
  else {
    lines.push('| environment | cluster | files |', '|---|---|---|');
    for (const [key, files] of changed) {
      const [env, what] = key.split('\t');
      lines.push(`| ${env} | ${what} | ${files.length} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function runPrCheck(options: PrCheckOptions): Promise<number> {
  const steps: Step[] = [];
  const findings: Finding[] = [];
  const inActions = options.env.GITHUB_ACTIONS === 'true';
  const problem = (text: string) => options.stderr(inActions ? `::error::${text.replace(/\n/g, '%0A')}\n` : `pr-check: ${text}\n`);
  const note = (text: string) => options.stderr(inActions ? `::notice::${text}\n` : `pr-check: ${text}\n`);

  const helm = Boolean(options.env[HELM_ENV]) || findOnPath('helm', options.env.PATH) !== undefined;
  if (!helm) note('helm is not installed: the Applications\' Helm charts are not rendered (the pull-request workflow installs a pinned release)');
  const checkName = `meshops check${options.base ? ` --base ${options.base}` : ''}${helm ? ' --helm' : ''}`;
  // The same function `meshops check` calls; every output format is made from its findings.
  const checked = await check({ cwd: options.cwd, base: options.base, helm: helm ? { env: options.env, charts: options.charts } : undefined });
  if (checked.kind === 'usage') {
    options.stderr(`meshops: ${checked.message}\n`);
    return EXIT_USAGE;
  }
  findings.push(...checked.findings);
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const counted = (list: readonly Finding[]) =>
    `${count(list.filter((f) => f.severity === 'error').length, 'error')}, ${count(list.filter((f) => f.severity === 'warning').length, 'warning')}`;
  steps.push({ name: checkName, status: hasErrors(checked.findings) ? 'failed' : 'passed', detail: counted(checked.findings) });

  const kubectl = findOnPath('kubectl', options.env.PATH);
  const kubeconform = findOnPath(KUBECONFORM, options.env.PATH);
  if (!kubectl) {
    note('kubectl is not installed: kustomize builds and kubeconform skipped');
    steps.push({ name: 'kubectl kustomize', status: 'skipped', detail: 'kubectl is not installed' });
    steps.push({ name: 'kubeconform -strict', status: 'skipped', detail: 'needs the kustomize builds' });
  } else {
    const builds = kustomizeBuilds(options, kubectl);
    const broken = builds.filter((b) => b.error !== undefined);
    for (const b of broken) problem(`kubectl kustomize ${b.dir} failed: ${b.error}`);
    steps.push({
      name: `kubectl kustomize (${builds.length} cluster directories)`,
      status: broken.length ? 'failed' : 'passed',
      detail: broken.length ? `${broken.map((b) => b.dir).join(', ')} do not build` : '',
    });
    if (!kubeconform) {
      note('kubeconform is not installed: its cross-check is skipped (the pull-request workflow installs a pinned release)');
      steps.push({ name: 'kubeconform -strict', status: 'skipped', detail: 'kubeconform is not installed' });
    } else {
      let schemaFindings: Finding[];
      try {
        schemaFindings = kubeconformBuilds(options, kubeconform, builds);
      } catch (e) {
        if (!(e instanceof KubeconformError)) throw e;
        problem(e.message);
        return EXIT_USAGE;
      }
      findings.push(...schemaFindings);
      steps.push({ name: 'kubeconform -strict', status: hasErrors(schemaFindings) ? 'failed' : 'passed', detail: counted(schemaFindings) });
    }
  }

  // Annotations (or compiler-style lines) for every finding, kubeconform's included.
  const format = inActions ? 'github' : 'text';
  (format === 'text' ? options.stderr : options.stdout)(formatFindings(findings, format, reportTool()));
  if (options.sarif) writeFileSync(path.resolve(options.cwd, options.sarif), formatFindings(findings, 'sarif', reportTool()));

  const summary = summaryMarkdown(steps, findings, await planSection(options), changedClusters(options.cwd, options.base), options.base);
  // GitHub's step summary collects every step's output, so it is appended to; --summary FILE is ours.
  if (options.summary) writeFileSync(path.resolve(options.cwd, options.summary), summary);
  else if (options.env.GITHUB_STEP_SUMMARY) appendFileSync(options.env.GITHUB_STEP_SUMMARY, summary);
  else options.stdout(`\n${summary}`);
  return steps.some((s) => s.status === 'failed') ? EXIT_FINDINGS : EXIT_OK;
}

async function main(argv: string[]): Promise<number> {
  let values: { base?: string; sarif?: string; summary?: string; charts?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { base: { type: 'string' }, sarif: { type: 'string' }, summary: { type: 'string' }, charts: { type: 'string' } } }));
  } catch (e) {
    process.stderr.write(`pr-check: ${(e as Error).message}\nusage: npm run pr-check -- [--base GITREF] [--sarif FILE] [--summary FILE] [--charts DIR]\n`);
    return EXIT_USAGE;
  }
  return runPrCheck({
    cwd: process.cwd(),
    ...values,
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
