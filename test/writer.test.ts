/** rendered/<env>/ on disk: atomic replacement, pruning, containment, and no-op when unchanged. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertContained, readTree, writeRendered } from '../generator/write/rendered-tree.js';
import type { SerializedEnvironment } from '../generator/write/serialize.js';

const file = (p: string, content = `${p}\n`, executable = false) => ({ path: p, content, executable });
const env = (name: string, ...files: ReturnType<typeof file>[]): SerializedEnvironment => ({ env: name, sourceFile: `environments/${name}/mesh.yaml`, files });

let repo: string;
const rendered = (...parts: string[]) => path.join(repo, 'rendered', ...parts);

beforeEach(() => {
  repo = mkdtempSync(path.join(os.tmpdir(), 'meshops-writer-'));
});

describe('writeRendered', () => {
  it('writes each environment and reads back the same tree', () => {
    const prod = env('prod', file('clusters/c1/istio-operator.yaml'), file('clusters/c1/kustomization.yaml'), file('vms/vm1/run.sh', '#!/bin/sh\n', true));
    expect(writeRendered(repo, [prod], true)).toEqual({ written: ['prod'], unchanged: [], removed: [], warnings: [] });
    expect(readTree(rendered('prod'))).toEqual(new Map(prod.files.map((f) => [f.path, f.content])));
    expect(statSync(rendered('prod', 'vms/vm1/run.sh')).mode & 0o111).not.toBe(0);
    expect(statSync(rendered('prod', 'clusters/c1/kustomization.yaml')).mode & 0o111).toBe(0);
  });

  it('replaces an environment whole: stale files and directories disappear, no temporary directory is left', () => {
    writeRendered(repo, [env('prod', file('clusters/old/istio-operator.yaml'), file('clusters/c1/gateway.yaml'))], true);
    writeRendered(repo, [env('prod', file('clusters/c1/istio-operator.yaml'))], true);
    expect([...readTree(rendered('prod')).keys()]).toEqual(['clusters/c1/istio-operator.yaml']);
    expect(existsSync(rendered('prod', 'clusters', 'old'))).toBe(false);
    expect(readdirSync(rendered())).toEqual(['prod']);
  });

  it('leaves an unchanged environment untouched, down to its modification times', () => {
    const prod = env('prod', file('clusters/c1/istio-operator.yaml'));
    writeRendered(repo, [prod], true);
    const before = statSync(rendered('prod', 'clusters/c1/istio-operator.yaml'));
    const dirBefore = statSync(rendered('prod'));
    expect(writeRendered(repo, [prod], true)).toEqual({ written: [], unchanged: ['prod'], removed: [], warnings: [] });
    expect(statSync(rendered('prod', 'clusters/c1/istio-operator.yaml')).ino).toBe(before.ino);
    expect(statSync(rendered('prod', 'clusters/c1/istio-operator.yaml')).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(rendered('prod')).ino).toBe(dirBefore.ino);
  });

  it('rewrites an environment whose files were edited by hand, or have an extra file', () => {
    const prod = env('prod', file('clusters/c1/istio-operator.yaml'));
    writeRendered(repo, [prod], true);
    writeFileSync(rendered('prod', 'clusters/c1/istio-operator.yaml'), 'edited\n');
    expect(writeRendered(repo, [prod], true).written).toEqual(['prod']);
    writeFileSync(rendered('prod', 'clusters/c1/extra.yaml'), 'extra\n');
    expect(writeRendered(repo, [prod], true).written).toEqual(['prod']);
    expect(readTree(rendered('prod'))).toEqual(new Map([['clusters/c1/istio-operator.yaml', 'clusters/c1/istio-operator.yaml\n']]));
  });

  it('prunes environments that no longer exist on a full render only', () => {
    writeRendered(repo, [env('prod', file('a.yaml')), env('gone', file('a.yaml'))], true);
    writeFileSync(rendered('README.md'), 'kept\n');
    mkdirSync(rendered('.cache'));

    // Rendering only prod (render --env prod) leaves other environments alone.
    expect(writeRendered(repo, [env('prod', file('a.yaml'))], false).removed).toEqual([]);
    expect(existsSync(rendered('gone'))).toBe(true);

    expect(writeRendered(repo, [env('prod', file('a.yaml'))], true)).toEqual({ written: [], unchanged: ['prod'], removed: ['gone'], warnings: [] });
    expect(readdirSync(rendered()).sort()).toEqual(['.cache', 'README.md', 'prod']);
  });

  it.each(['../escape.yaml', 'clusters/../../escape.yaml', '/etc/escape.yaml', 'clusters/./c1.yaml', 'clusters\\c1.yaml', '..'])(
    'refuses the file path %j and writes nothing at all',
    (bad) => {
      writeRendered(repo, [env('prod', file('a.yaml'))], true);
      const before = readTree(repo);
      expect(() => writeRendered(repo, [env('other', file('ok.yaml')), env('prod', file('b.yaml'), file(bad))], true)).toThrow(
        /refusing to write outside the environment's directory/,
      );
      expect(readTree(repo)).toEqual(before);
      expect(readdirSync(rendered())).toEqual(['prod']);
      expect(existsSync(path.join(repo, 'escape.yaml'))).toBe(false);
    },
  );

  it.each(['../x', 'a/b', '..', '/abs'])('refuses the environment name %j', (name) => {
    expect(() => writeRendered(repo, [env(name, file('a.yaml'))], true)).toThrow();
    expect(readdirSync(repo)).toEqual([]);
  });
});

describe('assertContained', () => {
  it.each(['a.yaml', 'clusters/c1/istio-operator.yaml', 'vms/vm-1/cluster.env'])('accepts %j', (p) => {
    expect(() => assertContained(p)).not.toThrow();
  });
});
