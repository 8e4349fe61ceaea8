/**
 * Vitest global setup: makes dist/ as fresh as the sources a project needs, before any test runs.
 * The e2e project runs the real binary (dist/): it needs the whole build. The unit project runs the
 * source in-process, which still loads the precompiled schemas (dist/schemas/validators.cjs) when it
 * validates: it needs them as fresh as schemas/. Fresh means the build's last output (the CLI
 * bundle, written after tsc and compile-schemas) is newer than every input; otherwise this runs
 * `npm run build`'s three steps, and a failing build fails the run with the compiler's output.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from './helpers.js';

const STAMP = path.join(REPO_ROOT, 'dist', 'meshops.js');

const INPUTS: Record<string, readonly string[]> = {
  unit: ['schemas', 'scripts/compile-schemas.ts'],
  e2e: ['generator', 'policies', 'scripts', 'schemas', 'bin', 'tsconfig.json', 'tsconfig.build.json', 'package.json'],
};

function newestMtime(rel: string): number {
  const abs = path.join(REPO_ROOT, rel);
  const st = statSync(abs);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(abs).map((name) => newestMtime(path.join(rel, name))));
}

function stampMtime(): number {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return -1;
  }
}

export default function setup(project: TestProject): void {
  const inputs = INPUTS[project.name];
  if (!inputs) throw new Error(`test/global-setup.ts: no build inputs listed for project "${project.name}"`);
  const stale = inputs.filter((rel) => newestMtime(rel) > stampMtime());
  if (stale.length === 0) return;
  console.log(`dist/ is older than ${stale.join(', ')}: building (tsc -p tsconfig.build.json, compile-schemas, bundle-cli)`);
  try {
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: 'pipe' });
    for (const step of ['compile-schemas.js', 'bundle-cli.js']) execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'scripts', step)], { cwd: REPO_ROOT, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
    throw new Error(`the build for the ${project.name} tests failed; fix it or run \`npm run build\` to see why:\n${stdout}${stderr}`);
  }
}
