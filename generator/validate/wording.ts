/** How findings name things: lists of clusters, label sets. */
import type { JsonObject } from './manifests.js';

/** Labels for a message: "istio=eastwestgateway, app=istio-eastwestgateway". */
export function labelList(labels: JsonObject): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

/** Names for a message: "a", "a and b", "a, b and c". */
export function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** "a" uses / "a" and "b" use: who holds the value the others are compared with. */
export function namesUse(names: readonly string[]): string {
  return `${listNames(names)} ${names.length === 1 ? 'uses' : 'use'}`;
}
