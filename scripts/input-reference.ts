/**
 * Writes README.md's input reference: one Markdown table row per MeshEnvironment field, generated
 * from the same JSON Schema `meshops schema` prints, so the table cannot drift from the model
 * (test/input-reference.test.ts fails when README.md's copy is stale).
 *
 *   npm run build && node dist/scripts/input-reference.js
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchema } from '../generator/model/json-schema.js';
import { packageRoot } from '../generator/package-root.js';

interface Schema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
}

interface Row {
  field: string;
  type: string;
  required: boolean;
  default?: unknown;
  description: string;
}

/** A short type for the table: enums and constants spelled out, maps and lists named. */
function typeOf(schema: Schema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (schema.anyOf) {
    const formats = schema.anyOf.map((s) => s.format ?? (s.pattern ? 'hostname' : typeOf(s)));
    return [...new Set(formats)].join(' \\| ');
  }
  if (schema.type === 'array') return `list of ${schema.items?.type === 'object' ? 'objects' : typeOf(schema.items ?? {})}`;
  if (schema.type === 'object' && !schema.properties) {
    const value = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
    return `map of ${value.anyOf?.every((s) => s.type === 'object') ? 'objects' : typeOf(value)}`;
  }
  if (schema.type === 'integer' && schema.minimum !== undefined && schema.maximum !== undefined) return `integer ${schema.minimum}–${schema.maximum}`;
  if (schema.type === 'string' && schema.pattern?.includes('/([0-9]')) return 'CIDR';
  return schema.type ?? 'any';
}

function rows(schema: Schema, prefix: string, required: boolean, out: Row[]): Row[] {
  if (prefix) out.push({ field: prefix, type: typeOf(schema), required, default: schema.default, description: schema.description ?? '' });
  const object = schema.type === 'array' ? schema.items : schema;
  const base = schema.type === 'array' ? `${prefix}[]` : prefix;
  for (const [name, child] of Object.entries(object?.properties ?? {})) {
    rows(child, base ? `${base}.${name}` : name, (object?.required ?? []).includes(name), out);
  }
  // A map of objects (argocd.destinations): its entries' fields, under <key>; each entry is one
  // of the alternatives, so no single field is required.
  const entry = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const alternatives = (entry?.anyOf ?? []).flatMap((a) => Object.entries(a.properties ?? {}));
  for (const [name, child] of alternatives) {
    const others = alternatives.map(([n]) => n).filter((n) => n !== name);
    rows({ ...child, description: child.description ?? `instead of ${others.join(', ')}` }, `${prefix}.<cluster>.${name}`, false, out);
  }
  return out;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function inputReference(): string {
  const lines = ['| field | type | required | default | description |', '|---|---|---|---|---|'];
  for (const row of rows(jsonSchema() as Schema, '', true, [])) {
    const shown = row.default === undefined ? '' : `\`${JSON.stringify(row.default)}\``;
    lines.push(`| \`${row.field}\` | ${row.type} | ${row.required ? 'yes' : ''} | ${cell(shown)} | ${cell(row.description)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const [BEGIN, END] = ['<!-- input-reference -->', '<!-- /input-reference -->'];

/** README.md with the input reference between its markers rendered afresh. */
export function readmeWithInputReference(readme: string): string {
  const from = readme.indexOf(BEGIN);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${BEGIN} ... ${END} section`);
  return `${readme.slice(0, from + BEGIN.length)}\n${inputReference()}${readme.slice(to)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const readme = path.join(packageRoot(), 'README.md');
  writeFileSync(readme, readmeWithInputReference(readFileSync(readme, 'utf8')));
  console.log('wrote the input reference of README.md');
}
