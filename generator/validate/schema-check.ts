/**
 * Rule `schema`: every document validates against the strict JSON Schema of its apiVersion and
 * kind. The schemas in schemas/ are compiled ahead of time into standalone ajv code
 * (scripts/compile-schemas.ts -> dist/schemas/validators.cjs, one lazily required module per kind),
 * so a run pays no compilation and loads only the kinds it meets.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FieldPath } from '../findings.js';
import { packageRoot } from '../package-root.js';
import { get } from './json.js';
import type { PolicyFinding } from './policy.js';
import type { ManifestDoc, ManifestFile } from './manifests.js';

export const SCHEMA_RULE = {
  id: 'schema',
  description: 'Every manifest validates against the strict JSON Schema of its kind (unknown fields are errors); a kind without a schema is an error.',
  severity: 'error' as const,
};

interface AjvError {
  instancePath: string;
  schemaPath: string;
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
    return [{ file, message: file.parseError.message }];
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
  const seen = new Set<string>();
  return reportedErrors(validate.errors ?? []).flatMap((reported) => {
    const message = `${what(doc)}: ${describe(reported, doc.object)}`;
    if (seen.has(message)) return [];
    seen.add(message);
    return [{ doc, path: errorPath(reported.error), message }];
  });
}

function what(doc: ManifestDoc): string {
  return `${doc.kind} ${doc.name || '(unnamed)'}`;
}

/**
 * An anyOf/oneOf failure at a path stands for the failures of its alternatives there (the last one
 * ajv reports at a path is the outermost), so only it is reported; its message may sum them up.
 */
interface ReportedError {
  error: AjvError;
  /** For an anyOf/oneOf: the failures of its alternatives at the same path. */
  alternatives: AjvError[];
}

function reportedErrors(errors: readonly AjvError[]): ReportedError[] {
  const outermost = new Map<string, AjvError>();
  for (const e of errors) if (e.keyword === 'anyOf' || e.keyword === 'oneOf') outermost.set(e.instancePath, e);
  return errors.flatMap((error) => {
    const choice = outermost.get(error.instancePath);
    if (!choice) return [{ error, alternatives: [] }];
    if (error === choice) return [{ error, alternatives: errors.filter((e) => e !== choice && e.instancePath === error.instancePath) }];
    // An unknown field stands on its own, whatever else fails at that path.
    return error.keyword === 'additionalProperties' ? [{ error, alternatives: [] }] : [];
  });
}

/**
 * What the value types of the project's own schemas require, said once instead of as the regular
 * expressions and alternatives that check them. Keyed by schema location under `definitions`; those
 * definitions contain no $ref, so ajv inlines them and keeps the location in its errors' schemaPath
 * (schemas/README.md).
 */
const VALUE_TYPES: Readonly<Record<string, string>> = {
  port: 'must be a port number 1-65535',
  meshNetworkEndpoint: 'must have exactly one of fromCidr or fromRegistry',
  'meshNetworkEndpoint/properties/fromCidr': 'must be a CIDR block (a.b.c.d/n) or an IP address',
  'meshNetworkEndpoint/properties/fromRegistry': 'must be a cluster name: a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)',
  meshNetworkGateway: 'must have address or registryServiceName, not both',
  'meshNetworkGateway/properties/address': 'must be an IP address or a hostname',
  'meshNetworkGateway/properties/registryServiceName': 'must be the fully qualified name of the gateway Service (e.g. istio-eastwestgateway.istio-system.svc.cluster.local)',
  'meshNetworkGateway/properties/port': 'must be a port number 1-65535',
};

const SUBSCHEMA_KEYWORDS = new Set(['properties', 'patternProperties', 'items', 'additionalProperties']);

/** The value type an error is about: a validation keyword right at one of the locations above. */
function valueType(error: AjvError): string | undefined {
  if (error.keyword === 'additionalProperties' || error.keyword === 'required' || !error.schemaPath.startsWith('#/definitions/')) return undefined;
  const segments = error.schemaPath.slice('#/definitions/'.length).split('/');
  for (let end = segments.length - 1; end > 0; end -= 1) {
    const message = VALUE_TYPES[segments.slice(0, end).join('/')];
    if (message) return SUBSCHEMA_KEYWORDS.has(segments[end]!) ? undefined : message;
  }
  return undefined;
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

/**
 * The value as JSON, cut at 60 characters. Serialized only as far as shown: a value from a hostile
 * file may be huge (or, through aliases, share itself many times), and stringifying it whole costs
 * what the file's author chose.
 */
function shown(value: unknown): string {
  const LIMIT = 60;
  let text = '';
  const add = (part: string) => {
    text += part;
    return text.length <= LIMIT;
  };
  const write = (v: unknown): boolean => {
    if (Array.isArray(v)) {
      if (!add('[')) return false;
      for (let i = 0; i < v.length; i++) if ((i > 0 && !add(',')) || !write(v[i])) return false;
      return add(']');
    }
    if (v !== null && typeof v === 'object') {
      if (!add('{')) return false;
      let first = true;
      for (const [k, item] of Object.entries(v)) {
        if (item === undefined) continue;
        if ((!first && !add(',')) || !add(`${JSON.stringify(k)}:`) || !write(item)) return false;
        first = false;
      }
      return add('}');
    }
    const scalar = typeof v === 'string' ? JSON.stringify(v.length > LIMIT ? v.slice(0, LIMIT + 1) : v) : (JSON.stringify(v) ?? String(v));
    return add(scalar);
  };
  return write(value) ? text : `${text.slice(0, LIMIT - 3)}...`;
}

/**
 * The JSON types a value may have, in words. null is left out: the schemas admit it wherever the
 * decoder (Go's encoding/json, protobuf JSON) takes an empty YAML value as unset.
 */
function typeNames(types: unknown): string {
  const names = [...new Set(String(types).split(','))].filter((t) => t !== 'null');
  return names.length > 0 ? names.join(' or ') : 'null';
}

function describe({ error, alternatives }: ReportedError, object: unknown): string {
  const fieldPath = pointerToPath(error.instancePath);
  const at = fieldPath.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
  const where = at ? `${at}: ` : '';
  const got = `, got ${shown(get(object, fieldPath))}`;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}unknown field "${String(error.params.additionalProperty)}"`;
    case 'required':
      return `${where}missing required field "${String(error.params.missingProperty)}"`;
  }
  const named = valueType(error);
  if (named) return `${where}${named}${got}`;
  switch (error.keyword) {
    case 'type':
      return `${where}must be ${typeNames(error.params.type)}${got}`;
    case 'enum':
      return `${where}must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'anyOf':
    case 'oneOf': {
      // Alternatives that differ only in type (int-or-string fields) read as one type error.
      if (alternatives.length > 0 && alternatives.every((e) => e.keyword === 'type')) return `${where}must be ${typeNames(alternatives.map((e) => e.params.type))}${got}`;
      if (error.keyword === 'oneOf' && Array.isArray(error.params.passingSchemas)) return `${where}matches more than one of the alternatives it must choose from`;
      return `${where}matches none of the forms it may take${got}`;
    }
    default:
      return `${where}${error.message ?? error.keyword}${got}`;
  }
}
