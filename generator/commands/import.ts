/**
 * `meshops import`: existing IstioOperator files (and Helm values files of Istio's charts) into
 * environments/<env>/mesh.yaml. Reads and writes files; the inference is adopt/import-plan.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { istioOperatorFromHelmValues } from '../adopt/helm-values.js';
import { planImport, type ImportNote, type ImportPlan, type IopDocument } from '../adopt/import-plan.js';
import { isMap } from '../adopt/istioctl-merge.js';
import type { FieldPath } from '../findings.js';
import { locateInDocument, MAX_INPUT_BYTES } from '../load/yaml-source.js';
import { inputRules } from '../../policies/index.js';
import { environmentExists, meshFilePath, meshFileText, writeNewEnvironment } from '../write/environment-file.js';

export interface ImportOptions {
  cwd: string;
  env: string;
  /** IstioOperator files, in istioctl's `-f` order. */
  files: readonly string[];
  /** Helm values files of the istiod or gateway chart, per cluster. */
  helmValues: readonly { cluster: string; file: string }[];
  istioVersion?: string;
}

export type ImportResult =
  | { status: 'written'; file: string; plan: ImportPlan; skipped: ImportNote[] }
  | { status: 'exists'; file: string }
  | { status: 'invalid'; errors: ImportNote[] };

interface ParsedFile {
  docs: { data: unknown; line(path: FieldPath): number | undefined }[];
  errors: ImportNote[];
}

function readYamlFile(cwd: string, file: string): ParsedFile {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    return { docs: [], errors: [{ file, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) return { docs: [], errors: [{ file, message: 'larger than 4 MiB; not an IstioOperator file' }] };
  const lineCounter = new LineCounter();
  const at = (offset: number) => ({ line: lineCounter.linePos(offset).line, column: lineCounter.linePos(offset).col });
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const all = Array.isArray(parsed) ? parsed : [];
  const errors = all.flatMap((d) => d.errors.slice(0, 1).map((e) => ({ file, line: at(e.pos[0]).line, message: e.message.split('\n')[0]! })));
  if (errors.length > 0) return { docs: [], errors };
  return {
    docs: all.map((doc) => ({ data: doc.toJS({ maxAliasCount: 100 }), line: (p: FieldPath) => locateInDocument(doc, p, at)?.line })),
    errors: [],
  };
}

export function importEnvironment(options: ImportOptions): ImportResult {
  const file = meshFilePath(options.env);
  if (environmentExists(options.cwd, options.env)) return { status: 'exists', file };
  const documents: IopDocument[] = [];
  const errors: ImportNote[] = [];
  const skipped: ImportNote[] = [];
  for (const name of options.files) {
    const parsed = readYamlFile(options.cwd, name);
    errors.push(...parsed.errors);
    for (const doc of parsed.docs) {
      if (doc.data === null || doc.data === undefined) continue;
      const kind = isMap(doc.data) ? doc.data.kind : undefined;
      if (kind !== 'IstioOperator' || !isMap(doc.data)) {
        skipped.push({ file: name, line: doc.line([]), message: `not an IstioOperator (kind ${JSON.stringify(kind ?? null)}): not read` });
        continue;
      }
      documents.push({ file: name, data: doc.data, line: doc.line });
    }
  }
  for (const { cluster, file: name } of options.helmValues) {
    const parsed = readYamlFile(options.cwd, name);
    errors.push(...parsed.errors);
    for (const doc of parsed.docs) {
      if (!isMap(doc.data)) continue;
      const converted = istioOperatorFromHelmValues(doc.data, cluster);
      for (const key of converted.leftOver) skipped.push({ cluster, file: name, line: doc.line([key]), message: `${key}: not carried over: meshops has no field for this gateway chart value` });
      documents.push({ file: name, data: converted.iop, line: (p) => doc.line(converted.valuesPath(p)) });
    }
  }
  if (errors.length > 0) return { status: 'invalid', errors };
  const outcome = planImport(documents, { env: options.env, rules: inputRules, istioVersion: options.istioVersion, install: options.helmValues.length > 0 ? 'helm' : 'istioctl' });
  if (!outcome.ok) return { status: 'invalid', errors: outcome.errors };
  const sources = [...options.files, ...options.helmValues.map((h) => h.file)];
  const text = meshFileText(options.cwd, options.env, outcome.plan.environment, [
    `Written by \`meshops import\` from ${sources.join(', ')} (merged in that order, as istioctl merges -f files).`,
    ...(outcome.plan.toFill.length > 0 ? ['Fields marked "TO FILL:" are facts those files do not hold; render names each until it is filled in.'] : []),
  ]);
  if (!writeNewEnvironment(options.cwd, options.env, text)) return { status: 'exists', file };
  return { status: 'written', file, plan: outcome.plan, skipped };
}
