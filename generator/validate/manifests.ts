/**
 * Loading manifest trees for validation: rendered/ (environments), one environment directory, or
 * any directory whose subdirectories are clusters. Parsing uses js-yaml (about 3x faster than
 * `yaml`), which records where each node starts as it parses (node-lines.ts): a finding's line
 * costs no second parse.
 */
import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import type { FieldPath } from '../findings.js';
import { entryKind, readRegularFile } from '../fs/read-regular.js';
import { clusterDir, CLUSTERS_DIR, SHARED_MANIFEST_DIRS, VMS_DIR } from '../layout.js';
import { KUBERNETES_YAML_SCHEMA } from './kubernetes-yaml.js';
import { NodeLines } from './node-lines.js';

import type { JsonObject } from '../json.js';

export type { JsonObject };

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
  /** The file's text, for rules that read text rather than objects (credentials). */
  text: string;
  /** What kept the file from being read: a YAML error, an alias bomb, not a regular file. */
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
  /** Every other file of the tree (vms/, MIGRATION.md, non-YAML files), read for its text only. */
  other: TextFile[];
}

export interface TextFile {
  path: string;
  text: string;
}

const YAML_FILE = /\.ya?ml$/;
/** A manifest is a few KiB; the cap keeps a runaway file from being read whole. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/**
 * Aliases a manifest file may use. js-yaml shares an alias's value instead of copying it, so
 * parsing stays cheap, but every later walk (schema, rules, messages) pays the expansion: a few
 * hundred bytes of nested aliases expand to gigabytes. meshops renders no aliases at all.
 */
export const MAX_MANIFEST_ALIASES = 100;
/** What a file's documents may expand to through aliases; a large rendered manifest has a few thousand nodes. */
export const MAX_EXPANDED_NODES = 100_000;

export class UnreadablePathError extends Error {}

/** Resolves a validate PATH into environments, by the contract's three forms. */
export function loadTrees(target: string, cwd: string): EnvironmentTree[] {
  const abs = path.resolve(cwd, target);
  const display = displayFrom(cwd);
  const envDirs = environmentDirs(target, cwd);
  if (envDirs) return envDirs.map((dir) => loadEnvironmentDir(dir, display));
  const subdirs = listDirs(abs);
  // Any other directory: one cluster per immediate subdirectory.
  const other: TextFile[] = [];
  return [
    {
      name: path.basename(abs),
      dir: display(abs),
      clusters: subdirs.map((d) => loadCluster(path.join(abs, d), display, other)),
      shared: [],
      other,
    },
  ];
}

/**
 * The environment directories (absolute) of a validate PATH that is one rendered environment or a
 * directory of them (rendered/); undefined for a directory whose subdirectories are clusters.
 */
export function environmentDirs(target: string, cwd: string): string[] | undefined {
  const abs = path.resolve(cwd, target);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UnreadablePathError(`${target}: not a directory`);
  if (existsSync(path.join(abs, CLUSTERS_DIR))) return [abs];
  const envDirs = listDirs(abs).filter((d) => existsSync(path.join(abs, d, CLUSTERS_DIR)));
  return envDirs.length > 0 ? envDirs.map((d) => path.join(abs, d)) : undefined;
}

/** The clusters an environment directory holds, counted without reading them. */
export function clusterCount(envDir: string): number {
  return listDirs(path.join(envDir, CLUSTERS_DIR)).length;
}

/** One rendered environment's tree, its paths shown relative to `cwd`. */
export function loadEnvironmentTree(envDir: string, cwd: string): EnvironmentTree {
  return loadEnvironmentDir(envDir, displayFrom(cwd));
}

const displayFrom = (cwd: string) => (p: string) => path.relative(cwd, p).split(path.sep).join('/') || '.';

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
    other: [...files.entries()]
      .filter(([rel]) => !YAML_FILE.test(rel) || !(rel.startsWith(`${CLUSTERS_DIR}/`) || SHARED_MANIFEST_DIRS.some((d) => rel.startsWith(`${d}/`))))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([rel, text]) => ({ path: `${dir}/${rel}`, text })),
  };
}

