/**
 * ajv's errors as findings a person reads: the field path, what it must be, and the value it has.
 * Shared by the validator (rule `schema`) and by anything that checks a value against an Istio
 * schema before rendering it (generator/schemas/istio-operator.ts).
 */
import type { Severity } from '../findings.js';
import type { FieldPath } from '../findings.js';
import { get } from '../json.js';

export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
export type CompiledValidator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/** One thing wrong with a value: where (relative to the validated object), how bad, what. */
export interface SchemaIssue {
  path: FieldPath;
  severity: Severity;
  message: string;
}

/**
 * Values Istio accepts with a caveat fail a marker `enum` whose one allowed value names the caveat
 * (scripts/istio-schemas.ts, WARNING_DEFINITIONS): reported as a warning, with this explanation.
 */
const WARNINGS: Readonly<Record<string, (error: AjvError, value: unknown) => string>> = {
  'warning:enum-number': (_, value) => `an enum given by its number (${shown(value)}): Istio takes it, but the name is what its docs and later versions use`,
  'warning:dropped-meshconfig-field': (error) => `unknown MeshConfig field "${String(pointerToPath(error.instancePath).at(-1))}": istiod ignores it (from Istio 1.24 MeshConfig is read leniently), so it has no effect`,
};

function warningOf(error: AjvError): string | undefined {
  const allowed = error.keyword === 'enum' ? (error.params.allowedValues as unknown[]) : [];
  const marker = allowed.length === 1 && typeof allowed[0] === 'string' ? allowed[0] : undefined;
  return marker && WARNINGS[marker] ? marker : undefined;
}

/** The issues of a failed validation, one per field and problem. */
export function schemaIssues(validate: CompiledValidator, object: unknown): SchemaIssue[] {
  if (validate(object)) return [];
  const seen = new Set<string>();
  return reportedErrors(validate.errors ?? []).flatMap((reported) => {
    const warning = warningOf(reported.error);
    const issue: SchemaIssue = warning
      ? { path: pointerToPath(reported.error.instancePath), severity: 'warning', message: `${where(reported.error)}${WARNINGS[warning]!(reported.error, get(object, pointerToPath(reported.error.instancePath)))}` }
      : { path: errorPath(reported.error), severity: 'error', message: describe(reported, object) };
    if (seen.has(issue.message)) return [];
    seen.add(issue.message);
    return [issue];
  });
}


/**
 * An anyOf/oneOf failure at a path stands for the failures of its alternatives there (the last one
 * ajv reports at a path is the outermost), so only it is reported; its message may sum them up.
 * An if/then/else failure stands beside the failure of its branch, which says more; only the branch
 * is reported.
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
    if (error.keyword === 'if') return [];
    const choice = outermost.get(error.instancePath);
    if (!choice) return [{ error, alternatives: [] }];
    if (error === choice) return [{ error, alternatives: errors.filter((e) => e !== choice && e.instancePath === error.instancePath) }];
    // An unknown field stands on its own, whatever else fails at that path.
    return error.keyword === 'additionalProperties' ? [{ error, alternatives: [] }] : [];
  });
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
export function shown(value: unknown): string {
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

/** A field path as users write it: spec.values.global.meshNetworks.net2.gateways[0].port. */
export function pathText(fieldPath: FieldPath): string {
  return fieldPath.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
}

function where(error: AjvError): string {
  const at = pathText(pointerToPath(error.instancePath));
  return at ? `${at}: ` : '';
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
  const at = where(error);
  const got = `, got ${shown(get(object, pointerToPath(error.instancePath)))}`;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${at}unknown field "${String(error.params.additionalProperty)}"`;
    case 'required':
      return `${at}missing required field "${String(error.params.missingProperty)}"`;
    case 'false schema': {
      // A oneof member set beside another (scripts/istio-schemas.ts: dependencies/<member>/properties/<other>).
      const oneof = /\/dependencies\/([^/]+)\/properties\/([^/]+)\/false schema$/.exec(error.schemaPath);
      if (oneof) return `${at}cannot be set together with "${oneof[1]}": they are alternatives (a protobuf oneof), set one`;
      break;
    }
  }
  switch (error.keyword) {
    case 'type':
      return `${at}must be ${typeNames(error.params.type)}${got}`;
    case 'enum':
      return `${at}must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'anyOf':
    case 'oneOf': {
      // Alternatives that differ only in type (int-or-string fields) read as one type error.
      if (alternatives.length > 0 && alternatives.every((e) => e.keyword === 'type')) return `${at}must be ${typeNames(alternatives.map((e) => e.params.type))}${got}`;
      if (error.keyword === 'oneOf' && Array.isArray(error.params.passingSchemas)) return `${at}matches more than one of the alternatives it must choose from`;
      return `${at}matches none of the forms it may take${got}`;
    }
  }
  return `${at}${error.message ?? requirement(error)}${got}`;
}

/** What a keyword requires, in ajv's words: the validators are compiled without its messages (scripts/compile-schemas.ts). */
function requirement({ keyword, params }: AjvError): string {
  switch (keyword) {
    case 'pattern':
      return `must match pattern "${String(params.pattern)}"`;
    case 'format':
      return `must match format "${String(params.format)}"`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${String(params.limit)}`;
    case 'minLength':
    case 'maxLength':
      return `must NOT have ${keyword === 'minLength' ? 'fewer' : 'more'} than ${String(params.limit)} characters`;
    case 'minItems':
    case 'maxItems':
      return `must NOT have ${keyword === 'minItems' ? 'fewer' : 'more'} than ${String(params.limit)} items`;
    case 'minProperties':
    case 'maxProperties':
      return `must NOT have ${keyword === 'minProperties' ? 'fewer' : 'more'} than ${String(params.limit)} properties`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `must satisfy "${keyword}" ${JSON.stringify(params)}`;
  }
}
