import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { overlayIstioOperator, type PlainMap } from '../generator/adopt/istioctl-merge.js';
import { leafKey, leaves } from '../generator/adopt/leaves.js';
import { importEnvironment } from '../generator/commands/import.js';
import { loadEnvironment } from '../generator/load/environments.js';
import { renderEnvironment } from '../generator/render/environment.js';
import { inputRules } from '../policies/index.js';
import { REPO_ROOT, runMain } from './helpers.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures');
const SEED_000 = ['seed-000/master-cluster.yaml', 'seed-000/member-cluster-1.yaml'];
const SEED_001 = ['seed-001/cls-dxgdg1rl/master-cluster.yaml', 'seed-001/cls-dxgdg1rl/eastwest-gateway.yaml', 'seed-000/member-cluster-1.yaml'];

function emptyRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-import-'));
  mkdirSync(path.join(dir, 'environments'));
  return dir;
}

/** The files' IstioOperators merged per cluster, as istioctl merges `-f a -f b` (independent of import's grouping). */
function mergedByCluster(files: string[]): Map<string, PlainMap> {
  const docs = files.flatMap((f) => parseAllDocuments(readFileSync(path.join(FIXTURES, f), 'utf8')).map((d) => ({ file: f, data: d.toJS() as PlainMap })));
  const byCluster = new Map<string, PlainMap>();
  for (const { file, data } of docs) {
    const cluster = (data as any).spec?.values?.global?.multiCluster?.clusterName ?? path.basename(path.dirname(file));
    byCluster.set(cluster, overlayIstioOperator(byCluster.get(cluster) ?? {}, data));
  }
  return byCluster;
}

async function renderedIstioOperators(repo: string, env: string): Promise<Map<string, PlainMap>> {
  const loaded = await loadEnvironment(repo, env, inputRules);
  if (!loaded.ok) throw new Error(loaded.findings.map((f) => f.message).join('\n'));
  const files = renderEnvironment(loaded.env.model, loaded.env.file).files.filter((f) => f.path.endsWith('/istio-operator.yaml'));
  return new Map(files.map((f) => [f.path.split('/')[1]!, f.documents![0] as PlainMap]));
}

/** Istio reads an empty revision and the default profile as nothing said. */
function meaning(iop: PlainMap): PlainMap {
  const spec = { ...(iop.spec as PlainMap) };
  if (spec.revision === '') delete spec.revision;
  if (spec.profile === 'default') delete spec.profile;
  return { ...iop, spec };
}

const leafMap = (iop: PlainMap) => new Map(leaves(meaning(iop)).map((l) => [leafKey(l.path), JSON.stringify(l.value)]));

/** Input settings the render lacks or changes, and rendered settings the input lacks. */
function compare(input: PlainMap, rendered: PlainMap): { changed: string[]; added: string[] } {
  const i = leafMap(input);
  const r = leafMap(rendered);
  return { changed: [...i].filter(([k, v]) => r.get(k) !== v).map(([k]) => k), added: [...r.keys()].filter((k) => !i.has(k)) };
}

async function roundTrip(files: string[], env: string) {
  const repo = emptyRepo();
  const result = importEnvironment({ cwd: repo, env, files: files.map((f) => path.join(FIXTURES, f)), helmValues: [], istioVersion: '1.18.5' });
  if (result.status !== 'written') throw new Error(JSON.stringify(result));
  const rendered = await renderedIstioOperators(repo, env);
  const input = mergedByCluster(files);
  return { result, repo, rendered, input };
}

