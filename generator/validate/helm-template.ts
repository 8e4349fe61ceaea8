/**
 * `validate --helm` / `check --helm`: renders every Helm source of the Applications with
 * `helm template` (that source's chart, version, release name, namespace and values), as Argo CD
 * does before it applies anything, and attaches the objects to the tree for the chart-output
 * policies. Its own findings, at the Application's file and line:
 * - rule `helm-template`: the chart is unavailable or fails to render, or a value is one no
 *   template of the chart reads (Helm ignores it silently);
 * - rule `schema`: a rendered object fails the schema of its kind (kinds without one in schemas/,
 *   RBAC and webhooks among them, are left to Helm and the API server).
 * Charts come from a local directory laid out like ../shared/istio (`<minor>/charts/<chart dir>`)
 * or `helm pull` from the Application's repoURL.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { availableParallelism } from 'node:os';
import path from 'node:path';
import { loadKubernetesYaml } from './kubernetes-yaml.js';
import type { Finding } from '../findings.js';
import type { FieldPath } from '../findings.js';
import { asObject } from '../json.js';
import { chartSources, normalizeValueReads, unreadValues, valueLocation, type ChartTemplates } from './helm-charts.js';
import { findOnPath } from './kubeconform.js';
import { parseManifestText, type ChartSource, type EnvironmentTree, type ManifestDoc } from './manifests.js';
import { checkDocument, hasSchema, SCHEMA_RULE } from './schema-check.js';

export const HELM_TEMPLATE_RULE = {
  id: 'helm-template',
  description:
    "Every Helm source of an Application renders with `helm template` (its chart, version and values), and sets only values the chart reads.",
  severity: 'error' as const,
  help:
    'With --helm, each Helm source of a rendered Application is rendered with `helm template` and that source\'s chart, version and valuesObject, ' +
    'as Argo CD would. A chart that cannot be found or fails to render, a value no template of the chart reads (Helm ignores it silently), or output ' +
    'Argo CD cannot read is reported at the Application\'s line. Fix the environment (or the chart repository) and re-render.',
};

/** The environment variable naming the helm binary, when neither --helm PATH nor PATH says. */
export const HELM_ENV = 'MESHOPS_HELM';

/**
 * The directory of each Istio chart in Istio's source tree (manifests/charts/...), which is how
 * ../shared/istio/<minor>/charts/ lays them out; the Helm repository publishes istiod as "istiod".
 */
const ISTIO_CHART_DIRS: Readonly<Record<string, string>> = { base: 'base', istiod: 'istio-discovery', gateway: 'gateway' };

export class HelmUnavailableError extends Error {}

export interface HelmOptions {
  /** The helm binary. */
  helm: string;
  /** A directory laid out as <minor>/charts/<chart dir>; without it charts are pulled from their repoURL. */
  charts?: string;
}

/** The helm binary: an explicit path, else $MESHOPS_HELM, else `helm` on PATH. */
export function resolveHelm(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  const named = explicit ?? env[HELM_ENV];
  if (named !== undefined && named !== '') {
    if (!existsSync(named)) throw new HelmUnavailableError(`helm not found at ${named}`);
    return named;
  }
  const found = findOnPath('helm', env.PATH);
  if (!found) throw new HelmUnavailableError(`--helm needs helm v3: none on PATH; pass --helm PATH or set ${HELM_ENV}`);
  return found;
}

/** A chart's directory, its defaults and its templates' text, read once per run. */
interface Chart {
  dir: string;
  defaults: Record<string, unknown>;
  templates: ChartTemplates;
}

/** What one `helm template` gave: the objects and the schema findings about them, or why it failed. */
type HelmOutput =
  | { ok: true; docs: ManifestDoc[]; schemaMessages: string[] }
  | { ok: false; message: (source: ChartSource) => string };

/**
 * Renders the chart sources of each tree and sets `tree.charts`; returns the findings of the
 * rendering itself, tree by tree in source order. Sources that ask for the same render (chart,
 * version, release, namespace and values: a fleet's base chart, a fleet's remotes) are rendered and
 * parsed once, and the distinct renders run side by side on the machine's cores. Pulled charts live
 * in a temporary directory removed before returning.
 */
