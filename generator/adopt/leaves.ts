/**
 * An IstioOperator as its leaves, to compare two of them in meaning: the order of keys does not
 * matter, and neither does the order of items in a list of named things (gateways, env entries,
 * Service ports) outside Istio's values and meshConfig. Lists inside values and meshConfig are
 * leaves, as they are to Helm and istioctl (replaced whole).
 */
import { isMap, type PlainMap } from './istioctl-merge.js';

/** A path segment: a map key, or the item of a named list. */
export type Segment = string | { name: string };
export interface Leaf {
  path: Segment[];
  value: unknown;
}

const OVERLAY_ROOTS = new Set(['values', 'meshConfig']);

function namedList(value: unknown[]): boolean {
  const names = value.map((v) => (isMap(v) && typeof v.name === 'string' ? v.name : undefined));
  return names.length > 0 && names.every((n) => n !== undefined) && new Set(names).size === names.length;
}

export function leaves(object: PlainMap, path: Segment[] = []): Leaf[] {
  return Object.entries(object).flatMap(([key, value]): Leaf[] => {
    const at = [...path, key];
    if (value === undefined || value === null) return [];
    if (isMap(value)) return leaves(value, at);
    const inOverlay = at[0] === 'spec' && OVERLAY_ROOTS.has(String(at[1]));
    if (Array.isArray(value) && !inOverlay && namedList(value)) {
      return value.flatMap((item) => {
        const { name, ...rest } = item as PlainMap;
        const itemPath = [...at, { name: name as string }];
        // An item stating nothing but its name still exists (a gateway left at its defaults).
        return Object.keys(rest).length > 0 ? leaves(rest, itemPath) : [{ path: itemPath, value: {} }];
      });
    }
    return [{ path: at, value }];
  });
}

export function leafKey(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'string' ? `${i === 0 ? '' : '.'}${s}` : `[name=${s.name}]`)).join('');
}

/** The real path (list items by index) of a leaf path in `object`, or undefined when absent. */
export function resolve(object: unknown, path: readonly Segment[]): (string | number)[] | undefined {
  const real: (string | number)[] = [];
  let node: unknown = object;
  for (const s of path) {
    if (typeof s === 'string') {
      if (!isMap(node) || !(s in node)) return undefined;
      real.push(s);
      node = node[s];
    } else {
      const index = Array.isArray(node) ? node.findIndex((item) => isMap(item) && item.name === s.name) : -1;
      if (index < 0) return undefined;
      real.push(index);
      node = (node as unknown[])[index];
    }
  }
  return real;
}

/** Writes `value` at a path of map keys, creating the maps on the way. */
export function setPath(object: PlainMap, path: readonly string[], value: unknown): void {
  let node = object;
  path.slice(0, -1).forEach((key) => {
    if (!isMap(node[key])) node[key] = {};
    node = node[key] as PlainMap;
  });
  node[path[path.length - 1]!] = value;
}

export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
