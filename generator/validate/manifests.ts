/**
 * Loading manifest trees for validation: rendered/ (environments), one environment directory, or
 * any directory whose subdirectories are clusters. Parsing uses js-yaml (about 3x faster than
 * `yaml`), which records where each node starts as it parses (node-lines.ts): a finding's line
 * costs no second parse.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import type { FieldPath } from '../findings.js';
import { clusterDir, CLUSTERS_DIR, SHARED_MANIFEST_DIRS } from '../layout.js';
import { NodeLines } from './node-lines.js';

export type JsonObject = Record<string, unknown>;

export interface ManifestDoc {
  file: ManifestFile;
  /** Index of the document in its file. */
  index: number;
  object: JsonObject;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
}

export interface ManifestFile {
  /** Path as shown to users: relative to the working directory, POSIX separators. */
  path: string;
  docs: ManifestDoc[];
  /** A YAML error that kept the file from being read. */
  parseError?: { message: string; line?: number };
  /** 1-based line of the field at `fieldPath` in document `index` (its closest existing ancestor). */
  lineOf(index: number, fieldPath?: FieldPath): number | undefined;
}

export interface ClusterTree {
  name: string;
  dir: string;
  files: ManifestFile[];
  docs: ManifestDoc[];
}

/** One Helm source (validate/check --helm, helm-charts.ts) of an Application: the chart, its version and the values Argo CD passes. */
export interface ChartSource {
  app: ManifestDoc;
  /** Path of the source in the Application (spec.sources[i] or spec.source). */
  path: FieldPath;
  repoURL: string;
  chart: string;
  version: string;
  releaseName: string;
  /** The Application's destination namespace: helm template's --namespace. */
  namespace: string;
  values: JsonObject;
  /** Where the values are written; a `values` string has no lines of its own to point into. */
  valuesPath: FieldPath;
  inlineValues: boolean;
  /** The cluster the Application deploys (meshops' cluster label, or a Git source .../clusters/<name>). */
  cluster: string | undefined;
}

/** The objects a chart source renders to. */
export interface ChartRender {
  source: ChartSource;
  docs: ManifestDoc[];
}

export interface EnvironmentTree {
  name: string;
  dir: string;
  clusters: ClusterTree[];
  /** Manifests of the environment outside the clusters (argocd/, asm/). */
  shared: ManifestFile[];
  /** What the Applications' Helm charts render to (validate/check --helm; helm-template.ts). */
  charts?: ChartRender[];
}

const YAML_FILE = /\.ya?ml$/;

export class UnreadablePathError extends Error {}

/** Resolves a validate PATH into environments, by the contract's three forms. */
export function loadTrees(target: string, cwd: string): EnvironmentTree[] {
  const abs = path.resolve(cwd, target);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UnreadablePathError(`${target}: not a directory`);
  const display = (p: string) => path.relative(cwd, p).split(path.sep).join('/') || '.';
  if (existsSync(path.join(abs, CLUSTERS_DIR))) return [loadEnvironmentDir(abs, display)];
  const subdirs = listDirs(abs);
  const envDirs = subdirs.filter((d) => existsSync(path.join(abs, d, CLUSTERS_DIR)));
  if (envDirs.length > 0) return envDirs.map((d) => loadEnvironmentDir(path.join(abs, d), display));
  // Any other directory: one cluster per immediate subdirectory.
  return [
    {
      name: path.basename(abs),
      dir: display(abs),
      clusters: subdirs.map((d) => loadCluster(path.join(abs, d), display)),
      shared: [],
    },
  ];
}

/**
 * An environment tree from files in memory (path relative to the environment directory -> YAML),
 * laid out like rendered/<env>/: what `check` and the tests validate without touching the disk.
 */