export async function renderTreeCharts(trees: readonly EnvironmentTree[], options: HelmOptions): Promise<Finding[]> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'meshops-helm-'));
  const charts = new Map<string, Chart | string>();
  const renders = new Map<string, () => Promise<HelmOutput>>();
  try {
    const perTree = trees.map((tree) => {
      const sources = chartSources(tree).map((source) => {
        const key = `${source.repoURL}|${source.chart}|${source.version}`;
        if (!charts.has(key)) charts.set(key, loadChart(source, options, scratch));
        const chart = charts.get(key)!;
        if (typeof chart === 'string') return { source, chart };
        const renderKey = JSON.stringify([key, source.releaseName, source.namespace, source.values]);
        if (!renders.has(renderKey)) renders.set(renderKey, () => renderChart(options.helm, chart.dir, source, scratch));
        return { source, chart, renderKey };
      });
      return { tree, sources };
    });
    const done = new Map(await Promise.all(inParallel([...renders], availableParallelism(), async ([key, run]) => [key, await run()] as const)));

    return perTree.flatMap(({ tree, sources }) => {
      const findings: Finding[] = [];
      tree.charts = [];
      for (const { source, chart, renderKey } of sources) {
        const at = (rule: string, fieldPath: FieldPath, message: string): Finding => ({
          rule,
          severity: 'error',
          message,
          file: source.app.file.path,
          line: source.app.file.lineOf(source.app.index, fieldPath),
          env: tree.name,
          cluster: source.cluster,
        });
        if (typeof chart === 'string') {
          findings.push(at(HELM_TEMPLATE_RULE.id, [...source.path, 'chart'], chart));
          continue;
        }
        for (const unread of unreadValues(source.values, chart.defaults, chart.templates)) {
          findings.push(
            at(
              HELM_TEMPLATE_RULE.id,
              valueLocation(source, unread),
              `the ${source.chart} chart ${source.version} reads no value ${unread.join('.')}: Helm ignores it, so it changes nothing; check its name and place against the chart's values.yaml`,
            ),
          );
        }
        const rendered = done.get(renderKey!)!;
        if (!rendered.ok) {
          findings.push(at(HELM_TEMPLATE_RULE.id, source.valuesPath, rendered.message(source)));
          continue;
        }
        tree.charts.push({ source, docs: rendered.docs });
        for (const message of rendered.schemaMessages) {
          findings.push(at(SCHEMA_RULE.id, source.valuesPath, `the ${source.chart} chart (release ${source.releaseName}) renders ${message}`));
        }
      }
      return findings;
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** helm template of one source, parsed and schema-checked; the messages name no source, so a render serves all that ask for it. */
async function renderChart(helm: string, chartDir: string, source: ChartSource, scratch: string): Promise<HelmOutput> {
  const rendered = await helmTemplate(helm, chartDir, source, scratch);
  if (!rendered.ok) return { ok: false, message: (s) => `helm template of the ${s.chart} chart ${s.version} (release ${s.releaseName}) fails: ${rendered.error}` };
  const file = parseManifestText(rendered.output, `${source.app.file.path} (${source.chart} ${source.releaseName})`);
  if (file.parseError) {
    // e.g. a label set through values that the chart also sets: a duplicate key Argo CD refuses.
    const reason = file.parseError.message;
    return { ok: false, message: (s) => `the ${s.chart} chart (release ${s.releaseName}) renders YAML Argo CD cannot read: ${reason}` };
  }
  const schemaMessages = file.docs.filter((d) => hasSchema(d.apiVersion, d.kind)).flatMap((doc) => checkDocument(doc).map((f) => f.message));
  return { ok: true, docs: file.docs, schemaMessages };
}

/** Runs `task` over `items`, at most `limit` at a time; results in the items' order. */
function inParallel<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R>[] {
  let running = 0;
  const waiting: (() => void)[] = [];
  return items.map(async (item) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task(item);
    } finally {
      running--;
      waiting.shift()?.();
    }
  });
}

/** The chart of a source, or why there is none. */
function loadChart(source: ChartSource, options: HelmOptions, scratch: string): Chart | string {
  let dir: string;
  if (options.charts !== undefined) {
    const minor = /^(\d+\.\d+)\./.exec(source.version)?.[1];
    if (!minor) return `chart version "${source.version}" names no minor version to find under ${options.charts}`;
    dir = path.join(options.charts, minor, 'charts', ISTIO_CHART_DIRS[source.chart] ?? source.chart);
    if (!existsSync(path.join(dir, 'Chart.yaml'))) return `no chart ${source.chart} for ${minor} in ${options.charts} (looked for ${dir})`;
  } else {
    const into = mkdtempSync(path.join(scratch, 'pull-'));
    const pulled = spawnSync(options.helm, ['pull', source.chart, '--repo', source.repoURL, '--version', source.version, '--untar', '--untardir', into], {
      encoding: 'utf8',
    });
    if (pulled.error || pulled.status !== 0) return `helm pull ${source.chart} ${source.version} from ${source.repoURL} fails: ${firstLines(pulled.stderr || String(pulled.error))}`;
    dir = path.join(into, source.chart);
  }
  let defaults: Record<string, unknown> = {};
  try {
    defaults = asObject(loadKubernetesYaml(readFileSync(path.join(dir, 'values.yaml'), 'utf8'))) ?? {};
  } catch {
    // no values.yaml, or unreadable: helm template says what is wrong with the chart
  }
  const texts = ['templates', 'files'].flatMap((d) => textsBelow(path.join(dir, d)));
  const text = (files: typeof texts) => normalizeValueReads(files.map((f) => f.text).join('\n'));
  return {
    dir,
    defaults,
    templates: { all: text(texts.filter((f) => f.name !== NOTES)), consumers: text(texts.filter((f) => f.name !== NOTES && !PROFILE_MERGE.has(f.name))) },
  };
}

/** NOTES.txt only prints what it reads. */
const NOTES = 'NOTES.txt';
/**
 * Istio's profile merging (1.24 on): zzz_profile.yaml reads `profile` and `platform`, but reads
 * `global` and the rest whole only to merge the profile's defaults under them. (Its neighbour
 * zzy_descope_legacy.yaml copies `pilot` to the top level: `pilot` counts as read whole.)
 */
const PROFILE_MERGE = new Set(['zzz_profile.yaml']);

function textsBelow(dir: string): { name: string; text: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
    .map((f) => ({ name: path.basename(f), text: readFileSync(f, 'utf8') }));
}

function helmTemplate(helm: string, chartDir: string, source: ChartSource, scratch: string): Promise<{ ok: true; output: string } | { ok: false; error: string }> {
  const valuesFile = path.join(mkdtempSync(path.join(scratch, 'values-')), 'values.json');
  writeFileSync(valuesFile, JSON.stringify(source.values));
  return new Promise((resolve) => {
    execFile(
      helm,
      ['template', source.releaseName, chartDir, '--namespace', source.namespace, '--values', valuesFile],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, output: stdout });
        const code = (error as NodeJS.ErrnoException).code;
        resolve({ ok: false, error: typeof code === 'number' ? firstLines(stderr) : error.message });
      },
    );
  });
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' ').slice(0, 400) || '(no message)';
}