describe('meshops import: IstioOperator files in, mesh.yaml out, and back', () => {
  it('merges files as istioctl does: maps key by key, gateways by name, other lists replaced, null deletes', async () => {
    const base = { spec: { components: { ingressGateways: [{ name: 'a', enabled: true, k8s: { env: [{ name: 'X', value: '1' }] } }] }, values: { global: { meshID: 'm', proxy: { excludeIPRanges: ['1'] } } } } };
    const overlay = { spec: { components: { ingressGateways: [{ name: 'a', k8s: { env: [{ name: 'Y', value: '2' }] } }, { name: 'b' }] }, values: { global: { meshID: null, proxy: { excludeIPRanges: ['2'] } } } } };
    expect(overlayIstioOperator(base, overlay)).toEqual({
      spec: {
        components: { ingressGateways: [{ name: 'a', enabled: true, k8s: { env: [{ name: 'Y', value: '2' }] } }, { name: 'b' }] },
        values: { global: { proxy: { excludeIPRanges: ['2'] } } },
      },
    });
  });

  it('seed 000 round-trips: the render states every setting of the files, plus only what import lists as added', async () => {
    const { result, rendered, input, repo } = await roundTrip(SEED_000, 'seed-000');
    const mesh = readFileSync(path.join(repo, 'environments/seed-000/mesh.yaml'), 'utf8');
    expect(mesh.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schemas\/mesh-environment\.schema\.json$/);
    // The TKE preset read backwards, and the remote's remotePilotAddress as the primary's east-west address.
    expect(mesh).toContain('provider: tke');
    expect(mesh).toContain('existingId: lb-lujb6a5a');
    expect(mesh).toContain('address: 10.0.250.58');
    for (const [cluster, iop] of input) {
      const { changed, added } = compare(iop, rendered.get(cluster)!);
      // The one setting not carried over: the IstioOperator's own name (meshops names the cluster's one IstioOperator).
      expect(changed).toEqual(cluster === 'cls-dxgdg1rl' ? ['metadata.name'] : []);
      const listed = result.plan.added.filter((n) => n.cluster === cluster).map((n) => n.message.split(':')[0]);
      expect(added.sort()).toEqual(listed.sort());
    }
    expect(result.plan.notCarried.map((n) => `${path.basename(n.file!)}:${n.line}: ${n.message.split(':')[0]}`)).toEqual(['master-cluster.yaml:6: metadata.name']);
    expect(result.plan.toFill).toEqual([]);
  });

  it('seed 001 round-trips; the eastwest file\'s profile empty is reported at its line, not silently dropped', async () => {
    const { result, rendered, input } = await roundTrip(SEED_001, 'seed-001');
    const { changed } = compare(input.get('cls-dxgdg1rl')!, rendered.get('cls-dxgdg1rl')!);
    expect(changed.sort()).toEqual(['metadata.name', 'spec.profile']);
    const profile = result.plan.notCarried.find((n) => n.message.startsWith('spec.profile'))!;
    expect(`${path.basename(profile.file!)}:${profile.line}`).toBe('eastwest-gateway.yaml:7');
    expect(profile.message).toContain('profile empty installs no istiod');
    expect(compare(input.get('cls-ne1cw84b')!, rendered.get('cls-ne1cw84b')!).changed).toEqual([]);
  });

  it('puts settings meshops does not model into overlays: environment-wide where every cluster says the same, per cluster where not', async () => {
    const repo = emptyRepo();
    const iop = (cluster: string, extra: object) => ({
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      spec: { tag: '1.24.3', meshConfig: { accessLogFile: '/dev/stdout' }, values: { global: { meshID: 'm1', network: 'n1', multiCluster: { clusterName: cluster } } }, ...extra },
    });
    writeFileSync(
      path.join(repo, 'iops.yaml'),
      [
        iop('p1', { components: { pilot: { k8s: { hpaSpec: { minReplicas: 2 } } } } }),
        { ...iop('p1', {}), spec: { values: { pilot: { resources: { requests: { cpu: '1' } } }, global: { multiCluster: { clusterName: 'p1' } } } } },
        { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' } },
        iop('r1', { profile: 'remote', values: { global: { meshID: 'm1', network: 'n1', multiCluster: { clusterName: 'r1' }, remotePilotAddress: 'istiod.example.com' } } }),
      ]
        .map((d) => JSON.stringify(d))
        .join('\n---\n'),
    );
    const result = importEnvironment({ cwd: repo, env: 'mixed', files: ['iops.yaml'], helmValues: [] });
    if (result.status !== 'written') throw new Error(JSON.stringify(result));
    const model = (await loadEnvironment(repo, 'mixed', inputRules)) as any;
    expect(model.ok).toBe(true);
    const spec = model.env.model.spec;
    expect(spec.istio).toMatchObject({ version: '1.24.3', install: 'istioctl', meshConfig: { accessLogFile: '/dev/stdout' } });
    expect(spec.istio.values).toBeUndefined();
    expect(spec.clusters[0].istio).toEqual({ values: { pilot: { resources: { requests: { cpu: '1' } } } } });
    expect(spec.clusters[0].istiodAddress).toBe('istiod.example.com');
    expect(spec.clusters[1].istio).toBeUndefined();
    const notCarried = result.plan.notCarried.map((n) => `${n.file}:${n.line}: ${n.message.split(':')[0]}`);
    expect(notCarried).toContain('iops.yaml:1: spec.components.pilot.k8s.hpaSpec.minReplicas');
    expect(result.skipped.map((n) => n.message)).toEqual(['not an IstioOperator (kind "ConfigMap"): not read']);
  });

  it('reads Helm values files of the istiod and gateway charts, the other install path', async () => {
    const repo = emptyRepo();
    writeFileSync(path.join(repo, 'istiod.yaml'), 'global:\n  meshID: m1\n  network: n1\n  tag: 1.26.2\npilot:\n  autoscaleMin: 2\nmeshConfig:\n  accessLogFile: /dev/stdout\n');
    writeFileSync(path.join(repo, 'eastwest.yaml'), 'networkGateway: n1\nservice:\n  annotations:\n    metallb.universe.tf/address-pool: first-pool\n');
    const result = importEnvironment({ cwd: repo, env: 'helm', files: [], helmValues: [{ cluster: 'c1', file: 'istiod.yaml' }, { cluster: 'c1', file: 'eastwest.yaml' }] });
    if (result.status !== 'written') throw new Error(JSON.stringify(result));
    const loaded = (await loadEnvironment(repo, 'helm', inputRules)) as any;
    expect(loaded.ok).toBe(true);
    expect(loaded.env.model.spec.istio).toMatchObject({ version: '1.26.2', install: 'helm', values: { pilot: { autoscaleMin: 2 } }, meshConfig: { accessLogFile: '/dev/stdout' } });
    expect(loaded.env.model.spec.clusters[0]).toMatchObject({ name: 'c1', role: 'primary', network: 'n1', provider: 'metallb', eastWestGateway: { loadBalancer: { addressPool: 'first-pool' } } });
  });

  it('CLI: two clusters with different meshIDs exit 1 naming both files and lines; nothing is written', async () => {
    const repo = emptyRepo();
    const r = await runMain(['import', '--env', 'seed', path.join(FIXTURES, 'seed-000/as-published/master-cluster.yaml'), path.join(FIXTURES, 'seed-000/member-cluster-1.yaml')], repo);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/seed-000\/member-cluster-1\.yaml:9: error import: cluster "cls-ne1cw84b" has meshID "mesh1" here but cluster "cls-dxgdg1rl" has "mesh-mn8gnn1g" in .*seed-000\/as-published\/master-cluster\.yaml:43/);
    expect(existsSync(path.join(repo, 'environments/seed'))).toBe(false);
  });

  it('CLI: writes the environment once, marks what the files cannot tell, and render names the marked field', async () => {
    const repo = emptyRepo();
    const args = ['import', '--env', 'seed', ...SEED_000.map((f) => path.join(FIXTURES, f))];
    const first = await runMain(args, repo);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('wrote environments/seed/mesh.yaml');
    expect(first.stdout).toMatch(/To fill in before render[^\n]*\n  spec\.istio\.version: the Istio version/);
    const again = await runMain(args, repo);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('environments/seed/mesh.yaml exists');
    const render = await runMain(['render'], repo);
    expect(render.status).toBe(1);
    expect(render.stderr).toMatch(/^environments\/seed\/mesh\.yaml:\d+:\d+: error input: spec\.istio\.version: still to fill in: the Istio version/m);
  });

  it('multi-network: east-west addresses come from meshNetworks, and a remotePilotAddress that is not the gateway\'s is the istiodAddress', async () => {
    const repo = emptyRepo();
    const iop = (cluster: string, network: string, extra: Record<string, any>) => ({
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      spec: {
        tag: '1.22.3',
        ...extra.spec,
        values: { global: { meshID: 'm1', network, multiCluster: { clusterName: cluster }, ...extra.global } },
        components: { ingressGateways: [{ name: 'istio-eastwestgateway', enabled: true, label: { istio: 'eastwestgateway', 'topology.istio.io/network': network } }] },
      },
    });
    const meshNetworks = {
      net1: { endpoints: [{ fromRegistry: 'c1' }], gateways: [{ address: '10.0.0.5', port: 15443 }] },
      net2: { endpoints: [{ fromRegistry: 'c2' }], gateways: [{ address: '10.1.0.5', port: 15443 }] },
    };
    writeFileSync(
      path.join(repo, 'iops.yaml'),
      [iop('c1', 'net1', { global: { meshNetworks } }), iop('c2', 'net2', { spec: { profile: 'remote' }, global: { remotePilotAddress: '10.0.0.9' } })].map((d) => JSON.stringify(d)).join('\n---\n'),
    );
    const result = importEnvironment({ cwd: repo, env: 'multi', files: ['iops.yaml'], helmValues: [] });
    if (result.status !== 'written') throw new Error(JSON.stringify(result));
    const loaded = (await loadEnvironment(repo, 'multi', inputRules)) as any;
    expect(loaded.ok).toBe(true);
    expect(loaded.env.model.spec.clusters.map((c: any) => [c.name, c.istiodAddress, c.eastWestGateway?.address])).toEqual([
      ['c1', '10.0.0.9', '10.0.0.5'],
      ['c2', undefined, '10.1.0.5'],
    ]);
    expect(result.plan.notCarried).toEqual([]);
  });

  it('two files of one cluster with different networks are a contradiction naming both files and lines', async () => {
    const repo = emptyRepo();
    writeFileSync(path.join(repo, 'a.yaml'), 'kind: IstioOperator\nspec:\n  values:\n    global:\n      meshID: m1\n      network: main\n      multiCluster: {clusterName: c1}\n');
    writeFileSync(path.join(repo, 'b.yaml'), 'kind: IstioOperator\nspec:\n  values:\n    global:\n      network: other\n      multiCluster: {clusterName: c1}\n');
    const result = importEnvironment({ cwd: repo, env: 'x', files: ['a.yaml', 'b.yaml'], helmValues: [] });
    expect(result).toEqual({
      status: 'invalid',
      errors: [{ cluster: 'c1', file: 'b.yaml', line: 5, message: 'cluster "c1" has network "other" here but "main" in a.yaml:6; one cluster has one network' }],
    });
  });
});
