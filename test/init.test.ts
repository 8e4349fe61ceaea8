import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './helpers.js';

function emptyRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-init-'));
  mkdirSync(path.join(dir, 'environments'));
  return dir;
}

describe('meshops init', () => {
  it('writes a starting environment whose marked fields, once filled, render and pass the check', async () => {
    const repo = emptyRepo();
    const args = ['init', '--env', 'prod', '--cluster', 'c1:primary:net1:tke', '--cluster', 'c2:remote:net2:metallb', '--istio-version', '1.24.3', '--install', 'istioctl'];
    const init = await runMain(args, repo);
    expect(init.status).toBe(0);
    expect(init.stdout).toContain('fill in before render: spec.clusters[0].eastWestGateway.address, spec.clusters[1].eastWestGateway.address');
    const file = path.join(repo, 'environments/prod/mesh.yaml');
    const text = readFileSync(file, 'utf8');
    // Provider-specific advice on the east-west load balancer, beside the field.
    expect(text).toContain('service.kubernetes.io/tke-existed-lbid');
    expect(text).toContain('metallb.universe.tf/address-pool');

    const before = await runMain(['render'], repo);
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/environments\/prod\/mesh\.yaml:\d+:\d+: error input: spec\.clusters\[0\]\.eastWestGateway\.address: still to fill in/);

    const marks = text.match(/"TO FILL: [^"]*"/g)!;
    expect(marks).toHaveLength(2);
    writeFileSync(file, text.replace(marks[0]!, '10.0.0.10').replace(marks[1]!, '10.1.0.10'));
    const render = await runMain(['render'], repo);
    expect(render.stderr).toBe('rendered rendered/prod\n');
    expect(render.status).toBe(0);
    expect((await runMain(['check'], repo)).status).toBe(0);

    const again = await runMain(args, repo);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('environments/prod/mesh.yaml exists');
  });

  it('refuses a cluster argument it cannot read, and a mesh without a primary (exit 2)', async () => {
    const repo = emptyRepo();
    expect((await runMain(['init', '--env', 'x', '--cluster', 'c1:leader:net1', '--istio-version', '1.24.3'], repo)).status).toBe(2);
    expect((await runMain(['init', '--env', 'x', '--cluster', 'c1:remote:net1', '--istio-version', '1.24.3'], repo)).status).toBe(2);
    expect((await runMain(['init', '--env', 'x', '--cluster', 'c1:primary:net1', '--istio-version', '1.24'], repo)).status).toBe(2);
  });
});
