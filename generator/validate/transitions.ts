/**
 * `meshops check --base GITREF`: ASM's migration state machine (seed 002) is forward-only, which a
 * single revision cannot show. The environments at the base revision are read from Git itself
 * (`git show`, or `git archive` into a temporary directory for Jsonnet) — never from the working
 * tree — and each ASM migration's desiredState and retryCounter are compared with the current ones.
 *
 * Allowed moves from (state, n): stay; retry as (state, n + 1); advance as (next state, n). The
 * counter is never reset: ASM compares spec.retryCounter with the status.retryCounter it last
 * reconciled, so lowering it is not a retry, and a state change is itself what triggers ASM's checks.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Finding, Severity } from '../findings.js';
import { ENVIRONMENTS_DIR, JSONNET_LIB_DIR, type LoadedEnvironment } from '../load/environments.js';
import { evaluateJsonnet } from '../load/jsonnet.js';
import { parseYamlSource } from '../load/yaml-source.js';
import { ASM_STATES, asmStateIndex, type AsmState } from '../istio/asm.js';
import { asmMigrationState } from '../../policies/asm-migration-state.js';
import { asObject, get } from './facts.js';

/** The base revision cannot be used: a usage error, not a finding. */
export class BaseRevisionError extends Error {}

export interface AsmPoint {
  desiredState: string;
  retryCounter: number;
}

export interface TransitionProblem {
  field: 'desiredState' | 'retryCounter';
  message: string;
}

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

/** What is wrong with moving an ASM migration from `before` (the base) to `after` (the change). */
export function transitionProblems(before: AsmPoint, after: { desiredState: AsmState; retryCounter: number }, baseName: string): TransitionProblem[] {
  const problems: TransitionProblem[] = [];
  const order = ASM_STATES.join(' -> ');
  const [from, to] = [asmStateIndex(before.desiredState), asmStateIndex(after.desiredState)];
  const knownState = from >= 0;
  const knownCounter = Number.isInteger(before.retryCounter);
  if (knownState && to < from) {
    problems.push({
      field: 'desiredState',
      message: `desiredState moves backwards from ${before.desiredState} (at ${baseName}) to ${after.desiredState}: ASM's migration only moves forward (${order})`,
    });
  } else if (knownState && to > from + 1) {
    problems.push({
      field: 'desiredState',
      message:
        `desiredState jumps from ${before.desiredState} (at ${baseName}) to ${after.desiredState}, skipping ${ASM_STATES.slice(from + 1, to).join(' and ')}: ` +
        'move one state at a time, each once ASM reports the previous one reached',
    });
  }
  if (!knownCounter) return problems;
  const [n, m] = [before.retryCounter, after.retryCounter];
  if (m < n) {
    problems.push({ field: 'retryCounter', message: `retryCounter goes down from ${n} (at ${baseName}) to ${m}: it never goes down; a retry adds 1` });
  } else if (knownState && to === from && m > n + 1) {
    problems.push({ field: 'retryCounter', message: `retryCounter goes from ${n} (at ${baseName}) to ${m} in state ${after.desiredState}: a retry adds exactly 1 (set ${n + 1})` });
  } else if (knownState && to === from + 1 && m !== n) {
    problems.push({
      field: 'retryCounter',
      message: `retryCounter changes from ${n} (at ${baseName}) to ${m} while desiredState moves to ${after.desiredState}: moving to the next state keeps retryCounter (${n}); a retry is its own change, in the same state`,
    });
  }
  return problems;
}

/** spec.migration.asm of a parsed mesh file, read leniently: the base may predate today's model. */
function asmPointOf(data: unknown): AsmPoint | undefined {
  const asm = asObject(get(data, ['spec', 'migration', 'asm']));
  if (!asm) return undefined;
  const state = asm.desiredState ?? 'Init';
  const counter = asm.retryCounter ?? 0;
  return { desiredState: String(state), retryCounter: typeof counter === 'number' ? counter : Number.NaN };
}

type BaseRead = { kind: 'absent' } | { kind: 'read'; asm: AsmPoint | undefined } | { kind: 'unreadable'; reason: string };

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
    const dir = `${ENVIRONMENTS_DIR}/${env}`;
    if (this.exists(`${dir}/mesh.yaml`)) {
      const file = `${dir}/mesh.yaml`;
      const parsed = parseYamlSource(file, git(this.repoRoot, ['show', `${this.commit}:./${file}`]).stdout.toString('utf8'));
      return parsed.ok ? { kind: 'read', asm: asmPointOf(parsed.source.data) } : { kind: 'unreadable', reason: parsed.findings[0]!.message };
    }
    if (this.exists(`${dir}/mesh.jsonnet`)) {
      const root = this.materialize();
      const file = `${dir}/mesh.jsonnet`;
      const evaluated = await evaluateJsonnet(path.join(root, file), file, path.join(root, ENVIRONMENTS_DIR, JSONNET_LIB_DIR), root);
      return evaluated.ok ? { kind: 'read', asm: asmPointOf(evaluated.source.data) } : { kind: 'unreadable', reason: evaluated.findings[0]!.message };
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
 * Findings (rule asm-migration-state, at the line of desiredState or retryCounter in the current
 * mesh file) for every environment whose ASM migration moved illegally since `commit`. A new
 * environment, or one that gains its migration block, has nothing to compare with.
 */
export async function checkTransitions(repoRoot: string, baseName: string, commit: string, environments: readonly LoadedEnvironment[]): Promise<Finding[]> {
  const base = new BaseRevision(repoRoot, commit);
  const findings: Finding[] = [];
  try {
    for (const env of environments) {
      const asm = env.model.spec.migration?.asm;
      const severity = env.model.spec.policies[asmMigrationState.id] ?? asmMigrationState.severity;
      if (!asm || severity === 'off') continue;
      const before = await base.read(env.name);
      const finding = (field: string[], message: string, level: Severity): Finding => {
        const pos = env.source.locate(['spec', 'migration', 'asm', ...field]);
        return { rule: asmMigrationState.id, severity: level, message, file: env.file, line: pos?.line, column: pos?.column, env: env.name };
      };
      if (before.kind === 'unreadable') {
        findings.push(finding([], `cannot read this environment at ${baseName} (${before.reason}); its migration transitions were not checked`, 'warning'));
      } else if (before.kind === 'read' && before.asm) {
        for (const problem of transitionProblems(before.asm, asm, baseName)) findings.push(finding([problem.field], problem.message, severity));
      }
    }
  } finally {
    base.dispose();
  }
  return findings;
}
