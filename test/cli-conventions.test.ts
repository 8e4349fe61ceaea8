/**
 * The command-line conventions of the field (kubectl, kubeconform, conftest): --version, a summary
 * line, exit 2 when there is nothing to check, --quiet, colour only on a terminal, EPIPE-safe
 * output (a process matter: test/e2e/binary.test.ts), JSON for usage errors too. In-process through main().
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorWanted } from '../generator/cli.js';
import { REPO_ROOT, runMain, scratchRepo } from './helpers.js';

async function run(args: string[], cwd = REPO_ROOT, extra: Parameters<typeof runMain>[2] = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { status, ...output } = await runMain(args, cwd, extra);
  return { code: status, ...output };
}

describe('--version', () => {
  it('prints the version in package.json and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });
});

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'meshops-conventions-'));
const OPERATOR = path.join(REPO_ROOT, 'rendered', 'tcm-migration', 'clusters', 'cls-dxgdg1rl', 'istio-operator.yaml');

describe('the summary line', () => {
  it('validate: one line saying how many environments, clusters and files were checked, in text format only', async () => {
    const r = await run(['validate']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^meshops: checked 5 environments, 11 clusters, \d+ files: no errors\n$/);
    const json = await run(['validate', '--format', 'json']);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, violations: [] });
  });

  it('counts a directory of clusters as one environment', async () => {
    const dir = tempDir();
    cpSync(path.join(REPO_ROOT, 'rendered', 'tcm-migration', 'clusters'), dir, { recursive: true });
    const r = await run(['validate', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^meshops: checked 1 environment, 2 clusters, \d+ files: no errors\n$/m);
  });

  it('is not printed when there are errors', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'c1'));
    writeFileSync(path.join(dir, 'c1', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const r = await run(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('checked');
  });
});

describe('nothing to check is exit 2, never a silent 0', () => {
  it('validate of an empty directory', async () => {
    const r = await run(['validate', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to check');
  });

  it('validate of loose manifests without cluster subdirectories says where they belong', async () => {
    const dir = tempDir();
    cpSync(OPERATOR, path.join(dir, 'istio-operator.yaml'));
    const r = await run(['validate', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the 1 YAML file directly in');
    expect(r.stderr).toContain('subdirectory per cluster');
  });

  it('validate of an empty rendered/', async () => {
    const repo = tempDir();
    mkdirSync(path.join(repo, 'rendered'));
    expect((await run(['validate'], repo)).code).toBe(2);
  });

  it('check without environments', async () => {
    const repo = scratchRepo({ rendered: true });
    rmSync(path.join(repo, 'environments'), { recursive: true });
    const r = await run(['check'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to check: no environment under environments/');
  });
});

describe('--format json for usage errors too', () => {
  it.each([
    [['validate', 'no/such/dir', '--format', 'json'], 'no/such/dir: not a directory'],
    [['check', '--bogus', '--format', 'json'], "unknown option '--bogus'"],
    [['validate', '--format=json', '--bogus'], "unknown option '--bogus'"],
  ])('%j: exit 2 and one JSON object on stdout', async (args, message) => {
    const r = await run(args, tempDir());
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { ok: boolean; violations: unknown[]; error: { kind: string; message: string } };
    expect(report).toMatchObject({ ok: false, violations: [], error: { kind: 'usage' } });
    expect(report.error.message).toContain(message);
  });

  it('text usage errors leave stdout empty', async () => {
    const r = await run(['validate', 'no/such/dir'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('--quiet', () => {
  it('validate and check print nothing on success; findings still print', async () => {
    expect(await run(['validate', '--quiet'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await run(['check', '-q'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const dir = tempDir();
    mkdirSync(path.join(dir, 'c1'));
    writeFileSync(path.join(dir, 'c1', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const r = await run(['validate', '--quiet', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error single-istiooperator');
  });

  it('render prints no progress lines', async () => {
    const repo = scratchRepo({ rendered: true });
    expect(await run(['render', '--quiet'], repo)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await run(['render'], repo)).stderr).toContain('unchanged rendered/tcm-migration');
  });
});

describe('colour', () => {
  it('only on a terminal, and never with NO_COLOR set', () => {
    expect(colorWanted(true, {})).toBe(true);
    expect(colorWanted(true, { NO_COLOR: '' })).toBe(true); // no-color.org: set and not empty
    expect(colorWanted(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(false, {})).toBe(false);
    expect(colorWanted(undefined, {})).toBe(false);
  });

  it('paints the severity of text findings when the run asks for colour, and nothing else', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'c1'));
    writeFileSync(path.join(dir, 'c1', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const colored = await run(['validate', dir], REPO_ROOT, { color: true });
    expect(colored.stderr).toContain(': \x1b[31merror\x1b[39m single-istiooperator: ');
    expect((await run(['validate', dir])).stderr).not.toContain('\x1b[');
    expect((await run(['validate', dir, '--format', 'json'], REPO_ROOT, { color: true })).stdout).not.toContain('\x1b[');
  });
});
