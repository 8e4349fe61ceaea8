/**
 * `meshops check --base GITREF`: ASM's migration moves forward one state at a time and its
 * retryCounter never goes down, checked against environments committed to a real git repository.
 * The rule's own tests (its tree check, its revision hook) are test/policies/asm-migration-state.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../generator/load/environments.js';
import { checkTransitions, resolveBase } from '../generator/commands/transitions.js';
import { git, runMain, scratchGitRepo } from './helpers.js';
import { inputRules, policies } from '../policies/index.js';

const ENV = 'asm';
const FILE = `environments/${ENV}/mesh.yaml`;

/** A one-cluster mesh migrating to ASM; `asm` lines go under spec.migration.asm. */
function meshYaml(asm: string[], extra: string[] = []): string {
  return [
    'apiVersion: meshops.dev/v1alpha1',
    'kind: MeshEnvironment',
    `metadata: {name: ${ENV}}`,
    'spec:',
    '  meshID: mesh1',
    '  istio: {version: 1.22.3}',
    '  clusters:',
    '  - {name: primary1, role: primary, network: net1}',
    ...extra,
    '  migration:',
    '    asm:',
    ...asm.map((l) => `      ${l}`),
    '',
  ].join('\n');
}
const DESIRED_STATE_LINE = 11;
const RETRY_COUNTER_LINE = 12;

function write(repo: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  writeFileSync(path.join(repo, rel), text);
}

/** A repository whose HEAD holds `base`, with `change` in the working tree. */
function repoWith(base: string, change: string): string {
  const repo = scratchGitRepo();
  write(repo, FILE, base);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'base');
  write(repo, FILE, change);
  return repo;
}

async function transitions(repo: string, ref = 'HEAD') {
  const loaded = await loadEnvironment(repo, ENV, inputRules);
  if (!loaded.ok) throw new Error(loaded.findings.map((f) => f.message).join('\n'));
  return checkTransitions(repo, ref, resolveBase(repo, ref), [loaded.env], policies);
}

const state = (s: string, n = 0) => [`desiredState: ${s}`, `retryCounter: ${n}`];

