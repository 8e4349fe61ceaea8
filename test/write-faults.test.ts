/**
 * Issue 14: what the file system refuses while render writes rendered/ (a read-only mount, a
 * missing permission) is an input error naming the path, and rendered/ stays as it was; a cleanup
 * that fails once every new tree is in is a warning; a move that fails midway says which
 * environments are new and which old. The faults come through the writer's file-system seam, so
 * the tests hold whoever runs them (chmod provokes nothing as root).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeWriterFs, type WriterFs } from '../generator/write/file-system.js';
import { readTree } from '../generator/write/rendered-tree.js';
import { runMain, scratchRepo } from './helpers.js';

type Operation = keyof WriterFs;
type Code = 'EACCES' | 'EROFS' | 'ENOENT';
const WORDS: Record<Code, string> = { EACCES: 'permission denied', EROFS: 'read-only file system', ENOENT: 'no such file or directory (a dangling symbolic link?)' };

/** node:fs, except that `operation` fails with `code` where `at` says so, as Node reports such errors. */
function faulting(operation: Operation, code: Code, at: (...paths: string[]) => boolean = () => true): WriterFs {
  const fs: Record<string, unknown> = { ...nodeWriterFs };
  const real = nodeWriterFs[operation] as (...args: unknown[]) => unknown;
  fs[operation] = (...args: unknown[]) => {
    const paths = args.filter((a): a is string => typeof a === 'string');
    if (at(...paths)) throw Object.assign(new Error(`${code}: ${WORDS[code]}, ${operation} '${paths[0]}'`), { code, syscall: operation, path: paths[0] });
    return real(...args);
  };
  return fs as unknown as WriterFs;
}

/** The YAML examples: the Jsonnet one adds an evaluation to every render and nothing to what is written. */
const ENVIRONMENTS = ['asm-migration', 'multi-primary', 'tcm-migration', 'vm-integration'];

/** The shipped repository with every rendered environment stale, so render replaces each one. */
function staleRepo(): { repo: string; rendered: string } {
  const repo = scratchRepo({ rendered: true, environments: ENVIRONMENTS });
  for (const env of ENVIRONMENTS) writeFileSync(path.join(repo, 'rendered', env, 'stale.yaml'), 'old\n');
  return { repo, rendered: path.join(repo, 'rendered') };
}

async function render(repo: string, writerFs?: WriterFs, args: string[] = []): Promise<{ status: number; stdout: string; stderr: string }> {
  return runMain(['render', ...args], repo, { writerFs });
}

const isNew = (rendered: string, env: string) => !readTree(path.join(rendered, env)).has('stale.yaml');
const staging = (p: string) => p.includes('.meshops-tmp-');

describe('a file system that refuses to create, write or move', () => {
  it.each<[Operation, Code, string, (...paths: string[]) => boolean]>([
    ['mkdir', 'EACCES', 'cannot create the directory rendered/.meshops-tmp-asm-migration-new', staging],
    ['mkdir', 'EROFS', 'cannot create the directory rendered/.meshops-tmp-asm-migration-new', staging],
    ['writeFile', 'EACCES', 'cannot write rendered/.meshops-tmp-asm-migration-new/MIGRATION.md', staging],
    ['writeFile', 'EROFS', 'cannot write rendered/.meshops-tmp-asm-migration-new/MIGRATION.md', staging],
    // a staging directory removed from under the writer
    ['writeFile', 'ENOENT', 'cannot write rendered/.meshops-tmp-asm-migration-new/MIGRATION.md', staging],
    // after three environments are staged: they are dropped too
    ['writeFile', 'EROFS', 'cannot write rendered/.meshops-tmp-tcm-migration-new/MIGRATION.md', (p) => p.includes('.meshops-tmp-tcm-migration-new')],
    ['rename', 'EACCES', 'cannot move rendered/asm-migration aside to rendered/.meshops-tmp-asm-migration-old', () => true],
    ['rename', 'EROFS', 'cannot move rendered/asm-migration aside to rendered/.meshops-tmp-asm-migration-old', () => true],
  ])('%s failing with %s is an input error naming the path, exit 1, and rendered/ is as it was', async (operation, code, says, at) => {
    const { repo, rendered } = staleRepo();
    const before = readTree(rendered);
    const r = await render(repo, faulting(operation, code, at));
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^rendered: error input: /)]);
    expect(r.stderr).toContain(`${says}: ${WORDS[code]} (${code})`);
    expect(r.stderr).toContain('Nothing under rendered/ changed');
    expect(readTree(rendered)).toEqual(before);
    expect(readdirSync(rendered).sort()).toEqual(ENVIRONMENTS);
  });

  it('rendered/ that cannot be created, or locked, is an input error naming it', async () => {
    const { repo, rendered } = staleRepo();
    const lock = await render(repo, faulting('writeFile', 'EROFS', (p) => p.endsWith('.meshops-lock')), ['--format', 'json']);
    expect(lock.status).toBe(1);
    expect(JSON.parse(lock.stdout).violations).toEqual([
      expect.objectContaining({ rule: 'input', severity: 'error', file: 'rendered', message: 'cannot lock rendered/: cannot create rendered/.meshops-lock: read-only file system (EROFS)' }),
    ]);
    expect(readdirSync(rendered).sort()).toEqual(ENVIRONMENTS);

    const fresh = scratchRepo({ environments: ['multi-primary'] });
    const create = await render(fresh, faulting('mkdir', 'EACCES'));
    expect([create.status, create.stderr]).toEqual([1, 'rendered: error input: cannot create rendered/: permission denied (EACCES)\n']);
  });
});

