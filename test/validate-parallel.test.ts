/**
 * validate environment by environment, on one core or both (generator/commands/validate-parallel.ts),
 * says byte for byte what it says loading every tree first: the same findings in the same order, in
 * every format, and the same summary.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../generator/commands/render.js';
import { reportTool } from '../generator/commands/rules.js';
import { validate } from '../generator/commands/validate.js';
import { checkEnvironmentDir, checkEnvironmentDirs, type EnvironmentOutcome } from '../generator/commands/validate-parallel.js';
import { packageRoot } from '../generator/package-root.js';
import { FORMATS, formatFindings } from '../generator/report/format.js';
import { writeSyntheticFleet } from '../scripts/synthetic-fleet.js';

let repo: string;
let dirs: string[];

beforeAll(async () => {
  // Four environments with a warning in every cluster; then an error, an unreadable file and a
  // spec.policies override, so findings of every source and severity are merged.
  repo = mkdtempSync(path.join(os.tmpdir(), 'meshops-parallel-'));
  writeSyntheticFleet(repo, { clusters: 28, clustersPerEnvironment: 7, clustersPerNetwork: 3, withFindings: true });
  const rendered = await render({ cwd: repo, envs: [] });
  expect(rendered.kind).toBe('rendered');
  const rendered1 = path.join(repo, 'rendered', 'fleet-001', 'clusters', 'fleet-001-c00000', 'istio-operator.yaml');
  writeFileSync(rendered1, readFileSync(rendered1, 'utf8').replace('meshID: mesh-fleet-001', 'meshID: other-mesh'));
  writeFileSync(path.join(repo, 'rendered', 'fleet-002', 'clusters', 'fleet-002-c00001', 'broken.yaml'), 'a: [\n');
  appendFileSync(path.join(repo, 'environments', 'fleet-003', 'mesh.yaml'), '  policies:\n    east-west-gateway-internal: error\n');
  dirs = readdirSync(path.join(repo, 'rendered')).sort().map((d) => path.join(repo, 'rendered', d));
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('validate on both cores', () => {
  it('reports what checking every tree at once reports, on one thread and on two, in every format', async () => {
    // Each environment named as a PATH of its own takes the path that loads every tree first.
    const whole = await validate({ cwd: repo, paths: dirs.map((dir) => path.relative(repo, dir)) });
    const one = await validate({ cwd: repo, paths: [], workers: 0 });
    const both = await validate({ cwd: repo, paths: [], workers: 1 });
    if (whole.kind !== 'checked' || one.kind !== 'checked' || both.kind !== 'checked') throw new Error('expected findings');
    expect(new Set(whole.findings.map((f) => `${f.severity} ${f.rule}`))).toEqual(
      new Set(['warning east-west-gateway-internal', 'error east-west-gateway-internal', 'error mesh-id-match', 'error schema']),
    );
    for (const run of [one, both]) {
      expect(run.findings).toEqual(whole.findings);
      expect(run.checked).toEqual(whole.checked);
      for (const format of FORMATS) expect(formatFindings(run.findings, format, reportTool())).toBe(formatFindings(whole.findings, format, reportTool()));
    }
  });

  it('puts each environment in its place, whichever thread checked it', async () => {
    const overrides = () => undefined;
    const inOrder = dirs.map((dir) => checkEnvironmentDir(dir, repo, overrides()));
    // Each directory several times over: the worker takes some of them whatever the timing.
    const many = [...dirs, ...dirs, ...dirs, ...dirs];
    expect(await checkEnvironmentDirs(many, repo, overrides, 1)).toEqual([...inOrder, ...inOrder, ...inOrder, ...inOrder]);
    expect(await checkEnvironmentDirs(many, repo, overrides, 0)).toEqual([...inOrder, ...inOrder, ...inOrder, ...inOrder]);
  });

  it('a worker checks an environment exactly as this thread does', async () => {
    const worker = new Worker(path.join(packageRoot(), 'dist', 'generator', 'commands', 'validate-worker.js'));
    try {
      const outcomes = await new Promise<EnvironmentOutcome[]>((resolve, reject) => {
        const received: EnvironmentOutcome[] = [];
        worker.on('error', reject);
        worker.on('message', (message: 'ready' | { index: number; outcome: EnvironmentOutcome }) => {
          if (message !== 'ready') received[message.index] = message.outcome;
          if (received.filter(Boolean).length === dirs.length) resolve(received);
          else if (message === 'ready') dirs.forEach((dir, index) => worker.postMessage({ index, dir, cwd: repo, overrides: { 'mesh-id-match': 'warning' } }));
        });
      });
      expect(outcomes).toEqual(dirs.map((dir) => checkEnvironmentDir(dir, repo, { 'mesh-id-match': 'warning' })));
      expect(outcomes.flatMap((o) => o.findings).some((f) => f.rule === 'mesh-id-match' && f.severity === 'warning')).toBe(true);
    } finally {
      await worker.terminate();
    }
  });
});
