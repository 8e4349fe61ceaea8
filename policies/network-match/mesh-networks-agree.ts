import { globalPath } from '../../generator/validate/cluster-facts.js';
import { consensus } from '../../generator/validate/mesh-facts.js';
import type { PolicyContext } from '../../generator/validate/policy.js';
import { listNames } from '../../generator/validate/wording.js';

/** JSON with sorted object keys: meshNetworks maps compare by content, not by key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Every cluster that carries meshNetworks carries the same one. */
export function checkMeshNetworksAgree({ clusters, report }: PolicyContext): void {
  const carriers = clusters.filter((c) => c.iop && c.meshNetworks);
  // Plain JSON first: copies written by one tool agree byte for byte; key order is only
  // normalized (slower, on a large mesh) when they do not.
  const keyOf = new Map(carriers.map((c) => [c, JSON.stringify(c.meshNetworks)] as const));
  if (new Set(keyOf.values()).size > 1) for (const c of carriers) keyOf.set(c, canonical(c.meshNetworks));
  const agreed = consensus(carriers, (c) => keyOf.get(c)!);
  for (const c of carriers) {
    if (agreed && keyOf.get(c) !== agreed.value) {
      report({
        doc: c.iop!,
        path: globalPath('meshNetworks'),
        message: `cluster "${c.name}": values.global.meshNetworks differs from the one ${listNames(agreed.holders.map((h) => h.name))} carry; every istiod must route with the same meshNetworks`,
      });
    }
  }
}
