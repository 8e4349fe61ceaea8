/**
 * Vendors the JSON Schemas of the kinds meshops renders or validates from an offline reference
 * folder (the project's copy lives in ../shared/schemas) into schemas/, in the layout kubeconform's
 * -schema-location templates find:
 *
 *   schemas/kubernetes/{{.ResourceKind}}{{.KindSuffix}}.json              core and apps kinds
 *   schemas/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json custom resources
 *
 * and makes them strict at every level: an object schema that declares `properties` and says nothing
 * about other fields gets `additionalProperties: false`. The CRD-derived files need two more things:
 * their top level lets any field through and has no `apiVersion`/`kind`/`metadata` (or an empty
 * `metadata: {type: object}`), so each gets the pinned apiVersion and kind and the strict ObjectMeta
 * of the Kubernetes schemas. Free-form values (`x-kubernetes-preserve-unknown-fields` without
 * `properties`: Helm `valuesObject`, EnvoyFilter patch values) stay free-form.
 *
 * Usage: node dist/scripts/vendor-schemas.js <reference schemas folder>
 * Rewrites the vendored files, their entries in schemas/catalog.json and the origin table in
 * schemas/README.md; the project's own schemas (Kustomization, ASMMigrateFromIstio, the generated istio/)
 * and their catalog entries are left alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSchema, mapSubschemas, type Schema } from './schema-nodes.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const schemasDir = path.join(repoRoot, 'schemas');
const catalogFile = path.join(schemasDir, 'catalog.json');
const readmeFile = path.join(schemasDir, 'README.md');

/** The reference folder's standalone, strict Kubernetes schemas (openapi2jsonschema, release-1.30). */
const KUBERNETES_SOURCE = 'kubernetes-v1.30-standalone-strict';
const KUBERNETES_TARGET = 'kubernetes';
const ISTIO_NETWORKING_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];

const CORE_KINDS: readonly { apiVersion: string; kind: string }[] = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
];

/**
 * Custom resources. Istio: meshops emits networking.istio.io/v1 for Istio >= 1.22 and v1beta1 below;
 * hand-written trees still use v1alpha3. External Secrets: the stores only in v1, the version current
 * operators serve (they are referenced by meshops, not rendered, and weigh 250-370 kB each).
 * ApplicationSet (argocd.applicationSet): its 2 MB schema compiles to about 8 MB of code, loaded
 * (about 150 ms) only by a run that meets an ApplicationSet.
 */
const CRDS: readonly { group: string; kind: string; versions: readonly string[] }[] = [
  { group: 'networking.istio.io', kind: 'DestinationRule', versions: ISTIO_NETWORKING_VERSIONS },
  { group: 'networking.istio.io', kind: 'Gateway', versions: ISTIO_NETWORKING_VERSIONS },
  { group: 'networking.istio.io', kind: 'ServiceEntry', versions: ISTIO_NETWORKING_VERSIONS },
  { group: 'networking.istio.io', kind: 'VirtualService', versions: ISTIO_NETWORKING_VERSIONS },
  { group: 'networking.istio.io', kind: 'WorkloadEntry', versions: ISTIO_NETWORKING_VERSIONS },
  { group: 'networking.istio.io', kind: 'WorkloadGroup', versions: ISTIO_NETWORKING_VERSIONS },
  { group: 'external-secrets.io', kind: 'ExternalSecret', versions: ['v1', 'v1beta1'] },
  { group: 'external-secrets.io', kind: 'SecretStore', versions: ['v1'] },
  { group: 'external-secrets.io', kind: 'ClusterSecretStore', versions: ['v1'] },
  { group: 'argoproj.io', kind: 'Application', versions: ['v1alpha1'] },
  { group: 'argoproj.io', kind: 'AppProject', versions: ['v1alpha1'] },
  { group: 'argoproj.io', kind: 'ApplicationSet', versions: ['v1alpha1'] },
];
const VENDORED_GROUPS = [...new Set(CRDS.map((c) => c.group))];

interface VendoredFile {
  apiVersion: string;
  kind: string;
  /** Relative to the reference folder. */
  source: string;
  /** Relative to schemas/. */
  target: string;
}

/** kubeconform's {{.KindSuffix}}: "-" + the group's first label (or the core version) [+ "-" + version]. */
function kindSuffix(apiVersion: string): string {
  const [groupOrVersion, version] = apiVersion.split('/') as [string, string | undefined];
  return `-${groupOrVersion.split('.')[0]!.toLowerCase()}${version ? `-${version.toLowerCase()}` : ''}`;
}

function vendoredFiles(): VendoredFile[] {
  const core = CORE_KINDS.map(({ apiVersion, kind }) => {
    const file = `${kind.toLowerCase()}${kindSuffix(apiVersion)}.json`;
    return { apiVersion, kind, source: `${KUBERNETES_SOURCE}/${file}`, target: `${KUBERNETES_TARGET}/${file}` };
  });
  const crds = CRDS.flatMap(({ group, kind, versions }) =>
    versions.map((version) => {
      const file = `crds/${group}/${kind.toLowerCase()}_${version}.json`;
      return { apiVersion: `${group}/${version}`, kind, source: file, target: file };
    }),
  );
  return [...core, ...crds];
}

