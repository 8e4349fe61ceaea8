/**
 * `meshops check --base GITREF`: what a single revision cannot show, such as ASM's forward-only
 * migration (seed 002). The environments at the base revision are read from Git itself (`git
 * show`, or `git archive` into a temporary directory for Jsonnet), never from the working tree, and
 * handed to every policy that declares a revision hook (Policy.revisions) with the current model.
 * The engine knows no rule: the policies are passed in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FieldPath, Finding, Severity } from '../findings.js';
import { environmentDir, ENVIRONMENTS_DIR, JSONNET_LIB_DIR, MESH_JSONNET_FILE, MESH_YAML_FILE } from '../layout.js';
import type { LoadedEnvironment } from '../load/environments.js';
import { evaluateJsonnet } from '../load/jsonnet.js';
import { parseYamlSource } from '../load/yaml-source.js';
import type { Policy } from '../validate/policy.js';

/** The base revision cannot be used: a usage error, not a finding. */
export class BaseRevisionError extends Error {}

function git(repoRoot: string, args: readonly string[], input?: Buffer): { ok: boolean; stdout: Buffer; stderr: string } {
  const r = spawnSync('git', args, { cwd: repoRoot, input, maxBuffer: 256 * 1024 * 1024 });
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

/** The mesh file at the base revision, parsed but not checked against today's model (it may predate it). */
type BaseRead = { kind: 'absent' } | { kind: 'read'; data: unknown } | { kind: 'unreadable'; reason: string };

/** Reads environments at one commit; Jsonnet environments from a temporary copy of its environments/ directory. */
class BaseRevision {
  private jsonnetRoot: string | undefined;

  constructor(
    private readonly repoRoot: string,
    private readonly commit: string,
  ) {}

  private exists(rel: string): boolean {
    return git(this.repoRoot, ['cat-file', '-e', `${this.commit}:./${rel}`]).ok;
  }

  async read(env: string): Promise<BaseRead> {
    const dir = environmentDir(env);
    if (this.exists(`${dir}/${MESH_YAML_FILE}`)) {
      const file = `${dir}/${MESH_YAML_FILE}`;
      const parsed = parseYamlSource(file, git(this.repoRoot, ['show', `${this.commit}:./${file}`]).stdout.toString('utf8'));
      return parsed.ok ? { kind: 'read', data: parsed.source.data } : { kind: 'unreadable', reason: parsed.findings[0]!.message };
    }
    if (this.exists(`${dir}/${MESH_JSONNET_FILE}`)) {
      const root = this.materialize();
      const file = `${dir}/${MESH_JSONNET_FILE}`;
      const evaluated = await evaluateJsonnet(path.join(root, file), file, path.join(root, ENVIRONMENTS_DIR, JSONNET_LIB_DIR), root);
      return evaluated.ok ? { kind: 'read', data: evaluated.source.data } : { kind: 'unreadable', reason: evaluated.findings[0]!.message };
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

/**
 * Findings of every policy's revision hook, at the line of the field in the current mesh file, for
 * the environments that changed illegally since `commit`. A new environment has nothing to
 * compare with; one the base cannot read is a warning under each rule that wanted to compare.
 */
export async function checkTransitions(
  repoRoot: string,
  baseName: string,
  commit: string,
  environments: readonly LoadedEnvironment[],
  policies: readonly Policy[],
): Promise<Finding[]> {
  const base = new BaseRevision(repoRoot, commit);
  const findings: Finding[] = [];
  try {
    for (const env of environments) {
      const comparing = policies.flatMap((policy) => {
        const severity = env.model.spec.policies[policy.id] ?? policy.severity;
        const subject = policy.revisions?.subject(env.model);
        return policy.revisions && subject && severity !== 'off' ? [{ policy, hook: policy.revisions, severity, subject }] : [];
      });
      if (comparing.length === 0) continue;
      const before = await base.read(env.name);
      const finding = (rule: string, field: FieldPath, message: string, level: Severity): Finding => {
        const pos = env.source.locate(field);
        return { rule, severity: level, message, file: env.file, line: pos?.line, column: pos?.column, env: env.name };
      };
      for (const { policy, hook, severity, subject } of comparing) {
        if (before.kind === 'unreadable') {
          findings.push(finding(policy.id, subject, `cannot read this environment at ${baseName} (${before.reason}); ${hook.notChecked}`, 'warning'));
        } else if (before.kind === 'read') {
          for (const problem of hook.compare(before.data, env.model, baseName)) findings.push(finding(policy.id, problem.path, problem.message, severity));
        }
      }
    }
  } finally {
    base.dispose();
  }
  return findings;
}
