/**
 * How istioctl merges `istioctl install -f a.yaml -f b.yaml`: each file is overlaid on the result of
 * the ones before it with Kubernetes' strategic merge patch (istio/istio
 * operator/pkg/manifest/shared.go readLayeredYAMLs -> operator/pkg/util/merge_iop.go OverlayIOP,
 * 1.18). Maps merge key by key, a null deletes the key, and lists are replaced, except the lists
 * merge_iop.go tags with a merge key: gateways are merged by name, so a second file can change one
 * gateway without repeating the others.
 */
import type { PlainMap } from '../render/merge.js';

export type { PlainMap };

/** merge_iop.go's patchMergeKey tags, by path (`*` for any key). Other lists are replaced whole. */
const MERGE_KEYS: { path: readonly string[]; key: string }[] = [
  { path: ['spec', 'components', 'ingressGateways'], key: 'name' },
  { path: ['spec', 'components', 'egressGateways'], key: 'name' },
  { path: ['spec', 'meshConfig', 'configSources'], key: 'address' },
  { path: ['spec', 'meshConfig', 'certificates'], key: 'secretName' },
  { path: ['spec', 'meshConfig', 'extensionProviders'], key: 'name' },
  { path: ['spec', 'values', 'gateways', '*', 'ports'], key: 'name' },
  { path: ['spec', 'values', 'gateways', '*', 'meshExpansionPorts'], key: 'name' },
  { path: ['spec', 'values', 'gateways', '*', 'secretVolumes'], key: 'name' },
];

export const isMap = (v: unknown): v is PlainMap => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeKeyAt(path: readonly string[]): string | undefined {
  return MERGE_KEYS.find((m) => m.path.length === path.length && m.path.every((p, i) => p === '*' || p === path[i]))?.key;
}

/** The merge key of the list at `path` in an IstioOperator, when istioctl merges its items by key. */
export function listMergeKey(path: readonly (string | number)[]): string | undefined {
  return path.every((p) => typeof p === 'string') ? mergeKeyAt(path as string[]) : undefined;
}

export function overlayIstioOperator(base: PlainMap, overlay: PlainMap, path: readonly string[] = []): PlainMap {
  const merged: PlainMap = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const at = [...path, key];
    const current = merged[key];
    if (value === null) delete merged[key];
    else if (isMap(current) && isMap(value)) merged[key] = overlayIstioOperator(current, value, at);
    else if (Array.isArray(current) && Array.isArray(value) && mergeKeyAt(at) !== undefined) merged[key] = mergeByKey(current, value, mergeKeyAt(at)!, at);
    else merged[key] = value;
  }
  return merged;
}

/** Items with the same key are merged, new ones appended in the overlay's order. */
function mergeByKey(base: unknown[], overlay: unknown[], key: string, path: readonly string[]): unknown[] {
  const merged = [...base];
  for (const item of overlay) {
    const index = isMap(item) ? merged.findIndex((m) => isMap(m) && m[key] === item[key]) : -1;
    if (index >= 0) merged[index] = overlayIstioOperator(merged[index] as PlainMap, item as PlainMap, path);
    else merged.push(item);
  }
  return merged;
}