/** Closes every object schema that declares properties and is silent on others, counting them. */
function strictify(schema: Schema, closed: { count: number }): Schema {
  const out = mapSubschemas(schema, (sub) => strictify(sub, closed));
  if (isSchema(out.properties) && !('additionalProperties' in out)) {
    out.additionalProperties = false;
    closed.count += 1;
  }
  return out;
}

/** A CRD-derived schema's top level: pinned apiVersion and kind, Kubernetes ObjectMeta, nothing else. */
function closeTopLevel(schema: Schema, apiVersion: string, kind: string, objectMeta: Schema): Schema {
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = (schema.properties ?? {}) as Schema;
  return {
    ...schema,
    properties: {
      apiVersion: { type: 'string', enum: [apiVersion] },
      kind: { type: 'string', enum: [kind] },
      metadata: structuredClone(objectMeta),
      ...rest,
    },
  };
}

function readJson(file: string): Schema {
  return JSON.parse(readFileSync(file, 'utf8')) as Schema;
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // The reference files are read-only; a copy of one must be replaced, not written through.
  rmSync(file, { force: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

interface VendorRecord {
  file: VendoredFile;
  sha256: string;
  closed: number;
  topLevel: boolean;
}

function vendor(referenceDir: string): VendorRecord[] {
  const files = vendoredFiles();
  const missing = files.filter((f) => !existsSync(path.join(referenceDir, f.source)));
  if (missing.length > 0) throw new Error(`not in ${referenceDir}: ${missing.map((f) => f.source).join(', ')}`);
  const objectMeta = (readJson(path.join(referenceDir, KUBERNETES_SOURCE, 'namespace-v1.json')).properties as Schema).metadata as Schema;

  // The folders this script owns are rebuilt from scratch, so a kind dropped from the lists goes away.
  rmSync(path.join(schemasDir, KUBERNETES_TARGET), { recursive: true, force: true });
  for (const group of VENDORED_GROUPS) rmSync(path.join(schemasDir, 'crds', group), { recursive: true, force: true });

  return files.map((file) => {
    const text = readFileSync(path.join(referenceDir, file.source), 'utf8');
    const isCrd = file.target.startsWith('crds/');
    const source = JSON.parse(text) as Schema;
    const closed = { count: 0 };
    const schema = strictify(isCrd ? closeTopLevel(source, file.apiVersion, file.kind, objectMeta) : source, closed);
    writeJson(path.join(schemasDir, file.target), schema);
    return { file, sha256: createHash('sha256').update(text).digest('hex'), closed: closed.count, topLevel: isCrd };
  });
}

function updateCatalog(records: readonly VendorRecord[]): void {
  const owned = [`${KUBERNETES_TARGET}/`, ...VENDORED_GROUPS.map((group) => `crds/${group}/`)];
  const current = existsSync(catalogFile) ? (readJson(catalogFile).kinds as Record<string, string>) : {};
  const kept = Object.entries(current).filter(([, file]) => !owned.some((dir) => file.startsWith(dir)));
  const vendored = records.map(({ file }) => [`${file.apiVersion}|${file.kind}`, file.target] as const);
  const kinds = Object.fromEntries([...kept, ...vendored].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeJson(catalogFile, { kinds });
}

const TABLE_BEGIN = '<!-- vendored:begin (written by scripts/vendor-schemas.ts) -->';
const TABLE_END = '<!-- vendored:end -->';

function updateReadme(referenceDir: string, records: readonly VendorRecord[]): void {
  const rows = records.map(({ file, sha256, closed, topLevel }) => {
    const changes = [
      topLevel ? 'top level closed: apiVersion/kind pinned, Kubernetes ObjectMeta as metadata' : undefined,
      closed > 0 ? `${closed} object schema${closed === 1 ? '' : 's'} closed` : undefined,
    ].filter(Boolean);
    return `| \`${file.target}\` | ${file.apiVersion} ${file.kind} | \`${file.source}\` (sha256 ${sha256.slice(0, 12)}) | ${changes.length > 0 ? changes.join('; ') : 'none (already strict)'} |`;
  });
  const table = [
    TABLE_BEGIN,
    `Vendored from \`${path.relative(repoRoot, referenceDir)}\` (the reference copy, see its README) by \`node dist/scripts/vendor-schemas.js ${path.relative(repoRoot, referenceDir)}\`.`,
    '',
    '| file | kind | origin | changed |',
    '|---|---|---|---|',
    ...rows,
    TABLE_END,
  ].join('\n');
  const readme = readFileSync(readmeFile, 'utf8');
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`${path.relative(repoRoot, readmeFile)} lacks the vendored-table markers`);
  writeFileSync(readmeFile, `${readme.slice(0, begin)}${table}${readme.slice(end + TABLE_END.length)}`);
}

function main(argv: string[]): void {
  const [referenceDir] = argv;
  if (!referenceDir || !existsSync(path.join(referenceDir, KUBERNETES_SOURCE))) {
    console.error(`usage: vendor-schemas <reference schemas folder holding ${KUBERNETES_SOURCE}/ and crds/>`);
    process.exitCode = 2;
    return;
  }
  const records = vendor(path.resolve(referenceDir));
  updateCatalog(records);
  updateReadme(path.resolve(referenceDir), records);
  console.log(`vendored ${records.length} schemas into ${path.relative(process.cwd(), schemasDir) || '.'}`);
}

main(process.argv.slice(2));