describe('a move that fails midway', () => {
  it('names the environments already new and those still old; the next render finishes', async () => {
    const { repo, rendered } = staleRepo();
    const r = await render(repo, faulting('rename', 'EROFS', (from) => from.endsWith('.meshops-tmp-multi-primary-new')));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'rendered: error input: cannot move the new rendered/multi-primary in from rendered/.meshops-tmp-multi-primary-new: read-only file system (EROFS). ' +
        'New: asm-migration; still old: multi-primary, tcm-migration, vm-integration. ' +
        'Run meshops render again (it restores or finishes what this run left)\n',
    );
    expect(ENVIRONMENTS.filter((env) => isNew(rendered, env))).toEqual(['asm-migration']);
    expect(readdirSync(rendered).filter((n) => n.endsWith('-new'))).toEqual([]);

    const next = await render(repo);
    expect(next.status, next.stderr).toBe(0);
    expect(ENVIRONMENTS.filter((env) => isNew(rendered, env))).toEqual(ENVIRONMENTS);
    expect(readdirSync(rendered).sort()).toEqual(ENVIRONMENTS);
  });

  it('says where an old tree waits when it cannot be put back either, and the next render restores it', async () => {
    const { repo, rendered } = staleRepo();
    const old = readTree(path.join(rendered, 'asm-migration'));
    const r = await render(repo, faulting('rename', 'EROFS', (from, to) => from.endsWith('.meshops-tmp-asm-migration-new') || to!.endsWith('/asm-migration')));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'rendered: error input: cannot move the new rendered/asm-migration in from rendered/.meshops-tmp-asm-migration-new: read-only file system (EROFS). ' +
        'rendered/asm-migration is missing: its old tree waits in rendered/.meshops-tmp-asm-migration-old. ' +
        'Run meshops render again (it restores or finishes what this run left)\n',
    );

    // Put back by a render that can move it (an --env render of another environment restores it too).
    const next = await render(repo, undefined, ['--env', 'tcm-migration']);
    expect(next.status, next.stderr).toBe(0);
    expect(readTree(path.join(rendered, 'asm-migration'))).toEqual(old);
  });
});

describe('cleanup once every new tree is in', () => {
  it('an old tree that cannot be removed is a warning, exit 0, and the next render removes it', async () => {
    const { repo, rendered } = staleRepo();
    const r = await render(repo, faulting('remove', 'EACCES', (p) => p.endsWith('.meshops-tmp-tcm-migration-old')));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('meshops: warning: could not remove rendered/.meshops-tmp-tcm-migration-old: permission denied (EACCES)\n');
    expect(ENVIRONMENTS.filter((env) => isNew(rendered, env))).toEqual(ENVIRONMENTS);

    expect((await render(repo)).status).toBe(0);
    expect(readdirSync(rendered).sort()).toEqual(ENVIRONMENTS);
  });

  it('a vanished environment that cannot be pruned, or a lock that cannot be removed, is a warning and exit 0', async () => {
    const { repo, rendered } = staleRepo();
    const gone = path.join(rendered, 'gone'); // the tree of an environment that no longer exists
    mkdirSync(gone);
    const r = await render(repo, faulting('remove', 'EROFS', (p) => p === gone || p.endsWith('.meshops-lock')));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('meshops: warning: could not remove rendered/gone: read-only file system (EROFS)\n');
    expect(r.stderr).toContain('meshops: warning: could not remove rendered/.meshops-lock: read-only file system (EROFS); remove it by hand once no render runs\n');
    expect(r.stderr).not.toContain('removed rendered/gone');
    expect(ENVIRONMENTS.filter((env) => isNew(rendered, env))).toEqual(ENVIRONMENTS);
  });
});
