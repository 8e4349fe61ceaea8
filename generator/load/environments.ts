/**
 * Environment discovery and loading: environments/<env>/mesh.yaml or mesh.jsonnet -> a validated
 * MeshEnvironment, or findings that point at the file, line and field to fix.
 */
import path from 'node:path';
import type { z } from 'zod';
import type { FieldPath, Finding } from '../findings.js';
import { readRegularFile } from '../fs/read-regular.js';
import { environmentDir, ENVIRONMENTS_DIR, isEnvironmentName, JSONNET_LIB_DIR, MESH_JSONNET_FILE, MESH_YAML_FILE, renderedEnvironmentDir } from '../layout.js';
import { modelSchema, type InputRule } from '../model/input-rule.js';
import { MeshEnvironmentSchema, type MeshEnvironment } from '../model/mesh-environment.js';
import { fieldsToFill } from '../model/to-fill.js';
import { discoverEnvironments, locateMeshFile } from './environment-files.js';
import { evaluateJsonnet } from './jsonnet.js';
import { MAX_INPUT_BYTES, oversizeFinding, parseYamlSource, type SourceDocument } from './yaml-source.js';

export { discoverEnvironments };

export interface LoadedEnvironment {
  name: string;
  /** Repository-relative path of the mesh file. */
  file: string;
  model: MeshEnvironment;
  source: SourceDocument;
}

export type LoadResult = { ok: true; env: LoadedEnvironment } | { ok: false; findings: Finding[] };

/** Loads environments/<name>/ and checks it against the model and the given input rules. */
export async function loadEnvironment(repoRoot: string, name: string, rules: readonly InputRule[]): Promise<LoadResult> {
  const relDir = environmentDir(name);
  const fail = (message: string, file = relDir): LoadResult => ({ ok: false, findings: [{ rule: 'input', severity: 'error', file, message }] });
  if (!isEnvironmentName(name)) {
    return fail(`"${name}" is not an environment name: it must be a directory directly under ${ENVIRONMENTS_DIR}/ named as a DNS-1123 label`, ENVIRONMENTS_DIR);
  }
  const lookup = locateMeshFile(repoRoot, name);
  if (!lookup.ok) {
    if (!lookup.absent) return { ok: false, findings: lookup.findings };
    const known = discoverEnvironments(repoRoot).names;
    return fail(
      `no environment "${name}": expected ${relDir}/${MESH_YAML_FILE} or ${relDir}/${MESH_JSONNET_FILE}` +
        (known.length ? ` (environments here: ${known.join(', ')})` : ''),
    );
  }
  const { file, abs: absFile, jsonnet } = lookup.mesh;
  // Read before evaluating Jsonnet too: a FIFO or device must not reach the engine either.
  const read = readRegularFile(absFile, MAX_INPUT_BYTES);
  if (!read.ok) return read.oversize ? { ok: false, findings: [oversizeFinding(file)] } : fail(`the mesh file: ${read.reason}`, file);

  const parsed = jsonnet
    ? await evaluateJsonnet(absFile, file, path.join(repoRoot, ENVIRONMENTS_DIR, JSONNET_LIB_DIR), repoRoot)
    : parseYamlSource(file, read.text);
  if (!parsed.ok) return parsed;
  return modelFromSource(parsed.source, name, rules);
}

/** Validates parsed input against the model and the input rules; every issue becomes a finding at its field. */
export function modelFromSource(source: SourceDocument, dirName: string, rules: readonly InputRule[]): LoadResult {
  const unfilled = fieldsToFill(source.data);
  if (unfilled.length > 0) {
    return { ok: false, findings: unfilled.map((u) => fieldFinding(source, u.path, `still to fill in: ${u.what} (marked by meshops init or import)`)) };
  }
  const prototypeKeys = hasPrototypeKey(source.data) ? prototypeKeyPaths(source.data) : [];
  if (prototypeKeys.length > 0) {
    return { ok: false, findings: prototypeKeys.map((p) => fieldFinding(source, p, 'the key "__proto__" is not allowed: no field or map of a mesh file has it')) };
  }
  const result = modelSchema(rules).safeParse(source.data);
  const findings: Finding[] = result.success ? [] : result.error.issues.flatMap((issue) => issueFindings(issue, source));
  if (result.success && result.data.metadata.name !== dirName) {
    findings.push(
      fieldFinding(source, ['metadata', 'name'], `must equal the directory name "${dirName}" (found ${JSON.stringify(result.data.metadata.name)}): ${renderedEnvironmentDir(dirName)}/ is named after the directory`),
    );
  }
  if (!result.success || findings.length > 0) return { ok: false, findings };
  return { ok: true, env: { name: dirName, file: source.file, model: result.data, source } };
}

/**
 * Where the input has a "__proto__" key. The model's maps are built by assignment, and assigning
 * "__proto__" sets the prototype: the entry would vanish without a word (spec.policies: {__proto__: off}).
 */
function hasPrototypeKey(data: unknown): boolean {
  if (data === null || typeof data !== 'object') return false;
  if (Object.prototype.hasOwnProperty.call(data, '__proto__')) return true;
  for (const value of Object.values(data)) if (hasPrototypeKey(value)) return true;
  return false;
}

function prototypeKeyPaths(data: unknown, at: FieldPath = []): FieldPath[] {
  if (data === null || typeof data !== 'object') return [];
  const own = Object.prototype.hasOwnProperty.call(data, '__proto__') ? [[...at, '__proto__']] : [];
  return [...own, ...Object.entries(data).flatMap(([key, value]) => prototypeKeyPaths(value, [...at, Array.isArray(data) ? Number(key) : key]))];
}

