/**
 * Reading parsed YAML or JSON without trusting its shape: trees may be hand-written, and overlays
 * and schemas' instances are whatever the user wrote. A shared leaf: the validator, the schema
 * checks and the generator's readers all use it.
 */
import type { FieldPath } from './findings.js';

export type JsonObject = Record<string, unknown>;

export function get(object: unknown, fieldPath: FieldPath): unknown {
  let value: unknown = object;
  for (const segment of fieldPath) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A YAML scalar as the text it states (`port: 15443` and `port: "15443"` alike); undefined when absent or empty. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
