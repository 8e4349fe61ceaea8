/**
 * Environments as they were at a git revision, read from Git itself (`git ls-tree`, `git show`),
 * never from the working tree and never by checking anything out. Jsonnet is the one exception to
 * reading in memory: its imports resolve against files, so environments/ at that commit is
 * extracted once (`git archive`) into a temporary directory, removed by dispose().
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Finding } from '../findings.js';
import { environmentDir, ENVIRONMENTS_DIR, isEnvironmentName, JSONNET_LIB_DIR, MESH_FILES, MESH_JSONNET_FILE, MESH_YAML_FILE } from '../layout.js';
import { evaluateJsonnet } from './jsonnet.js';
import { parseYamlSource, type SourceDocument } from './yaml-source.js';

/** The revision cannot be used: a usage error, not a finding. */
export class BaseRevisionError extends Error {}

function git(repoRoot: string, args: readonly string[]): { ok: boolean; stdout: Buffer; stderr: string } {
  const r = spawnSync('git', args, { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new BaseRevisionError(`--base needs git, which could not be run: ${r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.toString('utf8').trim() };
}

/** The commit GITREF names, or BaseRevisionError saying why there is none. */
export function resolveBase(repoRoot: string, ref: string): string {
  // A ref starting with "-" would be read by git as an option.
  if (ref === '' || ref.startsWith('-')) throw new BaseRevisionError(`--base ${JSON.stringify(ref)}: not a git revision`);
  if (!git(repoRoot, ['rev-parse', '--is-inside-work-tree']).ok) {
    throw new BaseRevisionError(`--base ${ref}: ${repoRoot} is not inside a git repository`);
  }
  const r = git(repoRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!r.ok) {
    throw new BaseRevisionError(`--base ${ref}: no such git revision (for a pull request's base branch, fetch it first, e.g. \`git fetch origin main\`)`);
  }
  return r.stdout.toString('utf8').trim();
}

export type RevisionRead = { kind: 'absent' } | { kind: 'read'; source: SourceDocument } | { kind: 'unreadable'; findings: Finding[] };

export class Revision {
  private jsonnetRoot: string | undefined;

  constructor(
    private readonly repoRoot: string,
    readonly commit: string,
  ) {}

  /** Names of the environments at this commit (directories under environments/ holding a mesh file), sorted. */
  environments(): string[] {
    const listed = git(this.repoRoot, ['ls-tree', '-r', '--name-only', this.commit, '--', `${ENVIRONMENTS_DIR}/`]);
    const names = new Set<string>();
    for (const file of listed.stdout.toString('utf8').split('\n')) {
      const [top, name, base, ...rest] = file.split('/');
      if (top === ENVIRONMENTS_DIR && name && name !== JSONNET_LIB_DIR && isEnvironmentName(name) && rest.length === 0 && (MESH_FILES as readonly string[]).includes(base ?? '')) names.add(name);
    }
    return [...names].sort();
  }

  private exists(rel: string): boolean {
    return git(this.repoRoot, ['cat-file', '-e', `${this.commit}:./${rel}`]).ok;
  }

  /** The parsed (not yet validated) mesh file of `env` at this commit. */
  async read(env: string): Promise<RevisionRead> {
    const dir = environmentDir(env);
    if (this.exists(`${dir}/${MESH_YAML_FILE}`)) {
      const file = `${dir}/${MESH_YAML_FILE}`;
      const parsed = parseYamlSource(file, git(this.repoRoot, ['show', `${this.commit}:./${file}`]).stdout.toString('utf8'));
      return parsed.ok ? { kind: 'read', source: parsed.source } : { kind: 'unreadable', findings: parsed.findings };
    }
    if (this.exists(`${dir}/${MESH_JSONNET_FILE}`)) {
      const root = this.materialize();
      const file = `${dir}/${MESH_JSONNET_FILE}`;
      const evaluated = await evaluateJsonnet(path.join(root, file), file, path.join(root, ENVIRONMENTS_DIR, JSONNET_LIB_DIR), root);
      return evaluated.ok ? { kind: 'read', source: evaluated.source } : { kind: 'unreadable', findings: evaluated.findings };
    }
    return { kind: 'absent' };
  }

  /** environments/ as of the commit, extracted once into a temporary directory (imports resolve there). */
  private materialize(): string {
    if (this.jsonnetRoot) return this.jsonnetRoot;
    const root = mkdtempSync(path.join(os.tmpdir(), 'meshops-base-'));
    this.jsonnetRoot = root;
    const archive = git(this.repoRoot, ['archive', '--format=tar', this.commit, '--', ENVIRONMENTS_DIR]);
    const untar = spawnSync('tar', ['-x', '-f', '-', '-C', root], { input: archive.stdout });
    if (!archive.ok || untar.status !== 0) throw new BaseRevisionError(`--base: cannot extract ${ENVIRONMENTS_DIR}/ at ${this.commit}: ${archive.stderr || untar.stderr?.toString('utf8')}`);
    return root;
  }

  dispose(): void {
    if (this.jsonnetRoot) rmSync(this.jsonnetRoot, { recursive: true, force: true });
  }
}
