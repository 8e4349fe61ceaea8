/**
 * rendered/<env>/ on disk: read it back, and replace it atomically. A render never leaves a
 * half-written environment: new trees are written beside the old ones, then swapped in by rename.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RENDERED_DIR } from '../layout.js';
import type { SerializedEnvironment, SerializedFile } from './serialize.js';

const TEMP_PREFIX = '.meshops-tmp-';

/** Every file under `dir` as POSIX-relative path -> content (empty map when `dir` is absent). */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (abs: string, rel: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(abs, entry.name);
      if (entry.isDirectory()) walk(childAbs, childRel);
      else if (entry.isFile()) files.set(childRel, readFileSync(childAbs, 'utf8'));
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return files;
}

/** Refuses any path that is absolute, climbs out with "..", or is not normalized. */
export function assertContained(relPath: string): void {
  const normalized = path.posix.normalize(relPath);
  if (path.posix.isAbsolute(relPath) || normalized !== relPath || normalized.startsWith('../') || normalized === '..' || relPath.includes('\\')) {
    throw new Error(`refusing to write outside the environment's directory: ${JSON.stringify(relPath)}`);
  }
}

function sameContent(existing: Map<string, string>, files: readonly SerializedFile[]): boolean {
  return existing.size === files.length && files.every((f) => existing.get(f.path) === f.content);
}

export interface WriteReport {
  written: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * Replaces rendered/<env>/ for each environment. With `pruneOthers`, directories of environments
 * that no longer exist are removed too (a full render owns all of rendered/).
 */
export function writeRendered(repoRoot: string, environments: readonly SerializedEnvironment[], pruneOthers: boolean): WriteReport {
  const root = path.join(repoRoot, RENDERED_DIR);
  // Every name is checked before anything is written, so a refused path leaves no trace.
  for (const { env, files } of environments) {
    assertContained(env);
    if (env.includes('/')) throw new Error(`invalid environment name ${JSON.stringify(env)}`);
    for (const file of files) assertContained(file.path);
  }
  mkdirSync(root, { recursive: true });
  const report: WriteReport = { written: [], unchanged: [], removed: [] };
  const staged: { env: string; temp: string }[] = [];
  try {
    for (const { env, files } of environments) {
      if (sameContent(readTree(path.join(root, env)), files)) {
        report.unchanged.push(env);
        continue;
      }
      const temp = path.join(root, `${TEMP_PREFIX}${env}-${process.pid}`);
      rmSync(temp, { recursive: true, force: true });
      staged.push({ env, temp });
      // Each directory is created once, not once per file (a cluster directory holds several).
      const created = new Set<string>();
      for (const file of files) {
        const target = path.join(temp, ...file.path.split('/'));
        const dir = path.dirname(target);
        if (!created.has(dir)) {
          mkdirSync(dir, { recursive: true });
          created.add(dir);
        }
        writeFileSync(target, file.content, { mode: file.executable ? 0o755 : 0o644 });
      }
    }
  } catch (error) {
    for (const { temp } of staged) rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  for (const { env, temp } of staged) {
    const target = path.join(root, env);
    const old = `${temp}-old`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(temp, target);
    rmSync(old, { recursive: true, force: true });
    report.written.push(env);
  }
  if (pruneOthers) {
    const keep = new Set(environments.map((e) => e.env));
    for (const entry of readdirSync(root)) {
      if (entry.startsWith('.') || keep.has(entry) || !statSync(path.join(root, entry)).isDirectory()) continue;
      rmSync(path.join(root, entry), { recursive: true, force: true });
      report.removed.push(entry);
    }
  }
  return report;
}
