/**
 * `meshops plan`: each row of the table of consequences on a real git repository (the base is a
 * commit, the change is in the working tree), the field-level diff, and the three formats.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan, type EnvironmentPlan, type Plan } from '../generator/commands/plan.js';
import { diffValues, lineChanges } from '../generator/plan/object-diff.js';
import { formatPlan } from '../generator/plan/format.js';
import { baseEnvironment, git, REPO_ROOT, runMain, scratchGitRepo, toYamlText } from './helpers.js';

type Env = Record<string, any>;

function writeEnvironment(repo: string, env: Env): void {
  const dir = path.join(repo, 'environments', env.metadata.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'mesh.yaml'), toYamlText(env));
}

/** A repository whose HEAD holds `before`; the working tree holds `after` (absent: the environment is deleted). */
function repoWithChange(before: Env | undefined, after: Env | undefined, name = (before ?? after)!.metadata.name): string {
  const repo = scratchGitRepo();
  writeFileSync(path.join(repo, 'README.md'), 'a mesh\n');
  if (before) writeEnvironment(repo, before);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  if (after) writeEnvironment(repo, after);
  else rmSync(path.join(repo, 'environments', name), { recursive: true });
  return repo;
}

async function planned(cwd: string): Promise<Plan> {
  const result = await plan({ cwd });
  if (result.kind !== 'planned') throw new Error(result.message);
  return result.plan;
}

async function planOf(before: Env | undefined, after: Env | undefined): Promise<EnvironmentPlan> {
  const result = await planned(repoWithChange(before, after));
  expect(result.environments).toHaveLength(1);
  return result.environments[0]!;
}

const clone = (env: Env): Env => structuredClone(env);

/** Two networks: primary1 on net1 serving remote1 on net2 (both with east-west gateways). */
function multiNetwork(): Env {
  const env = baseEnvironment('demo');
  env.spec.clusters[1].network = 'net2';
  env.spec.clusters[1].eastWestGateway = { address: '10.0.1.10' };
  return env;
}

