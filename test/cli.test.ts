/** The CLI in-process (main() on the source): help, usage errors, schema, render and check on the shipped examples. */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../generator/write/rendered-tree.js';
import { REPO_ROOT, runMain, scratchRepo } from './helpers.js';

const EXAMPLES = ['tcm-migration', 'mdemo-multicloud'];

describe('help', () => {
  it('lists the commands', async () => {
    const r = await runMain(['--help'], REPO_ROOT);
    expect(r.status).toBe(0);
    for (const command of ['render', 'validate', 'check', 'schema']) expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it.each([
    ['render', ['--env <name>', '--format <format>', 'rendered/', 'Exit: 0 rendered, 1 invalid input (nothing written), 2 usage']],
    ['validate', ['[path...]', '--format <format>', 'Exit: 0 no error finding, 1 findings, 2 usage or unreadable path']],
    ['check', ['--format <format>', 'rendered-up-to-date', 'Exit:']],
    ['schema', ['JSON Schema', 'schemas/mesh-environment.schema.json']],
  ])('explains %s: its options, an example and its exit codes', async (command, phrases) => {
    const r = await runMain([command, '--help'], REPO_ROOT);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: meshops ${command}`);
    for (const phrase of phrases) expect(r.stdout).toContain(phrase);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['render', '--no-such-option']],
    [['check', '--bogus']],
    [['render', '--format', 'xml']],
    [['no-such-command']],
    [['render', '--env']],
  ])('%j', async (args) => {
    const r = await runMain(args, REPO_ROOT);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: /m);
    expect(r.stderr).toContain('meshops --help');
  });

  it('validate on a missing path', async () => {
    const r = await runMain(['validate', 'no/such/dir'], scratchRepo());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no/such/dir');
  });

  it('render outside a repository: nothing to render from, and rendered/ is not pruned', async () => {
    const repo = scratchRepo({ rendered: true });
    rmSync(path.join(repo, 'environments'), { recursive: true });
    const before = readTree(path.join(repo, 'rendered'));
    const r = await runMain(['render'], repo);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no environments/ directory');
    expect(readTree(path.join(repo, 'rendered'))).toEqual(before);
  });
});

describe('schema', () => {
  it('prints the committed JSON Schema of MeshEnvironment', async () => {
    const r = await runMain(['schema'], REPO_ROOT);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: 'MeshEnvironment', type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'] });
    expect(r.stdout).toBe(readFileSync(path.join(REPO_ROOT, 'schemas', 'mesh-environment.schema.json'), 'utf8'));
  });
});

describe('render', () => {
  it('reproduces the committed examples, and a second run changes no byte', async () => {
    const repo = scratchRepo({ rendered: true });
    const committed = readTree(path.join(repo, 'rendered'));
    const first = await runMain(['render'], repo);
    expect(first.status, first.stderr).toBe(0);
    for (const env of EXAMPLES) expect(first.stderr).toContain(`unchanged rendered/${env}`);
    expect(readTree(path.join(repo, 'rendered'))).toEqual(committed);

    const second = await runMain(['render'], repo);
    expect(second.status).toBe(0);
    expect(readTree(path.join(repo, 'rendered'))).toEqual(committed);
  });

  it('writes a fresh tree from nothing, twice the same', async () => {
    const repo = scratchRepo();
    expect((await runMain(['render'], repo)).status).toBe(0);
    const once = readTree(path.join(repo, 'rendered'));
    for (const env of EXAMPLES) expect([...once.keys()].some((f) => f.startsWith(`${env}/clusters/`)), env).toBe(true);
    expect((await runMain(['render'], repo)).status).toBe(0);
    expect(readTree(path.join(repo, 'rendered'))).toEqual(once);
  });

  it('--env renders only the named environment and prunes nothing', async () => {
    const repo = scratchRepo({ rendered: true });
    const edited = path.join(repo, 'rendered', 'mdemo-multicloud', 'clusters', 'mdemo-cluster2', 'namespace.yaml');
    appendFileSync(edited, '# hand edit\n');
    writeFileSync(path.join(repo, 'rendered', 'tcm-migration', 'clusters', 'stale.yaml'), 'stale\n');
    const r = await runMain(['render', '--env', 'tcm-migration'], repo);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('rendered rendered/tcm-migration\n');
    expect(readFileSync(edited, 'utf8')).toMatch(/# hand edit\n$/);
    expect(readTree(path.join(repo, 'rendered', 'tcm-migration'))).toEqual(readTree(path.join(REPO_ROOT, 'rendered', 'tcm-migration')));
  });

  it('a full render removes the rendered tree of an environment that no longer exists', async () => {
    const repo = scratchRepo({ rendered: true });
    rmSync(path.join(repo, 'environments', 'tcm-migration'), { recursive: true });
    const r = await runMain(['render'], repo);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('removed rendered/tcm-migration (no such environment)');
    expect(readTree(path.join(repo, 'rendered', 'tcm-migration')).size).toBe(0);
  });

  it('--format json reports success as the contract\'s object', async () => {
    const r = await runMain(['render', '--format', 'json'], scratchRepo({ rendered: true }));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, violations: [] });
  });

  it('--format json reports findings as the contract\'s object, exit 1', async () => {
    const r = await runMain(['validate', 'test/fixtures/seed-001', '--format', 'json'], REPO_ROOT);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.violations).toContainEqual(expect.objectContaining({ rule: 'single-istiooperator', severity: 'error', file: 'test/fixtures/seed-001/cls-dxgdg1rl/eastwest-gateway.yaml', line: 2 }));
  });
});

describe('check', () => {
  it('is clean on the shipped examples', async () => {
    const r = await runMain(['check'], scratchRepo({ rendered: true }));
    // No finding: only the summary line.
    expect(r.stderr).toMatch(/^meshops: checked \d+ environments, \d+ clusters, \d+ files: no errors\n$/);
    expect(r.status).toBe(0);
  });

  it('reports rendered-up-to-date with the file for a hand edit, a stale file and a missing file', async () => {
    const repo = scratchRepo({ rendered: true });
    const base = path.join(repo, 'rendered', 'tcm-migration', 'clusters');
    const iop = path.join(base, 'cls-dxgdg1rl', 'istio-operator.yaml');
    const lines = readFileSync(iop, 'utf8').split('\n');
    const tagLine = lines.findIndex((l) => l.includes('tag: 1.18.5'));
    lines[tagLine] = lines[tagLine]!.replace('1.18.5', '1.19.0');
    writeFileSync(iop, lines.join('\n'));
    writeFileSync(path.join(base, 'cls-ne1cw84b', 'leftover.yaml'), 'kind: ConfigMap\n');
    rmSync(path.join(base, 'cls-ne1cw84b', 'namespace.yaml'));

    const r = await runMain(['check', '--format', 'json'], repo);
    expect(r.status).toBe(1);
    const drift = JSON.parse(r.stdout).violations.filter((v: { rule: string }) => v.rule === 'rendered-up-to-date');
    expect(drift).toEqual([
      expect.objectContaining({
        file: 'rendered/tcm-migration/clusters/cls-dxgdg1rl/istio-operator.yaml',
        line: tagLine + 1,
        message: 'differs from what environments/tcm-migration/mesh.yaml renders to (edited by hand, or not re-rendered); run `meshops render --env tcm-migration` and commit the result',
      }),
      expect.objectContaining({
        file: 'rendered/tcm-migration/clusters/cls-ne1cw84b/leftover.yaml',
        message: 'stale: environments/tcm-migration/mesh.yaml does not render this file; run `meshops render --env tcm-migration` and commit the result',
      }),
      expect.objectContaining({
        file: 'rendered/tcm-migration/clusters/cls-ne1cw84b/namespace.yaml',
        message: 'missing: environments/tcm-migration/mesh.yaml renders this file but it is not committed; run `meshops render --env tcm-migration` and commit the result',
      }),
    ]);

    const text = await runMain(['check'], repo);
    expect(text.status).toBe(1);
    expect(text.stderr).toContain(`rendered/tcm-migration/clusters/cls-dxgdg1rl/istio-operator.yaml:${tagLine + 1}: error rendered-up-to-date: differs`);
  });

  it('fails on invalid input like render does', async () => {
    const repo = scratchRepo({ rendered: true });
    const file = path.join(repo, 'environments', 'tcm-migration', 'mesh.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('meshID: mesh1', 'meshID: mesh1\n  meshId: typo'));
    const r = await runMain(['check'], repo);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^environments\/tcm-migration\/mesh\.yaml:\d+:3: error input: spec: unknown field "meshId"; did you mean "meshID"\?$/m);
  });
});
