/**
 * Issue 14, data loss and writes outside rendered/: a symlinked rendered/, broken and symlinked
 * environments, interrupted and concurrent renders, and entries that are not regular files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, writeRendered } from '../generator/write/rendered-tree.js';
import { BIN, runMain, scratchRepo } from './helpers.js';

const mkfifo = (file: string) => expect(spawnSync('mkfifo', [file]).status).toBe(0);
const file = (p: string, content = `${p}\n`) => ({ path: p, content, executable: false });

// Each case copies only the environments it is about: a render of all the examples adds nothing to what it checks.
describe('rendered/ itself', () => {
  it('a symlinked rendered/ is refused before anything is written or pruned', async () => {
    const repo = scratchRepo({ environments: ['multi-primary'] });
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'meshops-elsewhere-'));
    mkdirSync(path.join(elsewhere, 'photos'));
    writeFileSync(path.join(elsewhere, 'photos', 'cat.jpg'), 'meow');
    symlinkSync(elsewhere, path.join(repo, 'rendered'));
    const r = await runMain(['render'], repo);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^rendered: error input: rendered\/ is a symbolic link; refusing to write through it/m);
    expect(readdirSync(elsewhere)).toEqual(['photos']);
    expect(readFileSync(path.join(elsewhere, 'photos', 'cat.jpg'), 'utf8')).toBe('meow');
  });

  it('pruning never follows a link and is not upset by dangling links or FIFOs', async () => {
    const repo = scratchRepo({ rendered: true, environments: ['multi-primary'] });
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'meshops-elsewhere-'));
    writeFileSync(path.join(elsewhere, 'keep'), 'kept');
    symlinkSync(elsewhere, path.join(repo, 'rendered', 'linked'));
    symlinkSync('/no/such/target', path.join(repo, 'rendered', 'dangling'));
    mkfifo(path.join(repo, 'rendered', 'fifo'));
    mkdirSync(path.join(repo, 'rendered', 'gone'));
    const r = await runMain(['render'], repo);
    expect(r.stderr).toContain('removed rendered/gone (no such environment)');
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(elsewhere, 'keep'), 'utf8')).toBe('kept');
  });
});

describe('file-system faults are input errors with their path', () => {
  it('rendered that is a file, environments that is a file: exit 1 naming it, never an internal error', async () => {
    const repo = scratchRepo({ environments: ['multi-primary'] });
    writeFileSync(path.join(repo, 'rendered'), 'not a directory\n');
    const r = await runMain(['render'], repo);
    expect([r.status, r.stderr]).toEqual([1, 'rendered: error input: rendered is not a directory; move it away so render can create rendered/\n']);
    rmSync(path.join(repo, 'environments'), { recursive: true });
    writeFileSync(path.join(repo, 'environments'), 'not a directory\n');
    for (const command of ['render', 'check']) {
      const e = await runMain([command], repo);
      expect([e.status, e.stderr]).toEqual([1, 'environments: error input: cannot list environments/: a path component is not a directory (ENOTDIR)\n']);
    }
  });
});

describe('what is an environment', () => {
  it('a dangling mesh.yaml is an error naming the environment, and its rendered tree stays (render and check)', async () => {
    const repo = scratchRepo({ rendered: true, environments: ['tcm-migration', 'multi-primary'] });
    const mesh = path.join(repo, 'environments', 'tcm-migration', 'mesh.yaml');
    rmSync(mesh);
    symlinkSync('no-such-file.yaml', mesh);
    const before = readTree(path.join(repo, 'rendered'));
    for (const command of ['render', 'check']) {
      const r = await runMain([command], repo);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('environments/tcm-migration/mesh.yaml: error input: cannot read the mesh file: no such file or directory');
    }
    expect(readTree(path.join(repo, 'rendered'))).toEqual(before);
    // validate finds the environment the same way to read its spec.policies: not silently defaults.
    const v = await runMain(['validate', 'rendered/tcm-migration'], repo);
    expect([v.status, v.stderr]).toEqual([1, 'environments/tcm-migration/mesh.yaml: error input: cannot read the mesh file: no such file or directory (a dangling symbolic link?) (ENOENT)\n']);
  });

  it('a symlinked environment directory is refused the same way by render, render --env and check', async () => {
    const repo = scratchRepo({ rendered: true, environments: ['vm-integration', 'multi-primary'] });
    const real = mkdtempSync(path.join(os.tmpdir(), 'meshops-env-'));
    const envs = path.join(repo, 'environments');
    for (const f of readdirSync(path.join(envs, 'vm-integration'))) writeFileSync(path.join(real, f), readFileSync(path.join(envs, 'vm-integration', f)));
    rmSync(path.join(envs, 'vm-integration'), { recursive: true });
    symlinkSync(real, path.join(envs, 'vm-integration'));
    const before = readTree(path.join(repo, 'rendered'));
    for (const args of [['render'], ['render', '--env', 'vm-integration'], ['check']]) {
      const r = await runMain(args, repo);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('environments/vm-integration: error input: environments/vm-integration is a symbolic link');
    }
    expect(readTree(path.join(repo, 'rendered'))).toEqual(before);
  });
});

describe('non-regular entries in rendered/<env>', () => {
  it('are findings for check and validate, and render replaces them', async () => {
    const repo = scratchRepo({ rendered: true, environments: ['vm-integration'] });
    const cluster = path.join(repo, 'rendered', 'vm-integration', 'clusters', 'cluster1');
    symlinkSync('/etc/passwd', path.join(cluster, 'passwd.yaml'));
    mkfifo(path.join(cluster, 'pipe.yaml'));
    symlinkSync('/etc', path.join(repo, 'rendered', 'vm-integration', 'vms', 'etc'));

    const validate = await runMain(['validate', '--format', 'json'], repo);
    expect(validate.status).toBe(1);
    const shown = JSON.parse(validate.stdout).violations.map((v: { file: string; message: string }) => `${v.file}: ${v.message.split(':')[0]}`);
    expect(shown).toEqual([
      'rendered/vm-integration/clusters/cluster1/passwd.yaml: not a regular file (a symbolic link)',
      'rendered/vm-integration/clusters/cluster1/pipe.yaml: not a regular file (a FIFO)',
      'rendered/vm-integration/vms/etc: not a regular file (a symbolic link)',
    ]);
    const check = await runMain(['check'], repo);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('rendered/vm-integration/clusters/cluster1/pipe.yaml: error rendered-up-to-date: not a regular file (a FIFO)');
    expect(check.stderr).toContain('rendered/vm-integration/vms/etc: error rendered-up-to-date: not a regular file (a symbolic link)');

    const render = await runMain(['render'], repo);
    expect(render.status).toBe(0);
    expect(render.stderr).toContain('rendered rendered/vm-integration');
    expect(existsSync(path.join(cluster, 'pipe.yaml'))).toBe(false);
    expect(readFileSync('/etc/passwd', 'utf8').length).toBeGreaterThan(0);
    expect((await runMain(['check'], repo)).status).toBe(0);
  });
});

describe('leftovers of an interrupted render', () => {
  const setup = () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'meshops-writer-'));
    writeRendered(repo, [{ env: 'a', sourceFile: 'environments/a/mesh.yaml', files: [file('x.yaml', 'old a\n')] }, { env: 'b', sourceFile: 'environments/b/mesh.yaml', files: [file('x.yaml', 'old b\n')] }], true);
    return { repo, rendered: path.join(repo, 'rendered') };
  };

  it('an old tree whose environment is missing goes back; staged and replaced trees go; a dead holder\'s lock is taken over', () => {
    const { repo, rendered } = setup();
    // Killed between the two renames of "a", with a staged "b" and a lock from a PID that is now
    // this process (PID reuse: every container's render is PID 1) started at another time.
    renameSync(path.join(rendered, 'a'), path.join(rendered, '.meshops-tmp-a-old'));
    mkdirSync(path.join(rendered, '.meshops-tmp-b-new'));
    mkdirSync(path.join(rendered, '.meshops-tmp-b-old'));
    writeFileSync(path.join(rendered, '.meshops-lock'), `${process.pid} 1\n`);
    const report = writeRendered(repo, [{ env: 'a', sourceFile: 'environments/a/mesh.yaml', files: [file('x.yaml', 'old a\n')] }, { env: 'b', sourceFile: 'environments/b/mesh.yaml', files: [file('x.yaml', 'new b\n')] }], true);
    expect(report).toEqual({ written: ['b'], unchanged: ['a'], removed: [], warnings: [] });
    expect(readdirSync(rendered).sort()).toEqual(['a', 'b']);
  });

  it('a lock from a process that no longer exists is taken over', () => {
    const { repo, rendered } = setup();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(path.join(rendered, '.meshops-lock'), `${gone} 12345\n`);
    expect(writeRendered(repo, [{ env: 'a', sourceFile: 'environments/a/mesh.yaml', files: [file('x.yaml', 'new a\n')] }], false).written).toEqual(['a']);
    expect(existsSync(path.join(rendered, '.meshops-lock'))).toBe(false);
  });
});

describe('a render killed at any step', () => {
  /** Two environments whose rendered trees are both stale, so both are replaced. */
  const staleRepo = () => {
    const repo = scratchRepo({ rendered: true, environments: ['tcm-migration', 'vm-integration'] });
    for (const env of ['tcm-migration', 'vm-integration']) writeFileSync(path.join(repo, 'rendered', env, 'stale.yaml'), 'old\n');
    return repo;
  };
  const oldOrNew = (tree: Map<string, string>, oldTree: Map<string, string>, newTree: Map<string, string>) =>
    JSON.stringify([...tree]) === JSON.stringify([...oldTree]) || JSON.stringify([...tree]) === JSON.stringify([...newTree]);

  it.each(['staged', 'swapping', 'swapped'])('at %s: every environment is old or new (restored by the next render), and the next render completes', async (step) => {
    const repo = staleRepo();
    const envs = ['tcm-migration', 'vm-integration'];
    const oldTrees = new Map(envs.map((e) => [e, readTree(path.join(repo, 'rendered', e))]));
    const newTrees = new Map(envs.map((e) => [e, new Map([...oldTrees.get(e)!].filter(([p]) => p !== 'stale.yaml'))]));
    const killed = spawnSync(process.execPath, [BIN, 'render'], { cwd: repo, env: { ...process.env, MESHOPS_TEST_KILL_AT: step } });
    expect(killed.signal).toBe('SIGKILL');
    for (const env of envs) {
      const here = readTree(path.join(repo, 'rendered', env));
      // Between the two renames the old tree is aside, under the name the next render restores.
      const aside = readTree(path.join(repo, 'rendered', `.meshops-tmp-${env}-old`));
      expect(oldOrNew(here, oldTrees.get(env)!, newTrees.get(env)!) || (here.size === 0 && oldOrNew(aside, oldTrees.get(env)!, newTrees.get(env)!)), env).toBe(true);
    }
    const next = await runMain(['render'], repo);
    expect(next.status, next.stderr).toBe(0);
    for (const env of envs) expect(readTree(path.join(repo, 'rendered', env))).toEqual(newTrees.get(env));
    expect(readdirSync(path.join(repo, 'rendered')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('two renders at once both succeed, one after the other', async () => {
    const repo = staleRepo();
    const run = () =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'render'], { cwd: repo, stdio: 'ignore' });
        child.on('exit', (code) => resolve(code ?? -1));
      });
    expect(await Promise.all([run(), run()])).toEqual([0, 0]);
    expect(existsSync(path.join(repo, 'rendered', 'tcm-migration', 'stale.yaml'))).toBe(false);
    expect(readdirSync(path.join(repo, 'rendered')).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(lstatSync(path.join(repo, 'rendered', 'tcm-migration')).isDirectory()).toBe(true);
  });
});
