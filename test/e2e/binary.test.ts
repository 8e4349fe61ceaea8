/**
 * The real binary, end to end: `node bin/meshops.js` (dist/, built fresh by test/global-setup.ts)
 * and `node dist/scripts/pr-check.js` as separate processes. What only a process shows lives here:
 * the bin shim and the build work, exit codes reach the shell, no stack trace, EPIPE. Everything the
 * CLI decides (messages, findings, formats) is tested in-process through runMain (test/cli*.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../../generator/write/rendered-tree.js';
import { BIN, REPO_ROOT, runCli, runMain, scratchRepo } from '../helpers.js';

const NO_STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

describe('meshops (bin/meshops.js)', () => {
  it('--version prints the package version; --help lists the commands (exit 0)', () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(runCli(['--version'], REPO_ROOT)).toMatchObject({ status: 0, stdout: `${version}\n` });
    const help = runCli(['--help'], REPO_ROOT);
    expect(help.status).toBe(0);
    for (const command of ['render', 'validate', 'check', 'schema']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('schema prints the committed JSON Schema (exit 0)', () => {
    const r = runCli(['schema'], REPO_ROOT);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(path.join(REPO_ROOT, 'schemas', 'mesh-environment.schema.json'), 'utf8'));
  });

  it('render reproduces the committed rendered/ from environments/ (exit 0)', () => {
    const repo = scratchRepo();
    const r = runCli(['render'], repo);
    expect(r.status, r.stderr).toBe(0);
    expect(readTree(path.join(repo, 'rendered'))).toEqual(readTree(path.join(REPO_ROOT, 'rendered')));
  });

  it('validate of the committed rendered/ is clean (exit 0, the summary line)', () => {
    const r = runCli(['validate'], REPO_ROOT);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^meshops: checked \d+ environments, \d+ clusters, \d+ files: no errors\n$/);
  });

  it('validate with findings exits 1 and prints them like a compiler (the compiled schemas load; JSON output: in-process tests)', () => {
    const r = runCli(['validate', 'test/fixtures/seed-001'], REPO_ROOT);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('test/fixtures/seed-001/cls-dxgdg1rl/eastwest-gateway.yaml:2: error single-istiooperator: cluster "cls-dxgdg1rl" has 2 IstioOperators');
  });

  it('check is clean on a copy of the repository (exit 0)', () => {
    // A YAML and the Jsonnet example: the evaluation process starts from the installed build too.
    const r = runCli(['check'], scratchRepo({ rendered: true, environments: ['multi-primary', 'mdemo-multicloud'] }));
    expect(r.status, r.stderr).toBe(0);
  });

  it('bad input: render exits 1 with file:line findings, no stack trace, nothing written', () => {
    const repo = scratchRepo();
    const file = path.join(repo, 'environments', 'tcm-migration', 'mesh.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('meshID: mesh1', 'meshID: [mesh1'));
    const r = runCli(['render'], repo);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^environments\/tcm-migration\/mesh\.yaml:\d+:\d+: error input-syntax: /m);
    expect(r.stderr).not.toMatch(NO_STACK_TRACE);
    expect(existsSync(path.join(repo, 'rendered'))).toBe(false);
  });

  // With --format json a usage error is one JSON object: test/cli-conventions.test.ts, in-process.
  it('usage errors exit 2: an unknown option and a missing path', () => {
    const r = runCli(['check', '--bogus'], REPO_ROOT);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--bogus'");
    expect(r.stderr).toContain('meshops --help');
    const missing = runCli(['validate', 'no/such/dir'], REPO_ROOT);
    expect(missing.status).toBe(2);
    expect(missing.stderr).not.toMatch(NO_STACK_TRACE);
  });

  it('a reader that closes the pipe at once ends the run quietly with its own exit code (EPIPE)', () => {
    // A YAML environment: the SARIF is as long, without waiting for a Jsonnet evaluation.
    for (const args of ['schema', 'validate --format sarif rendered/multi-primary']) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${args} | true; exit \${PIPESTATUS[0]}`], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(r.stderr, args).toBe('');
      expect(r.status, args).toBe(0);
    }
  });
});

describe('npm run pr-check (node dist/scripts/pr-check.js)', () => {
  const PR_CHECK = path.join(REPO_ROOT, 'dist', 'scripts', 'pr-check.js');
  /** PATH without any real kubeconform, so the run does not depend on the machine. */
  const pathWithoutKubeconform = () =>
    (process.env.PATH ?? '')
      .split(path.delimiter)
      .filter((d) => !existsSync(path.join(d, 'kubeconform')))
      .join(path.delimiter);

  it('runs as a script: exits as check does and writes the job summary; a bad option exits 2', async () => {
    // One environment: the script's steps (kustomize per cluster, check, plan, graph) are what is under test, not the examples.
    const repo = scratchRepo({ rendered: true, environments: ['multi-primary'] });
    const run = spawnSync(process.execPath, [PR_CHECK, '--summary', 'summary.md'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, PATH: pathWithoutKubeconform(), GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
    });
    expect(run.status, run.stderr).toBe((await runMain(['check'], repo)).status);
    expect(readFileSync(path.join(repo, 'summary.md'), 'utf8')).toContain('## meshops PR check');
    const usage = spawnSync(process.execPath, [PR_CHECK, '--bogus'], { cwd: repo, encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: npm run pr-check -- [--base GITREF] [--sarif FILE] [--summary FILE]');
  });
});
