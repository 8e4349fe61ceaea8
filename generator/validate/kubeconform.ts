/**
 * kubeconform as a second schema validator: `meshops validate --kubeconform` and the PR check run
 * it, when it is installed, over the same manifests with the project's own schemas, and its
 * findings join meshops' own as rule `schema` (each message says it comes from kubeconform).
 * kubeconform is optional: meshops' compiled schemas already check every kind; kubeconform is the
 * independent implementation CI pins (`.github/workflows/pr.yml`) so a bug in either shows up.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FieldPath, Finding } from '../findings.js';
import { packageRoot } from '../package-root.js';
import type { EnvironmentTree, ManifestFile } from './manifests.js';
import { SCHEMA_RULE } from './schema-check.js';

export const KUBECONFORM = 'kubeconform';

/** The first executable `name` in the directories of a PATH value. */
export function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here, or not executable
    }
  }
  return undefined;
}

/**
 * Lays the schemas of schemas/catalog.json out the way kubeconform's `-schema-location` template
 * `{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json` looks them up (for the core
 * group, Group is the version: v1/namespace_v1.json), and returns that template. The catalog stays
 * the one list of schemas: kubeconform sees exactly the kinds and files meshops validates with.
 */
export function kubeconformSchemaLocation(dir: string): string {
  const schemasDir = path.join(packageRoot(), 'schemas');
  const catalog = JSON.parse(readFileSync(path.join(schemasDir, 'catalog.json'), 'utf8')).kinds as Record<string, string>;
  for (const [key, file] of Object.entries(catalog)) {
    const [apiVersion = '', kind = ''] = key.split('|');
    const [group = '', version = group] = apiVersion.split('/');
    const target = path.join(dir, group, `${kind.toLowerCase()}_${version}.json`);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(schemasDir, file), target);
  }
  return path.join(dir, '{{ .Group }}', '{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json');
}

/** One resource of `kubeconform -output json` (v0.6+: statusInvalid ...; older: INVALID ...). */
export interface KubeconformResource {
  filename: string;
  kind: string;
  name?: string;
  version: string;
  status: string;
  msg: string;
  validationErrors?: { path: string; msg: string }[];
}

export class KubeconformError extends Error {}

/** The resources of kubeconform's JSON report (only the failing ones unless it ran with -verbose). */
export function parseKubeconformJson(text: string): KubeconformResource[] {
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new KubeconformError(`kubeconform did not print a JSON report: ${text.slice(0, 200).trim() || '(nothing)'}`);
  }
  const resources = (report as { resources?: unknown })?.resources;
  if (!Array.isArray(resources)) throw new KubeconformError('kubeconform printed JSON without a "resources" list');
  return resources as KubeconformResource[];
}

/** What kubeconform read, and where its objects are in the tree, so findings point at a file and line. */
export interface KubeconformTarget {
  /** The file kubeconform reads, as passed on its command line (it reports it back as `filename`). */
  input: string;
  /** The manifests the input's objects come from (the file itself, or a kustomize root's files). */
  sources: readonly ManifestFile[];
  /** Reported file when no source document matches (e.g. a kustomize root directory). */
  display: string;
  env?: string;
  cluster?: string;
}

const failed = (status: string) => /invalid|error/i.test(status);

/** JSON pointer (/spec/ports/0/port) -> field path. */
function pointerPath(pointer: string): FieldPath {
  return pointer
    .split('/')
    .slice(1)
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** kubeconform's failing resources as findings of rule `schema`, at the line of the offending field where it can be found. */
export function kubeconformFindings(resources: readonly KubeconformResource[], targets: readonly KubeconformTarget[]): Finding[] {
  const byInput = new Map(targets.map((t) => [t.input, t]));
  return resources.filter((r) => failed(r.status)).flatMap((r) => {
    const target = byInput.get(r.filename);
    const doc = target?.sources
      .flatMap((f) => f.docs)
      .find((d) => d.kind === r.kind && d.apiVersion === r.version && (r.name === undefined || r.name === '' || d.name === r.name));
    const what = `${r.kind || 'document'}${r.name ? ` ${r.name}` : ''}`;
    const errors = r.validationErrors?.length ? r.validationErrors : [{ path: '', msg: r.msg }];
    return errors.map((e) => ({
      rule: SCHEMA_RULE.id,
      severity: 'error' as const,
      message: `kubeconform: ${what}: ${e.path ? `${e.path.slice(1).replace(/\//g, '.')}: ` : ''}${e.msg}`,
      file: doc?.file.path ?? target?.display ?? r.filename,
      line: doc ? doc.file.lineOf(doc.index, pointerPath(e.path)) : undefined,
      env: target?.env,
      cluster: target?.cluster,
    }));
  });
}

export interface KubeconformRun {
  bin: string;
  schemaLocation: string;
  cwd: string;
  /** Skip kinds without a schema: meshops' own `schema` rule reports those already. */
  ignoreMissingSchemas?: boolean;
}

/** Runs kubeconform -strict over the targets' inputs and returns its findings. */
export function runKubeconform(run: KubeconformRun, targets: readonly KubeconformTarget[]): Finding[] {
  if (targets.length === 0) return [];
  const args = [
    '-strict',
    '-summary',
    '-output',
    'json',
    '-schema-location',
    run.schemaLocation,
    ...(run.ignoreMissingSchemas ? ['-ignore-missing-schemas'] : []),
    ...targets.map((t) => t.input),
  ];
  const result = spawnSync(run.bin, args, { cwd: run.cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new KubeconformError(`cannot run ${run.bin}: ${result.error.message}`);
  // Exit 1 means invalid resources; anything the report does not explain is a failure to run.
  const resources = parseKubeconformJson(result.stdout);
  if (result.status !== 0 && !resources.some((r) => failed(r.status))) {
    throw new KubeconformError(`kubeconform exited ${result.status}: ${result.stderr.trim().slice(0, 500)}`);
  }
  return kubeconformFindings(resources, targets);
}

/** Runs `fn` with a schema location laid out in a scratch directory, removed afterwards. */
export function withSchemaLocation<T>(fn: (schemaLocation: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-kubeconform-'));
  try {
    return fn(kubeconformSchemaLocation(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `meshops validate --kubeconform`: kubeconform over every manifest file of the trees. Without
 * kubeconform on PATH it says so through `note` and returns no findings: the validation goes on as
 * if the option were not given (meshops' own schemas have checked every document already).
 */
export function validateTreesWithKubeconform(
  trees: readonly EnvironmentTree[],
  options: { cwd: string; pathVariable: string | undefined; note: (text: string) => void },
): Finding[] {
  const bin = findOnPath(KUBECONFORM, options.pathVariable);
  if (!bin) {
    options.note(`meshops: --kubeconform: ${KUBECONFORM} is not on PATH; validated with meshops' own schemas only\n`);
    return [];
  }
  const targets: KubeconformTarget[] = trees.flatMap((tree) => [
    ...tree.clusters.flatMap((cluster) => cluster.files.map((f) => ({ file: f, cluster: cluster.name }))),
    ...tree.shared.map((f) => ({ file: f, cluster: undefined })),
  ]
    // A file that is not YAML is already a finding of meshops' own schema rule.
    .filter(({ file }) => !file.parseError)
    .map(({ file, cluster }) => ({ input: file.path, sources: [file], display: file.path, env: tree.name, cluster })));
  return withSchemaLocation((schemaLocation) => runKubeconform({ bin, schemaLocation, cwd: options.cwd, ignoreMissingSchemas: true }, targets));
}
