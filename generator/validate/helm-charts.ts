/**
 * What Argo CD will apply from Helm: the chart sources of the Applications in a tree, and the
 * objects `helm template` renders from them (helm-template.ts runs helm). Pure: the chart-output
 * policies (helm-gateway-network, helm-istiod-values, helm-duplicate-object) read `charts` of an
 * EnvironmentTree, present only when validate/check run with --helm.
 */
import { loadKubernetesYaml } from './kubernetes-yaml.js';
import type { FieldPath } from '../findings.js';
import { CLUSTER_LABEL } from '../istio/labels.js';
import { asArray, asObject, get } from '../json.js';
import type { ChartSource, EnvironmentTree, JsonObject, ManifestDoc } from './manifests.js';


export function isApplication(doc: ManifestDoc): boolean {
  return doc.kind === 'Application' && doc.apiVersion.startsWith('argoproj.io/');
}

/** The sources of an Application with their paths: spec.sources[] or spec.source. */
export function applicationSources(app: ManifestDoc): { source: JsonObject; path: FieldPath }[] {
  const many = asArray(get(app.object, ['spec', 'sources']));
  if (many.length > 0) return many.flatMap((s, i) => (asObject(s) ? [{ source: asObject(s)!, path: ['spec', 'sources', i] }] : []));
  const one = asObject(get(app.object, ['spec', 'source']));
  return one ? [{ source: one, path: ['spec', 'source'] }] : [];
}

/** The cluster an Application deploys: meshops' cluster label, or a Git source .../clusters/<name>. */
export function applicationCluster(app: ManifestDoc): string | undefined {
  const label = asObject(get(app.object, ['metadata', 'labels']))?.[CLUSTER_LABEL];
  if (typeof label === 'string') return label;
  for (const { source } of applicationSources(app)) {
    const segments = typeof source.path === 'string' ? source.path.split('/').filter((s) => s !== '' && s !== '.') : [];
    if (segments.length >= 2 && segments[segments.length - 2] === 'clusters') return segments[segments.length - 1];
  }
  return undefined;
}

/**
 * Every Helm chart source of the environment's Applications. A `values` string that is not a YAML
 * map is passed as no values (Argo CD itself reports it at sync).
 */
export function chartSources(env: EnvironmentTree): ChartSource[] {
  const out: ChartSource[] = [];
  for (const app of env.shared.flatMap((f) => f.docs).filter(isApplication)) {
    const namespace = get(app.object, ['spec', 'destination', 'namespace']);
    for (const { source, path } of applicationSources(app)) {
      if (typeof source.chart !== 'string' || typeof source.repoURL !== 'string') continue;
      const helm = asObject(source.helm) ?? {};
      let values: JsonObject = asObject(helm.valuesObject) ?? {};
      let valuesPath: FieldPath = [...path, 'helm', 'valuesObject'];
      let inlineValues = false;
      if (!asObject(helm.valuesObject) && typeof helm.values === 'string') {
        try {
          values = asObject(loadKubernetesYaml(helm.values)) ?? {};
        } catch {
          values = {};
        }
        valuesPath = [...path, 'helm', 'values'];
        inlineValues = true;
      }
      out.push({
        app,
        path,
        repoURL: source.repoURL,
        chart: source.chart,
        version: typeof source.targetRevision === 'string' ? source.targetRevision : '',
        releaseName: typeof helm.releaseName === 'string' ? helm.releaseName : app.name,
        namespace: typeof namespace === 'string' && namespace !== '' ? namespace : 'default',
        values,
        valuesPath,
        inlineValues,
        cluster: applicationCluster(app),
      });
    }
  }
  return out;
}

/** The path of a value in the Application, as precise as the values' form allows. */
export function valueLocation(source: ChartSource, valuePath: FieldPath): FieldPath {
  return source.inlineValues ? source.valuesPath : [...source.valuesPath, ...valuePath];
}

/**
 * Istio's charts of 1.24 and later keep their defaults under `_internal_defaults_do_not_set`
 * (values.yaml says to set those keys at the top level; templates/zzz_profile.yaml merges them).
 */
const INTERNAL_DEFAULTS = '_internal_defaults_do_not_set';

/** A chart's templates as text: all of them, and those that consume a value they read whole. */
export interface ChartTemplates {
  /** Every template and file that reads values. */
  all: string;
  /** Without templates that read values whole only to pass them on (Istio's profile merging). */
  consumers: string;
}

/** Helm's other spellings of a value read, as `.Values.a.b`: `(.Values.a).b`, `($.Values).a`, `index $.Values "a"`. */
export function normalizeValueReads(text: string): string {
  let out = text.replace(/index \$?\.Values "([\w-]+)"/g, '.Values.$1 ');
  for (let previous = ''; previous !== out; ) {
    previous = out;
    out = out.replace(/\((\$?\.Values(?:\.[\w-]+)*)\)\./g, '$1.');
  }
  return out;
}

/**
 * Values no chart template reads: Helm ignores them, so a misspelt or misplaced key passes
 * `helm template` silently. A value is read when its path exists in the chart's values.yaml
 * (defaults), or a template reads it or a prefix of it whole (`.Values.meshConfig` passed to
 * toYaml), or the default at a prefix is an empty map (free-form: pilot.env, service.annotations).
 */
export function unreadValues(values: JsonObject, defaults: JsonObject, templates: ChartTemplates): FieldPath[] {
  const merged = { ...defaults, ...(asObject(defaults[INTERNAL_DEFAULTS]) ?? {}) };
  const out: FieldPath[] = [];
  const reads = (path: readonly string[], whole: boolean) =>
    new RegExp(`\\.Values\\.${path.map(escapeRegExp).join('\\.')}(?!${whole ? '[\\w.]' : '\\w'})`).test(whole ? templates.consumers : templates.all);
  const walk = (value: JsonObject, def: JsonObject | undefined, prefix: string[]) => {
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, key];
      if (reads(path, true)) continue; // read whole: toYaml, range, an include
      if (def && key in def) {
        const nested = asObject(def[key]);
        // An empty default map is free-form (pilot.env, service.annotations).
        if (asObject(child) && nested && Object.keys(nested).length > 0) walk(asObject(child)!, nested, path);
        continue;
      }
      if (reads(path, false)) {
        if (asObject(child)) walk(asObject(child)!, undefined, path);
        continue;
      }
      out.push(path);
    }
  };
  walk(values, merged, []);
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
