/** The benchmark's fleet generator and runner, on fleets small enough to run in a few seconds. No timings are asserted. */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { overlaps, parseCidr } from '../generator/model/cidr.js';
import { formatTable, prepareScratch, runBench, runOnce, type BenchOptions, type BenchRow, type Measurement } from '../scripts/bench.js';
import { syntheticFleet } from '../scripts/synthetic-fleet.js';
import { model, renderAndValidate } from './helpers.js';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('synthetic fleet', () => {
  const fleet = syntheticFleet({ clusters: 25, clustersPerEnvironment: 10, clustersPerNetwork: 4 });

  it('splits the clusters into environments, each network with one primary serving its remotes', () => {
    expect(fleet.map((e) => e.spec.clusters.length)).toEqual([10, 10, 5]);
    for (const env of fleet) {
      const m = model(env);
      const networks = new Set(m.spec.clusters.map((c) => c.network));
      expect(networks.size).toBe(Math.ceil(m.spec.clusters.length / 4));
      for (const network of networks) {
        const members = m.spec.clusters.filter((c) => c.network === network);
        const primaries = members.filter((c) => c.role === 'primary');
        expect(primaries).toHaveLength(1);
        for (const remote of members.filter((c) => c.role === 'remote')) expect(remote.controlPlane).toBe(primaries[0]!.name);
        const subnets = members.map((c) => parseCidr(c.podSubnet!)!);
        subnets.forEach((a, i) => subnets.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
      }
    }
  });

  it('is the same every time', () => {
    expect(syntheticFleet({ clusters: 25, clustersPerEnvironment: 10, clustersPerNetwork: 4 })).toEqual(fleet);
  });

  it('renders to trees the validator finds nothing in', () => {
    for (const env of fleet) expect(renderAndValidate(env)).toEqual([]);
  });

  it('with findings, renders to trees where each cluster has one warning', () => {
    for (const env of syntheticFleet({ clusters: 25, clustersPerEnvironment: 10, clustersPerNetwork: 4, withFindings: true })) {
      const findings = renderAndValidate(env);
      expect(findings.map((f) => `${f.severity} ${f.rule} ${f.cluster}`)).toEqual(env.spec.clusters.map((c) => `warning east-west-gateway-internal ${c.name}`));
    }
  });

  it('refuses shapes it cannot lay out', () => {
    expect(() => syntheticFleet({ clusters: 0, clustersPerEnvironment: 10, clustersPerNetwork: 4 })).toThrow();
    expect(() => syntheticFleet({ clusters: 10, clustersPerEnvironment: 10, clustersPerNetwork: 5000 })).toThrow();
  });
});

/** A stand-in kubeconform on PATH that records how it was called and what it could see. */
function fakeKubeconform(): { pathDir: string; record: string } {
  const pathDir = mkdtempSync(path.join(os.tmpdir(), 'meshops-fake-kubeconform-'));
  scratch.push(pathDir);
  const record = path.join(pathDir, 'calls.txt');
  writeFileSync(
    path.join(pathDir, 'kubeconform'),
    [
      '#!/bin/sh',
      `{ echo "cwd=$PWD"; for a in "$@"; do echo "arg=$a"; done`,
      // The schema-location template's directory, and the tree it was given (after -skip IstioOperator).
      `  schemas=$(dirname "$(dirname "$4")"); find "$schemas" -name '*.json' | sed "s|^$schemas/|schema=|"`,
      `  find "$7" -name '*.yaml' | sed 's|^|file=|'; } >> '${record}'`,
      'echo "Summary: 0 resources found"',
    ].join('\n') + '\n',
  );
  chmodSync(path.join(pathDir, 'kubeconform'), 0o755);
  return { pathDir, record };
}

function options(overrides: Partial<BenchOptions>): BenchOptions {
  return {
    sizes: [6],
    runs: 1,
    shape: { clustersPerEnvironment: 4, clustersPerNetwork: 2 },
    keep: false,
    timeBinary: existsSync('/usr/bin/time') ? '/usr/bin/time' : null,
    env: process.env,
    log: () => {},
    ...overrides,
  };
}

const measured: Measurement = { seconds: 1, cpuSeconds: 1, peakMiB: 100 };

/** CPU time and peak memory of render and validate, from GNU time or Node's own resource usage. */
function expectMeasured(row: ReturnType<typeof runBench>[number]): void {
  for (const m of [row.render, row.validate]) {
    expect(m.peakMiB).toBeGreaterThan(10);
    expect(m.cpuSeconds).toBeGreaterThan(0);
  }
}

describe('bench', () => {
  it('renders and validates a fleet, clean and with findings, with the real CLI, and runs kubeconform -strict over the same files', () => {
    const { pathDir, record } = fakeKubeconform();
    const [row] = runBench(options({ env: { ...process.env, PATH: `${pathDir}${path.delimiter}${process.env.PATH}` } }));
    expect(row).toMatchObject({ clusters: 6, environments: 2, validateExit: 0 });
    // 6 clusters, each a kustomize root with an IstioOperator, a kustomization and a Namespace at least.
    expect(row!.files).toBeGreaterThanOrEqual(18);
    expect(row!.documents).toBeGreaterThanOrEqual(row!.files);
    expect(row!.render.seconds).toBeGreaterThan(0);
    expect(row!.validate.seconds).toBeGreaterThan(0);
    expectMeasured(row!);
    expect(row!.kubeconform).toBeDefined();
    // One per cluster but the last environment's remote: alone in its primary's network, it has no east-west gateway.
    expect(row!.withFindings.warnings).toBe(5);
    expect(row!.withFindings.validate.seconds).toBeGreaterThan(0);
    expect(row!.withFindings.kubeconform).toBeDefined();

    const lines = readFileSync(record, 'utf8').trim().split('\n');
    const args = lines.filter((l) => l.startsWith('arg=')).map((l) => l.slice(4));
    expect(args.slice(0, 3)).toEqual(['-strict', '-summary', '-schema-location']);
    expect(args[3]).toMatch(/\{\{ \.Group \}\}\/\{\{ \.ResourceKind \}\}_\{\{ \.ResourceAPIVersion \}\}\.json$/);
    expect(args.slice(4, 7)).toEqual(['-skip', 'IstioOperator', 'rendered']);
    // The second call, over the fleet with findings, takes the same arguments.
    expect(args.slice(7)).toEqual(args.slice(0, 7));
    // The project's schemas, laid out for the template, and the tree validate read.
    const schemas = lines.filter((l) => l.startsWith('schema=')).map((l) => l.slice(7));
    expect(schemas).toEqual(expect.arrayContaining(['v1/namespace_v1.json', 'networking.istio.io/gateway_v1.json']));
    // Once over the clean fleet, once over the fleet with findings: the same files.
    expect(lines.filter((l) => l.startsWith('cwd=')).map((l) => path.basename(l))).toEqual(['render-0', 'with-findings']);
    const files = lines.filter((l) => l.startsWith('file=')).map((l) => l.slice(5));
    expect(files).toHaveLength(2 * row!.files);
    expect(files).toContain('rendered/fleet-001/clusters/fleet-001-c00000/istio-operator.yaml');

    const table = formatTable([row!]);
    expect(table.split('\n')[0]).toMatch(/clusters .* render s .* render cpu s .* validate RSS MiB .* kubeconform s .* validate\/kubeconform .* warnings .* validate s .* validate\/kubeconform/);
    expect(table.split('\n')[2]).toMatch(/^\|\s+6 \|\s+2 \|/);
  });

  it('measures CPU time and peak memory with Node\'s own resource usage when there is no GNU time', () => {
    // GNU time's measurements of the real CLI: the test above. The probe on a Node process that holds 64 MiB.
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'meshops-bench-probe-'));
    prepareScratch(scratch);
    const run = runOnce(process.execPath, ['-e', 'globalThis.held = Buffer.alloc(64 * 1024 * 1024, 1)'], scratch, options({ timeBinary: null }), scratch);
    rmSync(scratch, { recursive: true, force: true });
    expect(run.status).toBe(0);
    expect(run.peakKiB! / 1024).toBeGreaterThan(64);
    expect(run.cpuSeconds).toBeGreaterThan(0);
  });

  it('leaves kubeconform out of the table when it did not run', () => {
    const row: BenchRow = { clusters: 2, environments: 1, files: 6, documents: 9, bytes: 4096, render: measured, validate: measured, validateExit: 0, withFindings: { warnings: 1, validate: measured } };
    expect(formatTable([row])).not.toContain('kubeconform');
    expect(formatTable([{ ...row, kubeconform: measured, withFindings: { ...row.withFindings, kubeconform: measured } }])).toContain('kubeconform');
  });
});