describe('ASM migration transitions against a git base', () => {
  it('refuses a move backwards, at the line of desiredState', async () => {
    const findings = await transitions(repoWith(meshYaml(state('Migrating')), meshYaml(state('SetupIstioForMigrate'))));
    expect(findings).toEqual([
      {
        rule: 'asm-migration-state',
        severity: 'error',
        file: FILE,
        line: DESIRED_STATE_LINE,
        column: 7,
        env: ENV,
        message: "desiredState moves backwards from Migrating (at HEAD) to SetupIstioForMigrate: ASM's migration only moves forward (Init -> SetupIstioForMigrate -> Migrating -> Finished)",
      },
    ]);
  });

  it('refuses a skipped state', async () => {
    const findings = await transitions(repoWith(meshYaml(state('Init')), meshYaml(state('Migrating'))));
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [DESIRED_STATE_LINE, 'desiredState jumps from Init (at HEAD) to Migrating, skipping SetupIstioForMigrate: move one state at a time, each once ASM reports the previous one reached'],
    ]);
  });

  it('refuses a retryCounter that goes down, at its line', async () => {
    const findings = await transitions(repoWith(meshYaml(state('Migrating', 2)), meshYaml(state('Migrating', 1))));
    expect(findings.map((f) => [f.line, f.message])).toEqual([[RETRY_COUNTER_LINE, 'retryCounter goes down from 2 (at HEAD) to 1: it never goes down; a retry adds 1']]);
  });

  it('accepts a retry (same state, retryCounter + 1), staying put, and a move to the next state keeping the counter', async () => {
    expect(await transitions(repoWith(meshYaml(state('SetupIstioForMigrate', 0)), meshYaml(state('SetupIstioForMigrate', 1))))).toEqual([]);
    expect(await transitions(repoWith(meshYaml(state('Migrating', 3)), meshYaml(state('Migrating', 3))))).toEqual([]);
    expect(await transitions(repoWith(meshYaml(state('Migrating', 3)), meshYaml(state('Finished', 3))))).toEqual([]);
  });

  it('refuses a retry that adds more than 1, and a state change that also changes the counter', async () => {
    const jump = await transitions(repoWith(meshYaml(state('Migrating', 0)), meshYaml(state('Migrating', 2))));
    expect(jump.map((f) => [f.line, f.message])).toEqual([[RETRY_COUNTER_LINE, 'retryCounter goes from 0 (at HEAD) to 2 in state Migrating: a retry adds exactly 1 (set 1)']]);
    const both = await transitions(repoWith(meshYaml(state('Init', 0)), meshYaml(state('SetupIstioForMigrate', 1))));
    expect(both.map((f) => f.line)).toEqual([RETRY_COUNTER_LINE]);
    expect(both[0]!.message).toMatch(/^retryCounter changes from 0 \(at HEAD\) to 1 while desiredState moves to SetupIstioForMigrate: moving to the next state keeps retryCounter \(0\)/);
  });

  it('reads an omitted desiredState or retryCounter at the base as their defaults (Init, 0)', async () => {
    expect(await transitions(repoWith(meshYaml(['egress: []']), meshYaml(state('SetupIstioForMigrate'))))).toEqual([]);
    const skip = await transitions(repoWith(meshYaml(['egress: []']), meshYaml(state('Migrating'))));
    expect(skip.map((f) => f.rule)).toEqual(['asm-migration-state']);
  });

  it('has nothing to compare for a new environment, or one whose migration starts in this change', async () => {
    const repo = repoWith(meshYaml(state('Init')), meshYaml(state('Init')));
    write(repo, 'environments/other/mesh.yaml', meshYaml(state('Migrating')).replace(`name: ${ENV}`, 'name: other'));
    const other = await loadEnvironment(repo, 'other', inputRules);
    if (!other.ok) throw new Error('test bug');
    expect(await checkTransitions(repo, 'HEAD', resolveBase(repo, 'HEAD'), [other.env], policies)).toEqual([]);

    const withoutMigration = meshYaml(state('Init')).replace(/ {2}migration:\n[\s\S]*$/, '');
    expect(await transitions(repoWith(withoutMigration, meshYaml(state('Migrating'))))).toEqual([]);
  });

  it('honours spec.policies: the rule can be turned off or down to a warning', async () => {
    const off = meshYaml(state('Init'), ['  policies: {asm-migration-state: "off"}']);
    expect(await transitions(repoWith(meshYaml(state('Migrating')), off))).toEqual([]);
    const warn = meshYaml(state('Init'), ['  policies: {asm-migration-state: warning}']);
    expect((await transitions(repoWith(meshYaml(state('Migrating')), warn))).map((f) => f.severity)).toEqual(['warning']);
  });

  it('reads a Jsonnet environment at the base from Git, not from the working tree', async () => {
    const repo = scratchGitRepo();
    write(repo, 'environments/lib/asm.libsonnet', "{ state: 'Migrating' }");
    const jsonnet = (stateExpr: string) =>
      `local lib = import 'asm.libsonnet';\n${JSON.stringify({
        apiVersion: 'meshops.dev/v1alpha1',
        kind: 'MeshEnvironment',
        metadata: { name: ENV },
        spec: { meshID: 'mesh1', istio: { version: '1.22.3' }, clusters: [{ name: 'primary1', role: 'primary', network: 'net1' }], migration: { asm: { desiredState: 'STATE' } } },
      }).replace('"STATE"', stateExpr)}\n`;
    write(repo, `environments/${ENV}/mesh.jsonnet`, jsonnet('lib.state'));
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    write(repo, 'environments/lib/asm.libsonnet', "{ state: 'Init' }");
    const loaded = await loadEnvironment(repo, ENV, inputRules);
    if (!loaded.ok) throw new Error(loaded.findings.map((f) => f.message).join('\n'));
    const findings = await checkTransitions(repo, 'HEAD', resolveBase(repo, 'HEAD'), [loaded.env], policies);
    expect(findings.map((f) => [f.file, f.message])).toEqual([
      [`environments/${ENV}/mesh.jsonnet`, expect.stringMatching(/^desiredState moves backwards from Migrating \(at HEAD\) to Init/)],
    ]);
    expect(git(repo, 'status', '--porcelain')).toBe(' M environments/lib/asm.libsonnet\n');
  });

  it('warns, without failing, when the environment at the base cannot be read', async () => {
    const findings = await transitions(repoWith('spec: [unclosed\n', meshYaml(state('Init'))));
    expect(findings).toEqual([expect.objectContaining({ rule: 'asm-migration-state', severity: 'warning', message: expect.stringMatching(/^cannot read this environment at HEAD \(/) })]);
  });
});

describe('meshops check --base (the real CLI)', () => {
  /** A repository with the environment rendered and committed at each step, as a PR would have it. */
  async function committedSteps(...steps: string[]): Promise<string> {
    const repo = scratchGitRepo();
    for (const [i, step] of steps.entries()) {
      write(repo, FILE, step);
      const render = await runMain(['render'], repo);
      if (render.status !== 0) throw new Error(render.stderr);
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', `step ${i}`);
    }
    return repo;
  }

  it('reports a skipped state against HEAD~1 as a finding at the line of desiredState (exit 1)', async () => {
    const repo = await committedSteps(meshYaml(state('Init')), meshYaml(state('Migrating')));
    const r = await runMain(['check', '--base', 'HEAD~1', '--format', 'json'], repo);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.violations.filter((v: { rule: string }) => v.rule === 'asm-migration-state')).toEqual([
      expect.objectContaining({ file: FILE, line: DESIRED_STATE_LINE, severity: 'error', message: expect.stringMatching(/^desiredState jumps from Init \(at HEAD~1\) to Migrating/) }),
    ]);
  });

  it('accepts the next state against HEAD~1', async () => {
    const repo = await committedSteps(meshYaml(state('Init')), meshYaml(state('SetupIstioForMigrate')));
    const r = await runMain(['check', '--base', 'HEAD~1', '--format', 'json'], repo);
    expect(JSON.parse(r.stdout).violations.filter((v: { rule: string }) => v.rule === 'asm-migration-state')).toEqual([]);
  });

  it('refuses a base revision that does not exist as a usage error (exit 2)', async () => {
    const repo = await committedSteps(meshYaml(state('Init')));
    const r = await runMain(['check', '--base', 'origin/no-such-branch'], repo);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('meshops: --base origin/no-such-branch: no such git revision (for a pull request\'s base branch, fetch it first, e.g. `git fetch origin main`)\n');
    expect((await runMain(['check', '--base', '--upload-pack=x'], repo)).status).toBe(2);
  });
});
