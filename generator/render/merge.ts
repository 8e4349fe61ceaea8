/**
 * How an overlay lands on what meshops derives: maps merge key by key, anything else (lists,
 * scalars) is replaced. That is how Helm merges user values over a chart's (and what istioctl does
 * with `values` and `meshConfig`, whose lists carry no merge keys), so both install paths read an
 * overlay alike.
 */
export type PlainMap = Record<string, unknown>;

const isMap = (v: unknown): v is PlainMap => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepMerge(base: PlainMap, overlay: PlainMap): PlainMap {
  const merged: PlainMap = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = merged[key];
    merged[key] = isMap(current) && isMap(value) ? deepMerge(current, value) : value;
  }
  return merged;
}