function loadEnvironmentDir(abs: string, display: (p: string) => string): EnvironmentTree {
  const clustersDir = path.join(abs, CLUSTERS_DIR);
  const other: TextFile[] = [];
  const shared = SHARED_MANIFEST_DIRS.flatMap((d) => entriesBelow(path.join(abs, d))).flatMap((f) => manifestOrOther(f, display(f.abs), other));
  // Everything else an environment holds (vms/, MIGRATION.md, whatever was added by hand) is not
  // validated as manifests: it is read for its text, and an entry that is not a regular file is
  // reported wherever it is.
  const rest = [abs, path.join(abs, VMS_DIR)].flatMap((dir, i) => otherEntries(dir, i === 1, i === 0 ? [...SHARED_MANIFEST_DIRS, CLUSTERS_DIR, VMS_DIR] : []));
  const irregular = rest.filter(({ entry }) => !entry.isFile()).map((entry) => irregularFile(entry, display(entry.abs)));
  for (const { abs: file } of rest.filter(({ entry }) => entry.isFile())) other.push(readText(file, display(file)));
  return {
    name: path.basename(abs),
    dir: display(abs),
    clusters: [
      ...listDirs(clustersDir).map((d) => loadCluster(path.join(clustersDir, d), display, other)),
      ...otherEntries(clustersDir, false, []).filter(({ entry }) => !entry.isFile()).map((entry) => irregularCluster(entry, display)),
    ],
    shared: [...shared, ...irregular],
    other: other.sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

/** A regular file's text for the credential scan; one that cannot be read is scanned as empty (its reading error is reported elsewhere). */
function readText(abs: string, shownPath: string): TextFile {
  const read = readRegularFile(abs, MAX_MANIFEST_BYTES, { typeFromDirectory: true });
  return { path: shownPath, text: read.ok ? read.text : '' };
}

/** A YAML file parsed as manifests, a link or FIFO reported, any other file kept as text. */
function manifestOrOther(f: { abs: string; entry: Dirent }, shownPath: string, other: TextFile[]): ManifestFile[] {
  if (!f.entry.isFile()) return [irregularFile(f, shownPath)];
  if (YAML_FILE.test(f.entry.name)) return [loadManifestFile(f.abs, shownPath, { typeFromDirectory: true })];
  other.push(readText(f.abs, shownPath));
  return [];
}

/** Entries of `dir` that are not directories (recursively when asked, skipping `skip` at its top). */
function otherEntries(dir: string, recursive: boolean, skip: readonly string[]): { abs: string; entry: Dirent }[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive });
  } catch {
    return [];
  }
  return entries
    .filter((e) => !e.isDirectory() && !(e.parentPath === dir && skip.includes(e.name)))
    .map((entry) => ({ abs: path.join(entry.parentPath, entry.name), entry }))
    .sort((a, b) => (a.abs < b.abs ? -1 : 1));
}

function irregularFile({ entry }: { entry: Dirent }, shownPath: string): ManifestFile {
  return {
    path: shownPath,
    docs: [],
    text: '',
    parseError: { message: `not a regular file (${entryKind(entry)}): a rendered tree holds regular files only, and Argo CD would follow a link wherever it points` },
    lineOf: () => undefined,
  };
}

function irregularCluster(item: { abs: string; entry: Dirent }, display: (p: string) => string): ClusterTree {
  const file = irregularFile(item, display(item.abs));
  return { name: item.entry.name, dir: file.path, files: [file], docs: [] };
}

function loadCluster(abs: string, display: (p: string) => string, other: TextFile[]): ClusterTree {
  // A cluster directory is never the working directory itself, so its files' shown paths are its
  // own shown path and their relative paths (one path.relative per cluster, not per file).
  const dir = display(abs);
  const files = entriesBelow(abs).flatMap((f) => manifestOrOther(f, `${dir}/${f.rel}`, other));
  return { name: path.basename(abs), dir, files, docs: files.flatMap((f) => f.docs) };
}

