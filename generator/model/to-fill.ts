/**
 * Fields `meshops init` and `meshops import` cannot know (a load balancer's address, the Istio
 * version when no file states it) are written as a marked string the user replaces. Render names
 * each one still there, at its line, before anything else about the file.
 */
import type { FieldPath } from '../findings.js';

const MARK = 'TO FILL:';

export function toFill(what: string): string {
  return `${MARK} ${what}`;
}

export function fieldsToFill(data: unknown, path: FieldPath = []): { path: FieldPath; what: string }[] {
  if (typeof data === 'string') return data.startsWith(MARK) ? [{ path, what: data.slice(MARK.length).trim() }] : [];
  if (Array.isArray(data)) return data.flatMap((item, i) => fieldsToFill(item, [...path, i]));
  if (typeof data === 'object' && data !== null) return Object.entries(data).flatMap(([k, v]) => fieldsToFill(v, [...path, k]));
  return [];
}