describe('plan: the table of consequences', () => {
  it('network: restart the workloads of that cluster; with several networks, every primary\'s meshNetworks changes', async () => {
    const before = multiNetwork();
    const after = clone(before);
    after.spec.clusters[1].network = 'net3';
    const p = await planOf(before, after);
    expect(p.status).toBe('changed');
    expect(p.consequences).toContainEqual({
      field: 'spec.clusters[remote1].network',
      change: 'net2 -> net3',
      consequence: expect.stringMatching(/ISTIO_META_NETWORK; restart every workload .* every primary's meshNetworks changes with it$/),
      clusters: ['remote1'],
    });
    const iop = p.changes.find((c) => c.file === 'clusters/primary1/istio-operator.yaml')!;
    expect(iop.fields).toContainEqual({ path: 'spec.values.global.meshNetworks.net3', after: expect.anything() });
  });

  it('meshID and trustDomain: restart the workloads of every cluster', async () => {
    const before = baseEnvironment('demo');
    const after = clone(before);
    after.spec.meshID = 'mesh2';
    after.spec.trustDomain = 'example.org';
    const p = await planOf(before, after);
    expect(p.consequences.map((c) => [c.field, c.change, c.clusters])).toEqual([
      ['spec.meshID', 'mesh1 -> mesh2', ['primary1', 'remote1']],
      ['spec.trustDomain', 'cluster.local -> example.org', ['primary1', 'remote1']],
    ]);
    expect(p.consequences[0]!.consequence).toContain('ISTIO_META_MESH_ID; restart every workload');
    expect(p.consequences[1]!.consequence).toContain('TRUST_DOMAIN');
  });

  it('clusterName: a renamed cluster restarts its workloads and gets its remote secret under the new name', async () => {
    const before = baseEnvironment('demo');
    const after = clone(before);
    after.spec.clusters[1].name = 'remote9';
    const p = await planOf(before, after);
    expect(p.consequences).toEqual([
      { field: 'spec.clusters[].name', change: 'remote1 -> remote9', consequence: expect.stringContaining('ISTIO_META_CLUSTER_ID'), clusters: ['remote9'] },
    ]);
    expect(p.changes.filter((c) => c.scope === 'cluster remote1').every((c) => c.change === 'removed')).toBe(true);
    expect(p.changes.filter((c) => c.scope === 'cluster remote9').every((c) => c.change === 'added')).toBe(true);
  });

  it('istiod address: the remotes and VMs of that primary reconnect', async () => {
    const before = baseEnvironment('demo');
    before.spec.clusters[0].istiodAddress = '10.0.0.20';
    before.spec.vms = [{ name: 'legacy', namespace: 'vm', serviceAccount: 'vm', cluster: 'primary1' }];
    const after = clone(before);
    after.spec.clusters[0].istiodAddress = '10.0.0.21';
    const p = await planOf(before, after);
    expect(p.consequences).toEqual([
      {
        field: 'spec.clusters[primary1].istiodAddress',
        change: '10.0.0.20 -> 10.0.0.21',
        consequence: expect.stringContaining('its remotes reconnect once their remotePilotAddress is re-applied (remote1)'),
        clusters: ['remote1', 'vm legacy'],
      },
    ]);
    expect(p.changes.find((c) => c.file === 'vms/legacy/hosts')?.fields).toEqual([{ path: '', lines: ['-10.0.0.20 istiod.istio-system.svc', '+10.0.0.21 istiod.istio-system.svc'] }]);
  });

  it('revision: remotes and VMs reconnect to the new istiod', async () => {
    const before = baseEnvironment('demo');
    const after = clone(before);
    after.spec.istio.revision = 'canary';
    const p = await planOf(before, after);
    expect(p.consequences).toEqual([{ field: 'spec.istio.revision', change: '(none) -> canary', consequence: expect.stringContaining('remotes and VMs reconnect'), clusters: ['primary1', 'remote1'] }]);
  });

  it('east-west gateway: cross-network traffic to its network is interrupted; on a primary, its istiod address moves too', async () => {
    const before = multiNetwork();
    const after = clone(before);
    after.spec.clusters[1].eastWestGateway.address = '10.0.1.11';
    after.spec.clusters[0].eastWestGateway.port = 15444;
    const p = await planOf(before, after);
    expect(p.consequences).toEqual([
      { field: 'spec.clusters[primary1].eastWestGateway', change: '10.0.0.10:15443 -> 10.0.0.10:15444', consequence: expect.stringContaining('cross-network traffic to network net1 is interrupted'), clusters: ['primary1'] },
      { field: 'spec.clusters[remote1].eastWestGateway', change: '10.0.1.10:15443 -> 10.0.1.11:15443', consequence: expect.stringContaining('cross-network traffic to network net2 is interrupted'), clusters: ['remote1'] },
    ]);
    const moved = clone(before);
    moved.spec.clusters[0].eastWestGateway.address = '10.0.0.99';
    expect((await planOf(before, moved)).consequences.map((c) => c.field)).toEqual(['spec.clusters[primary1].eastWestGateway.address', 'spec.clusters[primary1].eastWestGateway']);
  });

  it('migration state: the runbook\'s next step', async () => {
    const before = baseEnvironment('demo');
    before.spec.migration = { asm: { desiredState: 'Init' } };
    const after = clone(before);
    after.spec.migration.asm.desiredState = 'SetupIstioForMigrate';
    const p = await planOf(before, after);
    expect(p.consequences).toEqual([
      {
        field: 'spec.migration.asm.desiredState',
        change: 'Init -> SetupIstioForMigrate',
        consequence: "ASM moves the mesh to SetupIstioForMigrate; the runbook's next step (rendered/demo/MIGRATION.md): once ASM reports status.state SetupIstioForMigrate, do that state's steps, then set desiredState: Migrating",
        clusters: ['primary1', 'remote1'],
      },
    ]);
    const retry = clone(before);
    retry.spec.migration.asm.retryCounter = 1;
    expect((await planOf(before, retry)).consequences.map((c) => [c.field, c.change])).toEqual([['spec.migration.asm.retryCounter', '0 -> 1']]);

    const tcm = baseEnvironment('demo');
    tcm.spec.migration = { tcm: { sourceVersion: '1.18.5', sourceClusters: ['old1', 'old2'] } };
    const moved = clone(tcm);
    moved.spec.migration.tcm.sourceClusters = ['old2'];
    expect((await planOf(tcm, moved)).consequences).toEqual([
      {
        field: 'spec.migration.tcm.sourceClusters',
        change: 'old1, old2 -> old2',
        consequence: "old1 left Tencent Cloud Mesh; the runbook's next step (rendered/demo/MIGRATION.md): move the remaining workloads, then retire the TCM clusters",
        clusters: ['primary1', 'remote1'],
      },
    ]);
  });

  it('a cluster added or removed: remote secrets and every primary\'s meshNetworks', async () => {
    const before = multiNetwork();
    const after = clone(before);
    after.spec.clusters.push({ name: 'remote2', role: 'remote', network: 'net3', eastWestGateway: { address: '10.0.2.10' } });
    const added = await planOf(before, after);
    expect(added.consequences).toEqual([
      { field: 'spec.clusters[remote2]', change: 'added', consequence: expect.stringMatching(/istioctl create-remote-secret.*every primary's meshNetworks gains its network's entry; it uses istiod of primary1$/), clusters: ['primary1', 'remote2'] },
    ]);
    // A remote gets its Namespace, kustomization and IstioOperator; its Istio configuration lives on its primary.
    expect(added.changes.filter((c) => c.scope === 'cluster remote2').map((c) => c.change)).toEqual(['added', 'added', 'added']);
    const removed = await planOf(after, before);
    expect(removed.consequences).toEqual([
      { field: 'spec.clusters[remote2]', change: 'removed', consequence: expect.stringContaining("remove its remote secret from the primaries; every primary's meshNetworks loses its entry"), clusters: ['primary1', 'remote2'] },
    ]);
  });

  it('an environment added or removed, and one that does not load, which is reported and not planned', async () => {
    const env = baseEnvironment('demo');
    expect((await planOf(undefined, env)).status).toBe('added');
    const gone = await planOf(env, undefined);
    expect(gone.status).toBe('removed');
    expect(gone.changes.every((c) => c.change === 'removed')).toBe(true);
    const broken = clone(env);
    broken.spec.clusters[0].netwrk = 'x';
    const p = await planOf(env, broken);
    expect(p.status).toBe('not planned');
    expect(p.problems).toEqual([expect.objectContaining({ rule: 'input', file: 'environments/demo/mesh.yaml', message: expect.stringContaining('unknown field "netwrk"') })]);
  });
});

describe('plan: reading the base', () => {
  it('renders every shipped example, Jsonnet included, from Git; an untouched tree is unchanged', async () => {
    const repo = scratchGitRepo();
    cpSync(path.join(REPO_ROOT, 'environments'), path.join(repo, 'environments'), { recursive: true });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'examples');
    // The working tree's Jsonnet library changes; the base must still evaluate with the committed one.
    writeFileSync(path.join(repo, 'environments', 'lib', 'mesh.libsonnet'), 'error "the working tree\'s library"');
    const p = await planned(repo);
    const mdemo = p.environments.find((e) => e.env === 'mdemo-multicloud')!;
    expect(mdemo.status).toBe('not planned');
    expect(mdemo.problems.map((f) => f.message)).toEqual([expect.stringContaining("the working tree's library")]);
    expect(p.environments.filter((e) => e.env !== 'mdemo-multicloud').map((e) => [e.env, e.status])).toEqual([
      ['asm-migration', 'unchanged'],
      ['multi-primary', 'unchanged'],
      ['tcm-migration', 'unchanged'],
      ['vm-integration', 'unchanged'],
    ]);
  });

  it('a --base that is not a revision is a usage error (exit 2)', async () => {
    const repo = repoWithChange(baseEnvironment('demo'), baseEnvironment('demo'));
    expect(await plan({ cwd: repo, base: 'no-such-branch' })).toEqual({ kind: 'usage', message: expect.stringContaining('no such git revision') });
    const out = await runMain(['plan', '--base', 'no-such-branch'], repo);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('meshops: --base no-such-branch: no such git revision');
  });
});

