/**
 * Environment discovery and loading: environments/<env>/mesh.yaml or mesh.jsonnet -> a validated
 * MeshEnvironment, or findings that point at the file, line and field to fix.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Finding } from '../findings.js';
import { MeshEnvironmentSchema, type MeshEnvironment } from '../model/mesh-environment.js';
import { evaluateJsonnet } from './jsonnet.js';
import { parseYamlSource, type FieldPath, type SourceDocument } from './yaml-source.js';

export const ENVIRONMENTS_DIR = 'environments';
/** Shared Jsonnet libraries; never an environment itself. */
export const JSONNET_LIB_DIR = 'lib';

export interface LoadedEnvironment {
  name: string;
  /** Repository-relative path of the mesh file. */
  file: string;
  model: MeshEnvironment;
  source: SourceDocument;
}

export type LoadResult = { ok: true; env: LoadedEnvironment } | { ok: false; findings: Finding[] };

/** Names of the directories under environments/ that hold a mesh file, sorted. */
export function discoverEnvironments(repoRoot: string): string[] {
  const dir = path.join(repoRoot, ENVIRONMENTS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== JSONNET_LIB_DIR)
    .filter((d) => meshFiles(path.join(dir, d.name)).length > 0)
    .map((d) => d.name)
    .sort();
}

function meshFiles(envDir: string): string[] {
  return ['mesh.yaml', 'mesh.jsonnet'].filter((f) => existsSync(path.join(envDir, f)));
}

export async function loadEnvironment(repoRoot: string, name: string): Promise<LoadResult> {
  const envDir = path.join(repoRoot, ENVIRONMENTS_DIR, name);
  const relDir = `${ENVIRONMENTS_DIR}/${name}`;
  const files = existsSync(envDir) ? meshFiles(envDir) : [];
  const fail = (message: string, file = relDir): LoadResult => ({ ok: false, findings: [{ rule: 'input', severity: 'error', file, message }] });
  if (files.length === 0) return fail(`no environment "${name}": expected ${relDir}/mesh.yaml or ${relDir}/mesh.jsonnet`);
  if (files.length > 1) return fail('both mesh.yaml and mesh.jsonnet exist; an environment has exactly one mesh file');
  const fileName = files[0]!;
  const file = `${relDir}/${fileName}`;
  const absFile = path.join(envDir, fileName);

  const parsed = fileName.endsWith('.jsonnet')
    ? await evaluateJsonnet(absFile, file, path.join(repoRoot, ENVIRONMENTS_DIR, JSONNET_LIB_DIR), repoRoot)
    : parseYamlSource(file, readFileSync(absFile, 'utf8'));
  if (!parsed.ok) return parsed;
  return modelFromSource(parsed.source, name);
}

/** Validates parsed input against the model; every issue becomes a finding at its field. */
export function modelFromSource(source: SourceDocument, dirName: string): LoadResult {
  const result = MeshEnvironmentSchema.safeParse(source.data);
  const findings: Finding[] = result.success ? [] : result.error.issues.flatMap((issue) => issueFindings(issue, source));
  if (result.success && result.data.metadata.name !== dirName) {
    findings.push(fieldFinding(source, ['metadata', 'name'], `metadata.name "${result.data.metadata.name}" must equal the directory name "${dirName}"`));
  }
  if (!result.success || findings.length > 0) return { ok: false, findings };
  return { ok: true, env: { name: dirName, file: source.file, model: result.data, source } };
}

function issueFindings(issue: z.core.$ZodIssue, source: SourceDocument): Finding[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) =>
      fieldFinding(source, [...issue.path, key] as FieldPath, `unknown field "${key}"${where(issue.path as FieldPath)}`),
    );
  }
  return [fieldFinding(source, issue.path as FieldPath, describeIssue(issue))];
}

function fieldFinding(source: SourceDocument, fieldPath: FieldPath, message: string): Finding {
  const pos = source.locate(fieldPath);
  const shown = formatPath(fieldPath);
  return {
    rule: 'input',
    severity: 'error',
    file: source.file,
    line: pos?.line,
    column: pos?.column,
    message: shown ? `${shown}: ${message}` : message,
  };
}

function where(parent: FieldPath): string {
  return parent.length ? ` in ${formatPath(parent)}` : ' at the top level';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return `is required (expected ${issue.expected})`;
  }
  if (issue.code === 'invalid_type') return issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_value' && issue.values.length > 0) {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return issue.message;
}

/** spec.clusters[1].eastWestGateway.address */
export function formatPath(fieldPath: FieldPath): string {
  return fieldPath
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : /^[A-Za-z_][\w-]*$/.test(seg) ? (i ? `.${seg}` : seg) : `[${JSON.stringify(seg)}]`))
    .join('');
}