function listDirs(abs: string): string[] {
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

/** Every entry below `abs` but directories, sorted, each with its path relative to `abs` (POSIX separators). */
function entriesBelow(abs: string): { abs: string; rel: string; entry: Dirent }[] {
  if (!existsSync(abs)) return [];
  const out: { abs: string; rel: string; entry: Dirent }[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ abs: file, rel: file.slice(abs.length + 1).split(path.sep).join('/'), entry });
  }
  return out.sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
}

function loadManifestFile(abs: string, displayPath: string, options: { typeFromDirectory?: boolean } = {}): ManifestFile {
  const read = readRegularFile(abs, MAX_MANIFEST_BYTES, options);
  if (read.ok) return parseManifestText(read.text, displayPath);
  return { path: displayPath, docs: [], text: '', parseError: { message: read.reason }, lineOf: () => undefined };
}

/** Parses a multi-document YAML text into manifest documents (empty documents are skipped). */
export function parseManifestText(text: string, displayPath: string): ManifestFile {
  // js-yaml drops a byte order mark before it parses: the positions it records are past it.
  const lines = new NodeLines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const file: ManifestFile = {
    path: displayPath,
    docs: [],
    text,
    lineOf: (index, fieldPath = []) => lines.lineOf(index, fieldPath),
  };
  let raw: unknown[];
  try {
    raw = jsYaml.loadAll(text, undefined, { schema: KUBERNETES_YAML_SCHEMA, json: false, listener: lines.listener });
  } catch (e) {
    const mark = (e as { mark?: { line: number } }).mark;
    file.parseError = { message: `not valid YAML: ${(e as { reason?: string }).reason ?? (e as Error).message}`, line: mark ? mark.line + 1 : undefined };
    return file;
  }
  // An alias is written "*name"; a file without a '*' has none, and the check costs it nothing.
  if (text.includes('*') && aliasBudgetExceeded(raw)) {
    file.parseError = {
      message: `aliases (*name) are used more than ${MAX_MANIFEST_ALIASES} times or expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes: refusing what looks like an alias bomb ("billion laughs"); write the values out`,
      line: aliasLine(text),
    };
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

/**
 * Whether the documents use aliases more than MAX_MANIFEST_ALIASES times, or expand to more than
 * MAX_EXPANDED_NODES nodes. js-yaml makes an alias of a mapping or list the very same object, so
 * each object met again is one alias use; each object's expanded size is computed once (nine
 * levels of nine aliases are 72 uses, but expand nine billion-fold).
 */
function aliasBudgetExceeded(documents: readonly unknown[]): boolean {
  const sizes = new Map<object, number>();
  let uses = 0;
  let total = 0;
  const isObject = (v: unknown): v is object => v !== null && typeof v === 'object';
  for (const root of documents) {
    if (!isObject(root)) continue;
    const stack: [object, boolean][] = [[root, false]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [value, childrenPushed] = top;
      if (!childrenPushed) {
        if (sizes.has(value)) {
          // Met again (shared by two places): one more alias use, its size already known.
          stack.pop();
          if (++uses > MAX_MANIFEST_ALIASES) return true;
          continue;
        }
        top[1] = true;
        for (const child of Object.values(value)) if (isObject(child)) stack.push([child, false]);
        continue;
      }
      stack.pop();
      let size = 1;
      for (const child of Object.values(value)) size += isObject(child) ? sizes.get(child)! : 1;
      if (size > MAX_EXPANDED_NODES) return true;
      sizes.set(value, size);
    }
    total += sizes.get(root)!;
    if (total > MAX_EXPANDED_NODES) return true;
  }
  return false;
}

function aliasLine(text: string): number | undefined {
  const match = /(^|[\s[{,:-])\*[^\s,[\]{}]/m.exec(text);
  return match ? text.slice(0, match.index + match[1]!.length).split('\n').length : undefined;
}