describe('plan: output', () => {
  it('prints text, markdown and JSON from the same plan, each with the field-level diff', async () => {
    const before = baseEnvironment('demo');
    const after = clone(before);
    after.spec.clusters[1].network = 'net2';
    after.spec.clusters[1].eastWestGateway = { address: '10.0.1.10' };
    const repo = repoWithChange(before, after);
    const run = async (format: string) => {
      const { status, stdout } = await runMain(['plan', '--format', format], repo);
      expect(status).toBe(0);
      return stdout;
    };
    const text = await run('text');
    expect(text).toMatch(/^meshops plan: the working tree against HEAD \([0-9a-f]{12}\)$/m);
    expect(text).toContain('  ! spec.clusters[remote1].network (net1 -> net2): running proxies keep the old ISTIO_META_NETWORK');
    // The cross-network Gateway serving remote1's east-west gateway is its primary's (config lives on primaries).
    expect(text).toContain('    + Gateway istio-system/cross-network-gateway (clusters/primary1/gateway.yaml)\n');
    expect(text).toContain('  cluster remote1\n    ~ IstioOperator istio-system/istio (clusters/remote1/istio-operator.yaml)\n');
    expect(text).toContain('        - spec.values.global.network: "net1"\n        + spec.values.global.network: "net2"\n');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^1 environment of 1 changed against HEAD: \d+ added, \d+ changed, 0 removed objects; \d+ consequences for the running mesh$/);
    const markdown = await run('markdown');
    expect(markdown).toContain('| `spec.clusters[remote1].network` | net1 -> net2 |');
    expect(markdown).toMatch(/```diff\n# cluster primary1: IstioOperator istio-system\/istio \(clusters\/primary1\/istio-operator\.yaml\)\n/);
    const json = JSON.parse(await run('json'));
    expect(json.base).toEqual({ ref: 'HEAD', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(json.environments[0].changes).toContainEqual(
      expect.objectContaining({ scope: 'cluster remote1', file: 'clusters/remote1/namespace.yaml', change: 'changed', fields: [{ path: 'metadata.labels["topology.istio.io/network"]', before: 'net1', after: 'net2' }] }),
    );
  });

  it('fences the diff longer than any backticks a value holds', () => {
    const text = formatPlan(
      {
        base: { ref: 'HEAD', commit: '0'.repeat(40) },
        environments: [{ env: 'e', status: 'changed', consequences: [], problems: [], changes: [{ scope: 'environment', file: 'x', object: 'x', change: 'changed', fields: [{ path: 'a', before: '```', after: 'b' }] }] }],
      },
      'markdown',
    );
    expect(text).toContain('````diff\n');
  });
});

describe('plan: the field-level diff', () => {
  it('matches named list entries by name and compares multi-line strings by line', () => {
    const before = { ports: [{ name: 'a', port: 1 }, { name: 'b', port: 2 }], script: 'one\ntwo\n' };
    const after = { ports: [{ name: 'z', port: 0 }, { name: 'a', port: 1 }, { name: 'b', port: 3 }], script: 'one\nthree\n' };
    expect(diffValues(before, after, '')).toEqual([
      { path: 'ports[z]', after: { name: 'z', port: 0 } },
      { path: 'ports[b].port', before: 2, after: 3 },
      { path: 'script', lines: ['-two', '+three'] },
    ]);
    expect(diffValues({ a: [1, 2] }, { a: [1, 2] }, '')).toEqual([]);
    expect(lineChanges('same\n', 'same\n')).toEqual([]);
  });
});
