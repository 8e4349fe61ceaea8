/**
 * `meshops graph` and the planning sheet (rendered/<env>/README.md): every shipped example drawn
 * in both formats and read back, Mermaid by structure (test/mermaid-structure.ts), dot through
 * Graphviz when `dot` is installed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { graph } from '../generator/commands/graph.js';
import { toDot } from '../generator/graph/dot.js';
import { meshGraph } from '../generator/graph/mesh-graph.js';
import { toMermaid } from '../generator/graph/mermaid.js';
import { discoverEnvironments, loadEnvironment } from '../generator/load/environments.js';
import { findOnPath } from '../generator/validate/kubeconform.js';
import { syntheticFleet } from '../scripts/synthetic-fleet.js';
import { GENERATOR_RULES } from '../generator/commands/rules.js';
import { baseEnvironment, model, REPO_ROOT, renderFiles, runMain, scratchRepo } from './helpers.js';
import { readMermaid } from './mermaid-structure.js';

const EXAMPLES = discoverEnvironments(REPO_ROOT).names;
const DOT = findOnPath('dot', process.env.PATH);
const NEEDS_DOT = DOT ? '' : ' [skipped: Graphviz `dot` is not on PATH]';

/** dot's own reading of a graph: `dot -Tjson` (objects are its subgraphs and nodes; edges by index). */
function graphviz(text: string): { objects: { name: string; label?: string; nodes?: number[] }[]; edges?: { tail: number; head: number }[] } {
  const r = spawnSync(DOT!, ['-Tjson'], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dot refused the graph: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function draw(env: string, format: 'mermaid' | 'dot'): Promise<string> {
  const result = await graph({ cwd: REPO_ROOT, env, format });
  if (result.kind !== 'drawn') throw new Error(JSON.stringify(result));
  return result.text;
}

/** Two primaries on two networks with a VM, a remote, and an ASM destination written to break a naive writer. */
function hostileMesh() {
  const env = baseEnvironment('hostile');
  env.spec.clusters = [
    { name: 'p1', role: 'primary', network: 'net-a', eastWestGateway: { address: '10.0.0.1' } },
    { name: 'p2', role: 'primary', network: 'net_b', eastWestGateway: { address: 'gw.example.com', port: 15444 } },
    { name: 'r1', role: 'remote', network: 'net-a', controlPlane: 'p1', eastWestGateway: { address: '10.0.0.2' } },
  ];
  env.spec.vms = [{ name: 'legacy', namespace: 'vm', serviceAccount: 'vm', cluster: 'r1' }];
  env.spec.rootCA = { store: { name: 'vault' } };
  env.spec.migration = { asm: { desiredState: 'Init', destination: 'asm-prod' } };
  // The model refuses such a destination today; the graph escapes whatever it is given all the same.
  const m = model(env);
  m.spec.migration!.asm!.destination = 'asm "prod" <#1> \\ end';
  return m;
}

describe.each(EXAMPLES)('graph of the shipped example %s', (env) => {
  it('is a well-formed Mermaid flowchart: nodes declared once, edges between declared nodes, subgraphs balanced', async () => {
    const text = await draw(env, 'mermaid');
    const read = readMermaid(text);
    expect(read.errors).toEqual([]);
    const networks = read.subgraphs.filter((s) => s.label.startsWith('network '));
    expect(networks.length).toBeGreaterThan(0);
    // Every cluster of the environment is a node inside its network's subgraph.
    const loaded = await loadEnvironment(REPO_ROOT, env, GENERATOR_RULES.input);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
    for (const { name: cluster } of loaded.env.model.spec.clusters) {
      const id = [...read.labels].find(([, label]) => label.startsWith(`${cluster}<br/>`))?.[0];
      expect(id, cluster).toBeDefined();
      expect(networks.map((n) => n.id)).toContain(read.nodes.get(id!));
    }
    expect(await draw(env, 'mermaid')).toBe(text);
  });

  it.skipIf(!DOT)(`is a graph Graphviz reads, with one box per network${NEEDS_DOT}`, async () => {
    const text = await draw(env, 'dot');
    const read = graphviz(text);
    const mermaid = readMermaid(await draw(env, 'mermaid'));
    const boxes = read.objects.filter((o) => o.name.startsWith('cluster_'));
    expect(boxes.map((b) => b.label).sort()).toEqual(mermaid.subgraphs.map((s) => s.label).sort());
    expect(read.edges?.length ?? 0).toBe(mermaid.edges.length);
  });
});

describe('the mesh graph', () => {
  it('draws primary -> remote control-plane edges with the istiod address, east-west gateways with address and ports (seed 003)', async () => {
    const read = readMermaid(await draw('mdemo-multicloud', 'mermaid'));
    const byLabel = (start: string) => [...read.labels].find(([, l]) => l.startsWith(start))![0];
    const [c1, c2, c3] = ['mdemo-cluster1', 'mdemo-cluster2', 'mdemo-cluster3'].map((c) => byLabel(`${c}<br/>`));
    expect(read.edges).toContainEqual({ from: c1, link: '-->', label: 'istiod 10.64.30.72:15012', to: c2 });
    expect(read.edges).toContainEqual({ from: c1, link: '-->', label: 'istiod 10.64.30.72:15012', to: c3 });
    expect(read.labels.get(`${c2}_eastwest`)).toBe('east-west gateway of mdemo-cluster2<br/>10.6.136.29<br/>15443 tls, 15012 tls-istiod, 15017 tls-webhook');
    expect(read.subgraphs.map((s) => s.label)).toEqual(['network network-c1', 'network network-c2', 'network network-c3']);
  });

  it('puts a VM on its network, served by its cluster\'s istiod (seed 004)', async () => {
    const read = readMermaid(await draw('vm-integration', 'mermaid'));
    const vmNetwork = read.subgraphs.find((s) => s.label === 'network vm-network')!;
    expect(read.nodes.get('vm0')).toBe(vmNetwork.id);
    expect(read.edges).toContainEqual({ from: 'cluster0', link: '-->', label: 'istiod 172.16.0.250:15012', to: 'vm0' });
  });

  it('draws the mesh a migration leaves (TCM) and the one it enters (ASM)', async () => {
    const tcm = readMermaid(await draw('tcm-migration', 'mermaid'));
    expect(tcm.subgraphs.map((s) => s.label)).toContain('Tencent Cloud Mesh (being left)');
    expect([...tcm.labels.values()]).toEqual(expect.arrayContaining(['cls-5rk2yqm0<br/>in TCM', 'cls-9ta1n3xb<br/>in TCM']));
    expect(tcm.edges).toContainEqual({ from: 'tcm_istiod', link: '-.->', label: 'workloads move to', to: 'cluster0' });
    const asm = readMermaid(await draw('asm-migration', 'mermaid'));
    expect(asm.edges).toContainEqual({ from: 'cluster0', link: '-.->', label: 'in-place migration (Migrating)', to: 'asm_control_plane' });
  });

  it('peers every pair of primaries, and escapes labels so no input can break either format', () => {
    const m = hostileMesh();
    const read = readMermaid(toMermaid(meshGraph(m)));
    expect(read.errors).toEqual([]);
    expect(read.edges.filter((e) => e.link === '<-->')).toEqual([{ from: 'cluster0', link: '<-->', label: 'multi-primary: endpoint discovery', to: 'cluster1' }]);
    expect(read.labels.get('asm_control_plane')).toBe('ASM control plane asm #quot;prod#quot; #lt;#35;1#gt; \\ end<br/>desiredState Init');
    expect(read.labels.get('cluster1_eastwest')).toContain('gw.example.com<br/>15444 tls');
    // The VM joins r1, whose control plane is p1.
    expect(read.edges).toContainEqual({ from: 'cluster0', link: '-->', label: 'istiod 10.0.0.1:15012', to: 'vm0' });
    // dot keeps escString escapes in the attribute (\\ and \n), and draws them as one backslash and a line break.
    if (DOT) expect(graphviz(toDot(meshGraph(m))).objects.find((o) => o.name === 'asm_control_plane')?.label).toBe('ASM control plane asm "prod" <#1> \\\\ end\\ndesiredState Init');
  });
});

describe('meshops graph', () => {
  const run = async (...args: string[]) => {
    const { status, ...out } = await runMain(args, REPO_ROOT);
    return { code: status, ...out };
  };

  it('prints Mermaid by default and dot on request (exit 0)', async () => {
    expect(await run('graph', '--env', 'tcm-migration')).toMatchObject({ code: 0, stdout: await draw('tcm-migration', 'mermaid') });
    expect(await run('graph', '--env', 'tcm-migration', '--format', 'dot')).toMatchObject({ code: 0, stdout: await draw('tcm-migration', 'dot') });
  });

  it('is a usage error (exit 2) without --env, with an unknown environment or format', async () => {
    expect((await run('graph')).code).toBe(2);
    expect(await run('graph', '--env', 'nope')).toMatchObject({ code: 2, stderr: expect.stringContaining('no environment "nope" in environments/ (there are: asm-migration') });
    expect((await run('graph', '--env', '../x')).code).toBe(2);
    expect((await run('graph', '--env', 'tcm-migration', '--format', 'svg')).code).toBe(2);
  });

  it('reports invalid input as findings (exit 1)', async () => {
    const repo = scratchRepo();
    const file = path.join(repo, 'environments', 'tcm-migration', 'mesh.yaml');
    writeFileSync(file, 'apiVersion: meshops.dev/v1alpha1\nkind: MeshEnvironment\nmetadata: {name: tcm-migration}\nspec: {meshID: m, istio: {version: 1.18.5}, clusters: [], netwrk: x}\n');
    const r = await runMain(['graph', '--env', 'tcm-migration'], repo);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^environments\/tcm-migration\/mesh\.yaml:4:\d+: error input: /m);
  });
});

describe('the planning sheet, rendered/<env>/README.md', () => {
  it('tables seed 003\'s plan (clusters, networks, pod subnets, localities, roles, load balancers) and embeds the Mermaid picture', async () => {
    const sheet = renderFiles(baseEnvironment('demo')).get('README.md')!;
    expect(sheet).toContain('| primary1 | primary | itself | net1 |');
    expect(sheet).toContain('| remote1 | net1 | - | - | - |');
    expect(sheet).toContain('| primary1 | net1 | 10.0.0.10 | 10.0.0.10:15443 | - |');
    const mdemo = readFileSync(path.join(REPO_ROOT, 'rendered', 'mdemo-multicloud', 'README.md'), 'utf8');
    expect(mdemo).toContain('| mdemo-cluster2 | remote | mdemo-cluster1 | network-c2 | 10.202.0.0/16 | region1/zone2/subzone2 | metallb | https://10.6.230.5:6443 |');
    expect(mdemo).toContain('| mdemo-cluster1 | network-c1 | 10.64.30.72 | 10.64.30.73:15443 | - |');
    const picture = mdemo.split('```mermaid\n')[1]!.split('```')[0]!;
    expect(picture).toBe(await draw('mdemo-multicloud', 'mermaid'));
  });

  it('is compared by check (a hand edit is rendered-up-to-date) and read by validate as no manifest', async () => {
    const repo = scratchRepo({ rendered: true });
    expect((await runMain(['validate', 'rendered'], repo)).status).toBe(0);
    writeFileSync(path.join(repo, 'rendered', 'vm-integration', 'README.md'), '# edited\n');
    const r = await runMain(['check', '--format', 'json'], repo);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).violations).toEqual([expect.objectContaining({ rule: 'rendered-up-to-date', file: 'rendered/vm-integration/README.md' })]);
  });
});

describe('the planning sheet of a large mesh', () => {
  it('says how to draw a picture larger than Mermaid draws instead of embedding it', () => {
    const [big] = syntheticFleet({ clusters: 400, clustersPerEnvironment: 400, clustersPerNetwork: 10 });
    const sheet = renderFiles(big).get('README.md')!;
    expect(sheet).not.toContain('```mermaid');
    expect(sheet).toMatch(/The picture \(\d+ characters\) is larger than Mermaid draws \(50000\); `meshops graph --env fleet-000 --format dot \| dot -Tsvg` draws it with Graphviz\./);
    expect(sheet.split('\n').filter((l) => /^\| fleet-000-c\d+ \| (primary|remote) \|/.test(l))).toHaveLength(400);
  });
});
