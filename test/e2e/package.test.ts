/**
 * meshops used as a platform team would: packed, installed as a devDependency of another
 * repository, run from that repository's root. Needs npm and the npm registry (or a warm npm
 * cache) for meshops' dependencies; without npm it is skipped, saying so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers.js';

const NETWORK_ERRORS = /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT/;

function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

describe('meshops in another repository', () => {
  it('npm pack, npm install the tarball as a devDependency, then init, render and check from that repository\'s root', (ctx) => {
    if (run('npm', ['--version'], REPO_ROOT).error) return ctx.skip('npm is not on PATH');
    const work = mkdtempSync(path.join(os.tmpdir(), 'meshops-package-'));
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO_ROOT);
    expect(pack.status, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    // Only what runs: no sources, tests, environments or rendered trees of this repository.
    const top = new Set(packed!.files.map((f) => f.path.split('/').slice(0, f.path.startsWith('dist/') ? 2 : 1).join('/')));
    expect([...top].sort()).toEqual(['README.md', 'bin', 'dist/generator', 'dist/meshops.js', 'dist/policies', 'dist/schemas', 'package.json', 'schemas']);

    const repo = path.join(work, 'platform-mesh');
    mkdirSync(repo);
    writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'platform-mesh', private: true }));
    // --omit=optional: the Jsonnet addon is not needed for YAML environments (and builds from source).
    const install = run('npm', ['install', '--save-dev', '--prefer-offline', '--omit=optional', '--no-audit', '--no-fund', path.join(work, packed!.filename)], repo);
    if (install.status !== 0 && NETWORK_ERRORS.test(install.stderr)) return ctx.skip(`npm cannot reach the registry for meshops' dependencies: ${install.stderr.split('\n')[0]}`);
    expect(install.status, install.stderr).toBe(0);

    // The bin link npm made, as the repository's npm scripts run it (npx would add its own start-up).
    const meshops = (...args: string[]) => run(path.join(repo, 'node_modules', '.bin', 'meshops'), args, repo);
    mkdirSync(path.join(repo, 'environments'));
    const init = meshops('init', '--env', 'prod', '--cluster', 'c1:primary:net1:aws', '--cluster', 'c2:remote:net1:aws', '--istio-version', '1.24.3');
    expect(init.status, init.stderr).toBe(0);
    const file = path.join(repo, 'environments/prod/mesh.yaml');
    const text = readFileSync(file, 'utf8');
    // The schema line points into the installed package.
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../node_modules/mesh-gitops/schemas/mesh-environment.schema.json');
    expect(existsSync(path.join(repo, 'node_modules/mesh-gitops/schemas/mesh-environment.schema.json'))).toBe(true);
    writeFileSync(file, text.replace(/"TO FILL: [^"]*"/, 'istiod.mesh.example.com'));

    const render = meshops('render');
    expect(render.status, render.stderr).toBe(0);
    expect(existsSync(path.join(repo, 'rendered/prod/clusters/c1/istio-operator.yaml'))).toBe(true);
    const check = meshops('check');
    expect(check.status, check.stderr).toBe(0);
  }, 180_000);
});
