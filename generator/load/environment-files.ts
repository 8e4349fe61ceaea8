/**
 * Which environments exist and where each one's mesh file is: the one answer render, check and
 * validate's severity lookup share. An environment is a real directory under environments/ (a
 * symbolic link is refused: the rendered tree would be named after a directory the repository does
 * not hold) with an entry named mesh.yaml or mesh.jsonnet. An entry that is there but broken (a
 * dangling link, a link out of the repository, an unreadable directory) makes the environment
 * broken, never absent: absent would let a full render prune its rendered tree.
 */
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../findings.js';
import { describeFsError } from '../fs/read-regular.js';
import { environmentDir, ENVIRONMENTS_DIR, JSONNET_LIB_DIR, MESH_FILES, MESH_JSONNET_FILE } from '../layout.js';

/** Far above any real environment (a 1,000-cluster mesh.yaml is ~300 KiB); refuses runaway input. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

export interface MeshFile {
  /** Repository-relative, POSIX separators. */
  file: string;
  abs: string;
  jsonnet: boolean;
}

export type MeshFileLookup = { ok: true; mesh: MeshFile } | { ok: false; absent: boolean; findings: Finding[] };

const inputError = (file: string, message: string): Finding => ({ rule: 'input', severity: 'error', file, message });

/** Every environment directory's name (broken ones included), and findings for what cannot be one. */
export function discoverEnvironments(repoRoot: string): { names: string[]; findings: Finding[] } {
  const dir = path.join(repoRoot, ENVIRONMENTS_DIR);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { names: [], findings: [] };
    return { names: [], findings: [inputError(ENVIRONMENTS_DIR, `cannot list ${ENVIRONMENTS_DIR}/: ${describeFsError(e)}`)] };
  }
  const names: string[] = [];
  const findings: Finding[] = [];
  for (const entry of entries) {
    if (entry.name === JSONNET_LIB_DIR || entry.name.startsWith('.')) continue;
    if (entry.isSymbolicLink()) {
      findings.push(symlinkedDirectory(entry.name));
      continue;
    }
    if (!entry.isDirectory()) continue;
    const lookup = locateMeshFile(repoRoot, entry.name);
    if (lookup.ok || !lookup.absent) names.push(entry.name);
  }
  return { names: names.sort(), findings };
}

function symlinkedDirectory(name: string): Finding {
  return inputError(
    `${ENVIRONMENTS_DIR}/${name}`,
    `${ENVIRONMENTS_DIR}/${name} is a symbolic link; an environment is a directory in the repository (rendered/${name} is named after it), so move the files there instead`,
  );
}

/**
 * environments/<name>/'s mesh file. `absent` says there is no environment by that name at all;
 * every other failure names what is wrong with it.
 */
export function locateMeshFile(repoRoot: string, name: string): MeshFileLookup {
  const relDir = environmentDir(name);
  const dir = path.join(repoRoot, ENVIRONMENTS_DIR, name);
  const broken = (file: string, message: string): MeshFileLookup => ({ ok: false, absent: false, findings: [inputError(file, message)] });
  try {
    const stats = lstatSync(dir);
    if (stats.isSymbolicLink()) return { ok: false, absent: false, findings: [symlinkedDirectory(name)] };
    if (!stats.isDirectory()) return { ok: false, absent: true, findings: [] };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, absent: true, findings: [] };
    return broken(relDir, `cannot read ${relDir}/: ${describeFsError(e)}`);
  }
  const present: string[] = [];
  for (const name of MESH_FILES) {
    try {
      lstatSync(path.join(dir, name));
      present.push(name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return broken(relDir, `cannot read ${relDir}/: ${describeFsError(e)}`);
    }
  }
  if (present.length === 0) return { ok: false, absent: true, findings: [] };
  if (present.length > 1) return broken(relDir, `both mesh.yaml and mesh.jsonnet exist in ${relDir}/; an environment has exactly one mesh file, remove one`);
  const file = `${relDir}/${present[0]!}`;
  const abs = path.join(dir, present[0]!);
  // A link is followed only within the repository: one pointing at a credentials file or
  // /proc/self/environ must not be read, let alone quoted in an error.
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (e) {
    return broken(file, `cannot read the mesh file: ${describeFsError(e)}`);
  }
  const root = realpathSync(repoRoot);
  if (real !== root && !real.startsWith(`${root}${path.sep}`)) {
    return broken(file, 'the mesh file is a symbolic link to a file outside the repository; refusing to read it');
  }
  return { ok: true, mesh: { file, abs, jsonnet: present[0] === MESH_JSONNET_FILE } };
}
