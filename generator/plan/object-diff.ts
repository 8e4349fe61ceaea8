/**
 * Field-level differences between two versions of a rendered environment: which objects were
 * added, removed or changed, per cluster (or Argo CD, ASM, VM), and for a changed object the fields
 * that changed. Lists of named entries (gateways, env vars, ports) are matched by name, so one new
 * entry reads as one addition, not as every later entry shifting; multi-line strings and text
 * files are compared line by line with the `diff` package.
 */
import { diffLines } from 'diff';
import type { Manifest, RenderedEnvironment, RenderedFile } from '../render/types.js';

export interface FieldChange {
  /** e.g. spec.values.global.meshNetworks.net1.gateways[0].address; "" for a whole text file. */
  path: string;
  before?: unknown;
  after?: unknown;
  /** A multi-line string or text file: changed lines, each prefixed "-" or "+". */
  lines?: string[];
}

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ObjectChange {
  /** cluster <name>, argocd, asm, vm <name>, or the environment itself (files at its top). */
  scope: string;
  /** Path relative to rendered/<env>/. */
  file: string;
  /** "Kind namespace/name", or the file name for a text file. */
  object: string;
  change: ChangeKind;
  fields: FieldChange[];
}

/** Documentation that follows the environment (the planning sheet, runbooks): not objects of the mesh. */
const isDocumentation = (file: string) => file.endsWith('.md');

export function scopeOf(file: string): string {
  const [top, name] = file.split('/');
  if (top === 'clusters' && name) return `cluster ${name}`;
  if (top === 'vms' && name) return `vm ${name}`;
  if (name === undefined) return 'environment';
  return top!;
}

interface Entry {
  file: string;
  object: string;
  value: unknown;
}

function entries(rendered: RenderedEnvironment | undefined): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const file of rendered?.files ?? []) {
    if (isDocumentation(file.path)) continue;
    for (const entry of fileEntries(file)) out.set(`${file.path}\u0000${entry.object}`, entry);
  }
  return out;
}

function fileEntries(file: RenderedFile): Entry[] {
  if (!file.documents) return [{ file: file.path, object: file.path.split('/').pop()!, value: file.text ?? '' }];
  return file.documents.map((doc) => {
    const m = doc as Partial<Manifest>;
    const name = m.metadata?.name;
    // A Kustomization has no name: its file names it.
    const object = name === undefined ? `${m.kind ?? 'document'} ${file.path.split('/').pop()}` : `${m.kind} ${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${name}`;
    return { file: file.path, object, value: doc };
  });
}

/** Objects added, removed and changed from `before` to `after` (either may be absent), in file then object order. */
export function diffRendered(before: RenderedEnvironment | undefined, after: RenderedEnvironment | undefined): ObjectChange[] {
  const [a, b] = [entries(before), entries(after)];
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: ObjectChange[] = [];
  for (const key of keys) {
    const [old, now] = [a.get(key), b.get(key)];
    const entry = (now ?? old)!;
    const base = { scope: scopeOf(entry.file), file: entry.file, object: entry.object };
    if (!old) changes.push({ ...base, change: 'added', fields: [] });
    else if (!now) changes.push({ ...base, change: 'removed', fields: [] });
    else {
      const fields = diffValues(old.value, now.value, '');
      if (fields.length > 0) changes.push({ ...base, change: 'changed', fields });
    }
  }
  return changes;
}

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The name a list entry is known by (Istio and Kubernetes lists of named things), if every entry has one. */
function entryName(v: Json): string | undefined {
  if (!isObject(v)) return undefined;
  for (const key of ['name', 'host', 'key']) if (typeof v[key] === 'string') return v[key] as string;
  return undefined;
}

const join = (path: string, key: string) => (/^[A-Za-z_][\w-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);

export function diffValues(before: Json, after: Json, path: string): FieldChange[] {
  if (Object.is(before, after)) return [];
  if (typeof before === 'string' && typeof after === 'string' && (before.includes('\n') || after.includes('\n'))) {
    return [{ path, lines: lineChanges(before, after) }];
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => {
      const p = join(path, k);
      if (!(k in after)) return [{ path: p, before: before[k] }];
      if (!(k in before)) return [{ path: p, after: after[k] }];
      return diffValues(before[k], after[k], p);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const names = [...before, ...after].map(entryName);
    const named = names.every((n) => n !== undefined) && new Set(before.map(entryName)).size === before.length && new Set(after.map(entryName)).size === after.length;
    if (named) {
      const [byA, byB] = [new Map(before.map((v) => [entryName(v)!, v])), new Map(after.map((v) => [entryName(v)!, v]))];
      // In the new order, removed entries last.
      return [...new Set([...byB.keys(), ...byA.keys()])].flatMap((n) => {
        const p = `${path}[${n}]`;
        if (!byB.has(n)) return [{ path: p, before: byA.get(n) }];
        if (!byA.has(n)) return [{ path: p, after: byB.get(n) }];
        return diffValues(byA.get(n), byB.get(n), p);
      });
    }
    if (before.every((v) => !isObject(v) && !Array.isArray(v)) && after.every((v) => !isObject(v) && !Array.isArray(v))) {
      // A list of scalars reads best whole ("resources: [a, b] -> [a, b, c]").
      return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => i).flatMap((i) => {
      const p = `${path}[${i}]`;
      if (i >= after.length) return [{ path: p, before: before[i] }];
      if (i >= before.length) return [{ path: p, after: after[i] }];
      return diffValues(before[i], after[i], p);
    });
  }
  return [{ path, before, after }];
}

/** Changed lines only ("-old", "+new"), in order. */
export function lineChanges(before: string, after: string): string[] {
  return diffLines(before, after).flatMap((part) => {
    if (!part.added && !part.removed) return [];
    const sign = part.added ? '+' : '-';
    return part.value.replace(/\n$/, '').split('\n').map((line) => `${sign}${line}`);
  });
}