function issueFindings(issue: z.core.$ZodIssue, source: SourceDocument): Finding[] {
  const issuePath = issue.path as FieldPath;
  if (issue.code === 'unrecognized_keys') {
    // Located at the key itself, reported against its parent: "spec.clusters[1]: unknown field ...".
    return issue.keys.map((key) => ({
      ...fieldFinding(source, issuePath, unknownFieldMessage(key, issuePath)),
      ...positionOf(source, [...issuePath, key]),
    }));
  }
  return [fieldFinding(source, issuePath, describeIssue(issue, source.data))];
}

function positionOf(source: SourceDocument, fieldPath: FieldPath): { line?: number; column?: number } {
  const pos = source.locate(fieldPath);
  return pos ? { line: pos.line, column: pos.column } : {};
}

function fieldFinding(source: SourceDocument, fieldPath: FieldPath, message: string): Finding {
  const shown = formatPath(fieldPath);
  const finding: Finding = { rule: 'input', severity: 'error', file: source.file, ...positionOf(source, fieldPath), message: shown ? `${shown}: ${message}` : message };
  // A finding under spec.clusters[i] belongs to that cluster (the JSON report carries it).
  const clusterName = fieldPath[0] === 'spec' && fieldPath[1] === 'clusters' && typeof fieldPath[2] === 'number' ? valueAt(source.data, [...fieldPath.slice(0, 3), 'name']) : undefined;
  if (typeof clusterName === 'string') finding.cluster = clusterName;
  return finding;
}

function unknownFieldMessage(key: string, parent: FieldPath): string {
  const known = knownFields(MeshEnvironmentSchema, parent);
  const suggestion = closest(key, known);
  const where = parent.length ? '' : ' at the top level';
  if (suggestion) return `unknown field "${key}"${where}; did you mean "${suggestion}"?`;
  return `unknown field "${key}"${where}` + (known.length ? ` (known fields: ${known.join(', ')})` : '');
}

/**
 * The wording of a field's error. Type mismatches (a string where a number goes, 1.5 for a whole
 * number) are worded here, from the value found; the model words only its value constraints
 * (patterns, ranges), so each message has one owner.
 */
function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const value = valueAt(data, issue.path as FieldPath);
  // Quoting the offending scalar helps; "(found a list)" would not.
  const found = value !== null && typeof value !== 'object' && value !== undefined ? ` (found ${describeValue(value)})` : '';
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.path.length === 0) {
        // The value itself is not quoted: a file that is one scalar is not a mesh file (a linked
        // credentials file reads as one string), and its content must not reach a CI log.
        return `${value == null ? 'the file is empty' : `found ${typeof value === 'string' ? 'text' : describeValue(value)}`}: a mesh file holds one MeshEnvironment mapping with apiVersion, kind, metadata and spec`;
      }
      if (value === undefined) return `is required (expected ${typeName(issue.expected)})`;
      const hint =
        issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')
          ? '; put it in quotes so YAML reads it as text'
          : issue.expected === 'boolean' && typeof value === 'string' && /^(y|yes|n|no|on|off)$/i.test(value)
            ? ' (YAML 1.2 reads yes, no, on and off as text)'
            : '';
      return `expected ${typeName(issue.expected)}, found ${describeValue(value)}${hint}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}${found}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${found}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      return `${issue.message}${found}`;
    case 'invalid_key': {
      // A map key the model refuses (an empty annotation key, a malformed label key).
      const reason = issue.issues[0]?.message ?? issue.message;
      return `the key ${JSON.stringify(issue.path[issue.path.length - 1])} is not allowed: ${reason}`;
    }
    case 'too_big':
    case 'invalid_format':
    case 'invalid_union':
      return `${issue.message}${found}`;
    default:
      return issue.message;
  }
}

function typeName(expected: string): string {
  const names: Record<string, string> = { object: 'a mapping', record: 'a mapping', array: 'a list', string: 'a string', number: 'a number', int: 'a whole number', boolean: 'true or false' };
  return names[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

function valueAt(data: unknown, fieldPath: FieldPath): unknown {
  let node = data;
  for (const segment of fieldPath) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** The field names the model allows at `fieldPath` (an object's shape), for "did you mean". */
function knownFields(schema: z.core.$ZodType, fieldPath: FieldPath): string[] {
  type Def = { type: string; shape?: Record<string, z.core.$ZodType>; innerType?: z.core.$ZodType; in?: z.core.$ZodType; element?: z.core.$ZodType; valueType?: z.core.$ZodType; options?: z.core.$ZodType[] };
  const unwrap = (s: z.core.$ZodType): Def => {
    let def = s._zod.def as unknown as Def;
    while (def.innerType ?? def.in) def = (def.innerType ?? def.in)!._zod.def as unknown as Def;
    return def;
  };
  const alternatives = (s: z.core.$ZodType): z.core.$ZodType[] => {
    const def = unwrap(s);
    return def.type === 'union' ? (def.options ?? []).flatMap(alternatives) : [s];
  };
  let candidates = alternatives(schema);
  for (const segment of fieldPath) {
    candidates = candidates.flatMap((s) => {
      const def = unwrap(s);
      const next = typeof segment === 'number' ? def.element : (def.shape?.[segment] ?? def.valueType);
      return next ? alternatives(next) : [];
    });
  }
  return [...new Set(candidates.flatMap((s) => Object.keys(unwrap(s).shape ?? {})))];
}

/** The known name a typo most likely meant: same letters ignoring case, or at most two edits away. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = name.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, name);
    if (distance <= Math.min(2, Math.floor(name.length / 3)) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** spec.clusters[1].eastWestGateway.address */
function formatPath(fieldPath: FieldPath): string {
  return fieldPath
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : /^[A-Za-z_][\w-]*$/.test(seg) ? (i ? `.${seg}` : seg) : `[${JSON.stringify(seg)}]`))
    .join('');
}
