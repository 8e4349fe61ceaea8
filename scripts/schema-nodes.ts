/** Walking JSON Schemas by schema position: a property may be named "description" or "items". */

export type Schema = Record<string, unknown>;

/** Keywords whose value maps names to subschemas, lists subschemas, or is one. */
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const SUBSCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SUBSCHEMAS = new Set(['items', 'additionalProperties', 'not']);

export function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A shallow copy of `schema` whose direct subschemas are replaced by `f(subschema)`. */
export function mapSubschemas(schema: Schema, f: (subschema: Schema) => Schema): Schema {
  const apply = (value: unknown) => (isSchema(value) ? f(value) : value);
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      if (SUBSCHEMA_MAPS.has(key) && isSchema(value)) return [key, Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, apply(sub)]))];
      if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) return [key, value.map(apply)];
      if (SUBSCHEMAS.has(key)) return [key, apply(value)];
      return [key, value];
    }),
  );
}
