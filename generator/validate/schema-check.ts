/**
 * Rule `schema`: every document validates against the strict JSON Schema of its apiVersion and
 * kind. The schemas in schemas/ are compiled ahead of time into standalone ajv code
 * (scripts/compile-schemas.ts -> dist/schemas/validators.cjs), so a run pays no compilation.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FieldPath } from '../load/yaml-source.js';
import { packageRoot } from '../package-root.js';
import type { PolicyFinding } from './policy.js';
import type { ManifestDoc, ManifestFile } from './manifests.js';

export const SCHEMA_RULE = {
  id: 'schema',
  description: 'Every manifest validates against the strict JSON Schema of its kind (unknown fields are errors); a kind without a schema is an error.',
  severity: 'error' as const,
};

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
type CompiledValidator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

let validators: Record<string, CompiledValidator> | undefined;

function compiledValidators(): Record<string, CompiledValidator> {
  if (!validators) {
    const file = path.join(packageRoot(), 'dist', 'schemas', 'validators.cjs');
    if (!existsSync(file)) throw new Error(`compiled schemas not found at ${file}: run \`npm run build\``);
    validators = createRequire(import.meta.url)(file) as Record<string, CompiledValidator>;
  }
  return validators;
}

export function schemaKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

export function knownKinds(): string[] {
  return Object.keys(compiledValidators()).sort();
}

export function checkFileSchemas(file: ManifestFile): PolicyFinding[] {
  if (file.parseError) {
    return [{ file, message: `not valid YAML: ${file.parseError.message}` }];
  }
  return file.docs.flatMap(checkDocument);
}

function checkDocument(doc: ManifestDoc): PolicyFinding[] {
  if (!doc.apiVersion || !doc.kind) {
    return [{ doc, message: 'not a Kubernetes object: a document needs apiVersion and kind (Argo CD fails on such YAML in a synced directory)' }];
  }
  const validate = compiledValidators()[schemaKey(doc.apiVersion, doc.kind)];
  if (!validate) {
    return [{ doc, path: ['kind'], message: `no schema for ${doc.kind} (${doc.apiVersion}): add one under schemas/ or fix apiVersion/kind` }];
  }
  if (validate(doc.object)) return [];
  return (validate.errors ?? []).map((error) => ({ doc, path: errorPath(error), message: `${what(doc)}: ${describe(error)}` }));
}

function what(doc: ManifestDoc): string {
  return `${doc.kind} ${doc.name || '(unnamed)'}`;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function errorPath(error: AjvError): FieldPath {
  const base = pointerToPath(error.instancePath);
  if (error.keyword === 'additionalProperties') return [...base, String(error.params.additionalProperty)];
  return base;
}

function describe(error: AjvError): string {
  const at = pointerToPath(error.instancePath)
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s))
    .join('');
  const where = at ? `${at}: ` : '';
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}unknown field "${String(error.params.additionalProperty)}"`;
    case 'required':
      return `${where}missing required field "${String(error.params.missingProperty)}"`;
    case 'enum':
      return `${where}must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where}${error.message ?? error.keyword}`;
  }
}
