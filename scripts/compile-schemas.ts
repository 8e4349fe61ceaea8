/**
 * Build step: compiles every schema listed in schemas/catalog.json into one standalone ajv module
 * (dist/schemas/validators.cjs), keyed "apiVersion|Kind". Validation then loads plain functions
 * instead of compiling the Istio and Kubernetes schemas on every run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const schemasDir = path.join(repoRoot, 'schemas');
const outFile = path.join(repoRoot, 'dist', 'schemas', 'validators.cjs');

export function loadCatalog(): Record<string, string> {
  return JSON.parse(readFileSync(path.join(schemasDir, 'catalog.json'), 'utf8')).kinds as Record<string, string>;
}

function main(): void {
  const catalog = loadCatalog();
  // strict: false — Kubernetes schemas carry x-kubernetes-* annotations ajv does not know.
  const ajv = new Ajv({ code: { source: true }, strict: false, allErrors: true });
  addFormats(ajv);
  const exports: Record<string, string> = {};
  for (const [key, file] of Object.entries(catalog)) {
    const schema = JSON.parse(readFileSync(path.join(schemasDir, file), 'utf8'));
    delete schema.$schema;
    delete schema.$id;
    ajv.addSchema(schema, key);
    exports[key] = key;
  }
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, (standaloneCode as unknown as (ajv: Ajv, refs: Record<string, string>) => string)(ajv, exports));
  console.log(`compiled ${Object.keys(exports).length} schemas into ${path.relative(repoRoot, outFile)}`);
}

main();