export function environmentTreeFromFiles(name: string, dir: string, files: ReadonlyMap<string, string>): EnvironmentTree {
  const parsed = [...files.entries()]
    .filter(([rel]) => YAML_FILE.test(rel))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([rel, text]) => ({ rel, file: parseManifestText(text, `${dir}/${rel}`) }));
  // Grouped in one pass (files stay sorted within each cluster): a filter per cluster is quadratic.
  const byCluster = new Map<string, ManifestFile[]>();
  for (const { rel, file } of parsed) {
    if (!rel.startsWith('clusters/')) continue;
    const cluster = rel.split('/')[1]!;
    const own = byCluster.get(cluster);
    if (own) own.push(file);
    else byCluster.set(cluster, [file]);
  }
  return {
    name,
    dir,
    clusters: [...byCluster.keys()].sort().map((cluster) => {
      const own = byCluster.get(cluster)!;
      return { name: cluster, dir: `${dir}/${clusterDir(cluster)}`, files: own, docs: own.flatMap((f) => f.docs) };
    }),
    shared: parsed.filter(({ rel }) => SHARED_MANIFEST_DIRS.some((d) => rel.startsWith(`${d}/`))).map(({ file }) => file),
  };
}

function loadEnvironmentDir(abs: string, display: (p: string) => string): EnvironmentTree {
  const clustersDir = path.join(abs, CLUSTERS_DIR);
  return {
    name: path.basename(abs),
    dir: display(abs),
    clusters: listDirs(clustersDir).map((d) => loadCluster(path.join(clustersDir, d), display)),
    shared: SHARED_MANIFEST_DIRS.flatMap((d) => yamlFilesBelow(path.join(abs, d))).map((f) => loadManifestFile(f.abs, display(f.abs))),
  };
}

function loadCluster(abs: string, display: (p: string) => string): ClusterTree {
  // A cluster directory is never the working directory itself, so its files' shown paths are its
  // own shown path and their relative paths (one path.relative per cluster, not per file).
  const dir = display(abs);
  const files = yamlFilesBelow(abs).map((f) => loadManifestFile(f.abs, `${dir}/${f.rel}`));
  return { name: path.basename(abs), dir, files, docs: files.flatMap((f) => f.docs) };
}

function listDirs(abs: string): string[] {
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

/** The YAML files below `abs`, sorted, each with its path relative to `abs` (POSIX separators). */
function yamlFilesBelow(abs: string): { abs: string; rel: string }[] {
  if (!existsSync(abs)) return [];
  const out: { abs: string; rel: string }[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !YAML_FILE.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ abs: file, rel: file.slice(abs.length + 1).split(path.sep).join('/') });
  }
  return out.sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
}

function loadManifestFile(abs: string, displayPath: string): ManifestFile {
  return parseManifestText(readFileSync(abs, 'utf8'), displayPath);
}

/** Parses a multi-document YAML text into manifest documents (empty documents are skipped). */
export function parseManifestText(text: string, displayPath: string): ManifestFile {
  // js-yaml drops a byte order mark before it parses: the positions it records are past it.
  const lines = new NodeLines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const file: ManifestFile = {
    path: displayPath,
    docs: [],
    lineOf: (index, fieldPath = []) => lines.lineOf(index, fieldPath),
  };
  let raw: unknown[];
  try {
    raw = jsYaml.loadAll(text, undefined, { json: false, listener: lines.listener });
  } catch (e) {
    const mark = (e as { mark?: { line: number } }).mark;
    file.parseError = { message: (e as { reason?: string }).reason ?? (e as Error).message, line: mark ? mark.line + 1 : undefined };
    return file;
  }
  raw.forEach((object, index) => {
    if (object === null || object === undefined) return;
    const o = (typeof object === 'object' && !Array.isArray(object) ? object : {}) as JsonObject;
    const metadata = (o.metadata && typeof o.metadata === 'object' ? o.metadata : {}) as JsonObject;
    file.docs.push({
      file,
      index,
      object: o,
      apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : '',
      kind: typeof o.kind === 'string' ? o.kind : '',
      name: typeof metadata.name === 'string' ? metadata.name : '',
      namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
    });
  });
  return file;
}
