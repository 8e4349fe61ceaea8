/** Virtual machines (seed 004): the input rules, the cluster objects, the vms/<vm>/ files, and that the validator leaves vms/ alone. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { modelFromSource } from '../generator/load/environments.js';
import { parseYamlSource } from '../generator/load/yaml-source.js';
import { renderEnvironment } from '../generator/render/environment.js';
import { loadTrees } from '../generator/validate/manifests.js';
import { writeRendered } from '../generator/write/rendered-tree.js';
import { serializeEnvironment } from '../generator/write/serialize.js';
import { inputFindings, model, readText, renderAndValidate, renderFiles, REPO_ROOT, treeOf, vmEnvironment } from './helpers.js';
import { inputRules } from '../policies/index.js';

type Env = ReturnType<typeof vmEnvironment>;
const body = (text: string) => text.split('\n').filter((l) => !l.startsWith('#')).join('\n');
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
const messages = (input: unknown) => inputFindings(input).map((f) => f.message);

/** Seed 004's cluster.env keys, in the seed's order. */
const SEED_CLUSTER_ENV_KEYS = [
  'CANONICAL_REVISION', 'CANONICAL_SERVICE', 'ISTIO_INBOUND_PORTS', 'ISTIO_LOCAL_EXCLUDE_PORTS', 'ISTIO_METAJSON_LABELS',
  'ISTIO_META_CLUSTER_ID', 'ISTIO_META_DNS_CAPTURE', 'ISTIO_META_MESH_ID', 'ISTIO_META_NETWORK', 'ISTIO_META_WORKLOAD_NAME',
  'ISTIO_NAMESPACE', 'ISTIO_SERVICE', 'ISTIO_SERVICE_CIDR', 'POD_NAMESPACE', 'SERVICE_ACCOUNT', 'TRUST_DOMAIN',
];
/** Seed 004's mesh.yaml proxyMetadata keys, in the seed's order. */
const SEED_PROXY_METADATA_KEYS = [
  'CANONICAL_REVISION', 'CANONICAL_SERVICE', 'ISTIO_META_CLUSTER_ID', 'ISTIO_META_DNS_CAPTURE', 'ISTIO_META_MESH_ID', 'ISTIO_META_NETWORK',
  'ISTIO_META_WORKLOAD_NAME', 'ISTIO_METAJSON_LABELS', 'POD_NAMESPACE', 'SERVICE_ACCOUNT', 'TRUST_DOMAIN',
];

/** cluster.env as the agent reads it: sourced by a shell. */
function sourceClusterEnv(text: string): Record<string, string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-vm-'));
  writeFileSync(path.join(dir, 'cluster.env'), text);
  const keys = SEED_CLUSTER_ENV_KEYS.map((k) => `"$${k}"`).join(' ');
  const r = spawnSync('bash', ['-c', `set -eu; . ./cluster.env; printf '%s\\0' ${keys}`], { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Object.fromEntries(r.stdout.split('\0').slice(0, -1).map((v, i) => [SEED_CLUSTER_ENV_KEYS[i]!, v]));
}

describe('a VM on its own network (seed 004, multi-network)', () => {
  const files = renderFiles(vmEnvironment({ vmNetwork: 'vm-network' }));
  const cluster = (file: string) => docs(files.get(`clusters/cluster1/${file}`)!);

  it('renders the VM namespace, service account and WorkloadGroup into the cluster kustomize root', () => {
    expect(cluster('namespace.yaml').map((n) => n.metadata.name)).toEqual(['istio-system', 'vm']);
    expect(cluster('serviceaccount.yaml')).toEqual([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'vm', namespace: 'vm' } }]);
    expect(cluster('workloadgroup.yaml')).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'WorkloadGroup',
        metadata: { name: 'demo', namespace: 'vm' },
        spec: { metadata: { labels: { app: 'demo' } }, template: { serviceAccount: 'vm', network: 'vm-network' } },
      },
    ]);
    expect(cluster('kustomization.yaml')[0].resources).toEqual(expect.arrayContaining(['namespace.yaml', 'serviceaccount.yaml', 'workloadgroup.yaml']));
  });

  it('exposes istiod and the services through the east-west gateway', () => {
    expect(cluster('gateway.yaml').map((g) => g.metadata.name)).toEqual(['cross-network-gateway', 'istiod-gateway']);
    expect(cluster('virtualservice.yaml').map((v) => v.metadata.name)).toEqual(['istiod-vs']);
    const iop = cluster('istio-operator.yaml')[0];
    expect(iop.spec.components.ingressGateways.find((g: any) => g.name === 'istio-eastwestgateway')?.enabled).toBe(true);
    expect(Object.keys(iop.spec.values.global.meshNetworks)).toEqual(['kube-network']);
  });

  it('writes cluster.env with seed 004 keys in its order, single-quoted', () => {
    const text = files.get('vms/demo/cluster.env')!;
    const lines = body(text).split('\n').filter(Boolean);
    expect(lines.map((l) => l.split('=')[0])).toEqual(SEED_CLUSTER_ENV_KEYS);
    for (const line of lines) expect(line).toMatch(/^[A-Z_]+='[^']*'$/);
    expect(sourceClusterEnv(text)).toEqual({
      CANONICAL_REVISION: 'latest',
      CANONICAL_SERVICE: 'demo',
      ISTIO_INBOUND_PORTS: '*',
      ISTIO_LOCAL_EXCLUDE_PORTS: '22,15090,15021,15020',
      ISTIO_METAJSON_LABELS: '{"app":"demo","service.istio.io/canonical-name":"demo","service.istio.io/canonical-revision":"latest"}',
      ISTIO_META_CLUSTER_ID: 'cluster1',
      ISTIO_META_DNS_CAPTURE: 'true',
      ISTIO_META_MESH_ID: 'mesh1',
      ISTIO_META_NETWORK: 'vm-network',
      ISTIO_META_WORKLOAD_NAME: 'demo',
      ISTIO_NAMESPACE: 'vm',
      ISTIO_SERVICE: 'demo.vm',
      ISTIO_SERVICE_CIDR: '*',
      POD_NAMESPACE: 'vm',
      SERVICE_ACCOUNT: 'vm',
      TRUST_DOMAIN: 'cluster.local',
    });
  });

  it('writes mesh.yaml: istiod by name, the mesh ID and the proxy metadata of seed 004, no tracing', () => {
    const mesh = parse(files.get('vms/demo/mesh.yaml')!);
    expect(Object.keys(mesh)).toEqual(['defaultConfig']);
    expect(mesh.defaultConfig.discoveryAddress).toBe('istiod.istio-system.svc:15012');
    expect(mesh.defaultConfig.meshId).toBe('mesh1');
    expect(mesh.defaultConfig.tracing).toBeUndefined();
    expect(Object.keys(mesh.defaultConfig.proxyMetadata)).toEqual(SEED_PROXY_METADATA_KEYS);
    // The same values as cluster.env: both are projections of one plan.
    const env = sourceClusterEnv(files.get('vms/demo/cluster.env')!);
    for (const [key, value] of Object.entries(mesh.defaultConfig.proxyMetadata)) expect(env[key]).toBe(value);
  });

  it('maps istiod to the east-west gateway in hosts', () => {
    expect(body(files.get('vms/demo/hosts')!)).toBe('172.16.0.250 istiod.istio-system.svc\n');
  });

  it('renders no secret: root-cert.pem and istio-token come from the cluster', () => {
    expect([...files.keys()].filter((f) => f.startsWith('vms/')).sort()).toEqual(
      ['README.md', 'cluster.env', 'hosts', 'install.sh', 'mesh.yaml'].map((f) => `vms/demo/${f}`),
    );
    const readme = files.get('vms/demo/README.md')!;
    expect(readme).toContain('kubectl --context cluster1 -n vm create token vm --audience istio-ca');
    expect(readme).toContain('get configmap istio-ca-root-cert');
    expect(readme).toContain('istioctl --context cluster1 x workload entry configure');
  });

  it('validates clean', () => {
    expect(renderAndValidate(vmEnvironment({ vmNetwork: 'vm-network' }))).toEqual([]);
  });
});

describe('a VM on its cluster network (seed 004, single network)', () => {
  const input = vmEnvironment();
  const files = renderFiles(input);

  it('states no network on the WorkloadGroup, and the cluster network to the proxy', () => {
    const [group] = docs(files.get('clusters/cluster1/workloadgroup.yaml')!);
    expect(group.spec.template).toEqual({ serviceAccount: 'vm' });
    expect(sourceClusterEnv(files.get('vms/demo/cluster.env')!).ISTIO_META_NETWORK).toBe('kube-network');
  });

  it('exposes istiod but no cross-network gateway', () => {
    expect(docs(files.get('clusters/cluster1/gateway.yaml')!).map((g) => g.metadata.name)).toEqual(['istiod-gateway']);
    expect(docs(files.get('clusters/cluster1/istio-operator.yaml')!)[0].spec.values.global.meshNetworks).toBeUndefined();
  });

  it('validates clean', () => {
    expect(renderAndValidate(input)).toEqual([]);
  });
});

describe('install.sh', () => {
  const files = serializeEnvironment(renderEnvironment(model(vmEnvironment({ vmNetwork: 'vm-network' })), 'environments/vm-mesh/mesh.yaml')).files;
  const script = files.find((f) => f.path === 'vms/demo/install.sh')!;

  it('is executable, with the generated header after its shebang', () => {
    expect(script.executable).toBe(true);
    const [shebang, header] = script.content.split('\n');
    expect(shebang).toBe('#!/usr/bin/env bash');
    expect(header).toMatch(/^# Generated by meshops from environments\/vm-mesh\/mesh.yaml/);
    expect(files.filter((f) => f.executable).map((f) => f.path)).toEqual(['vms/demo/install.sh']);
  });

  it('is valid bash that stops on errors, checks root and the two secret files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-vm-'));
    const file = path.join(dir, 'install.sh');
    writeFileSync(file, script.content);
    expect(spawnSync('bash', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    expect(script.content).toContain('set -euo pipefail');
    expect(script.content).toContain('[[ "$(id -u)" -eq 0 ]]');
    expect(script.content).toMatch(/for file in root-cert\.pem istio-token /);
  });

  it('puts each file where seed 004 does, and owns them by istio-proxy', () => {
    for (const target of [
      '/etc/certs/root-cert.pem',
      '/var/run/secrets/tokens/istio-token',
      '/var/lib/istio/envoy/cluster.env',
      '/etc/istio/config/mesh',
    ]) {
      expect(script.content).toContain(target);
    }
    expect(script.content).toContain('chown -R istio-proxy /var/lib/istio /etc/certs /etc/istio/proxy /etc/istio/config /var/run/secrets');
  });

  it('keeps exactly one hosts line for istiod, however often it runs', () => {
    // The script's /etc/hosts step, run on a copy: an old mapping is replaced, other lines are kept.
    const awk = script.content.split('\n').find((l) => l.startsWith('awk '))!;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-vm-'));
    const hosts = path.join(dir, 'hosts');
    writeFileSync(hosts, '127.0.0.1 localhost\n# 10.9.9.9 istiod.istio-system.svc\n10.1.1.1 istiod.istio-system.svc old-alias\n');
    const step = [
      "ISTIOD_ADDRESS='172.16.0.250' ISTIOD_HOST='istiod.istio-system.svc'",
      `${awk.replace('/etc/hosts >"$hosts"', `${hosts} > ${hosts}.new`)}`,
      `printf '%s %s\\n' "$ISTIOD_ADDRESS" "$ISTIOD_HOST" >> ${hosts}.new`,
      `cat ${hosts}.new > ${hosts}`,
    ].join('\n');
    for (let run = 0; run < 2; run++) expect(spawnSync('bash', ['-c', `set -euo pipefail\n${step}`], { encoding: 'utf8' }).status).toBe(0);
    expect(readFileSync(hosts, 'utf8')).toBe('127.0.0.1 localhost\n# 10.9.9.9 istiod.istio-system.svc\n172.16.0.250 istiod.istio-system.svc\n');
  });
});

describe('where a VM joins', () => {
  it('a VM of a remote cluster: objects in the remote, istiod of its primary, the remote as cluster ID', () => {
    const input = vmEnvironment();
    input.spec.clusters.push({ name: 'cluster2', role: 'remote', network: 'kube-network' });
    input.spec.clusters[0].istiodAddress = '172.16.0.12';
    input.spec.vms[0].cluster = 'cluster2';
    const files = renderFiles(input);
    expect(files.has('clusters/cluster2/workloadgroup.yaml')).toBe(true);
    expect(files.has('clusters/cluster1/workloadgroup.yaml')).toBe(false);
    expect(body(files.get('vms/demo/hosts')!)).toBe('172.16.0.12 istiod.istio-system.svc\n');
    expect(sourceClusterEnv(files.get('vms/demo/cluster.env')!).ISTIO_META_CLUSTER_ID).toBe('cluster2');
    expect(renderAndValidate(input)).toEqual([]);
  });

  it('VMs sharing a namespace and service account get one Namespace and one ServiceAccount', () => {
    const input = vmEnvironment();
    input.spec.vms.push({ name: 'demo2', namespace: 'vm', serviceAccount: 'vm', cluster: 'cluster1', labels: { version: 'v2' } });
    const files = renderFiles(input);
    expect(docs(files.get('clusters/cluster1/namespace.yaml')!).map((n) => n.metadata.name)).toEqual(['istio-system', 'vm']);
    expect(docs(files.get('clusters/cluster1/serviceaccount.yaml')!)).toHaveLength(1);
    expect(docs(files.get('clusters/cluster1/workloadgroup.yaml')!).map((g) => g.metadata.name)).toEqual(['demo', 'demo2']);
    expect(sourceClusterEnv(files.get('vms/demo2/cluster.env')!).CANONICAL_REVISION).toBe('v2');
    expect(renderAndValidate(input)).toEqual([]);
  });

  it('labels go to the WorkloadGroup and the proxy, sorted; Istio label fallbacks name the canonical service', () => {
    const input = vmEnvironment();
    input.spec.vms[0].labels = { 'app.kubernetes.io/version': '1.2.3', 'app.kubernetes.io/name': 'reviews', tier: 'backend' };
    const files = renderFiles(input);
    const [group] = docs(files.get('clusters/cluster1/workloadgroup.yaml')!);
    expect(Object.keys(group.spec.metadata.labels)).toEqual(['app', 'app.kubernetes.io/name', 'app.kubernetes.io/version', 'tier']);
    const env = sourceClusterEnv(files.get('vms/demo/cluster.env')!);
    expect([env.CANONICAL_SERVICE, env.CANONICAL_REVISION]).toEqual(['reviews', '1.2.3']);
    expect(Object.keys(JSON.parse(env.ISTIO_METAJSON_LABELS!))).toEqual([
      'app', 'app.kubernetes.io/name', 'app.kubernetes.io/version', 'service.istio.io/canonical-name', 'service.istio.io/canonical-revision', 'tier',
    ]);
  });

  it('the WorkloadGroup version is the one the Istio release serves', () => {
    const versionOf = (version: string) => {
      const input = vmEnvironment();
      input.spec.istio.version = version;
      return docs(renderFiles(input).get('clusters/cluster1/workloadgroup.yaml')!)[0].apiVersion;
    };
    expect(versionOf('1.12.2')).toBe('networking.istio.io/v1alpha3');
    expect(versionOf('1.18.5')).toBe('networking.istio.io/v1beta1');
    expect(versionOf('1.22.0')).toBe('networking.istio.io/v1');
  });

  it('a revisioned control plane: istiod by its revision name, as discovery address and CA, as istioctl writes it', () => {
    const input = vmEnvironment();
    input.spec.istio.revision = 'canary';
    const files = renderFiles(input);
    expect(body(files.get('vms/demo/hosts')!)).toBe('172.16.0.250 istiod-canary.istio-system.svc\n');
    expect(parse(files.get('vms/demo/mesh.yaml')!).defaultConfig.discoveryAddress).toBe('istiod-canary.istio-system.svc:15012');
    const lines = body(files.get('vms/demo/cluster.env')!).split('\n').filter(Boolean);
    expect(lines.map((l) => l.split('=')[0])).toEqual([...SEED_CLUSTER_ENV_KEYS.slice(0, 2), 'CA_ADDR', ...SEED_CLUSTER_ENV_KEYS.slice(2)]);
    expect(lines[2]).toBe("CA_ADDR='istiod-canary.istio-system.svc:15012'");
    expect(files.get('vms/demo/install.sh')).toContain("readonly ISTIOD_HOST='istiod-canary.istio-system.svc'");
    expect(renderAndValidate(input)).toEqual([]);
  });

  it('renders the same bytes every time', () => {
    const input = vmEnvironment({ vmNetwork: 'vm-network' });
    expect([...renderFiles(input)]).toEqual([...renderFiles(input)]);
  });
});

describe('input errors', () => {
  const withVm = (vm: Record<string, unknown>): Env => {
    const input = vmEnvironment();
    Object.assign(input.spec.vms[0], vm);
    return input;
  };

  it('a VM naming an unknown cluster', () => {
    expect(messages(withVm({ cluster: 'nope' }))).toEqual([expect.stringContaining('VM "demo" names cluster "nope", which is not a cluster of this environment')]);
  });

  it.each([
    ['namespace', 'VM_ns'],
    ['serviceAccount', 'sa.with.dots'],
    ['name', 'Demo'],
  ])('a %s that is not a DNS-1123 label', (field, value) => {
    const findings = inputFindings(withVm({ [field]: value }));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/DNS-1123 label/);
  });

  it('duplicate VM names', () => {
    const input = vmEnvironment();
    input.spec.vms.push({ ...input.spec.vms[0], namespace: 'other' });
    expect(messages(input)).toEqual([expect.stringContaining('VM name "demo" is used twice (also spec.vms[0])')]);
  });

  it('labels that are not Kubernetes label keys or values', () => {
    expect(messages(withVm({ labels: { 'bad key!': 'x' } }))[0]).toMatch(/label key/);
    expect(messages(withVm({ labels: { 'example.com/': 'x' } }))[0]).toMatch(/label key/);
    expect(messages(withVm({ labels: { tier: 'back end' } }))).toEqual([expect.stringMatching(/label value/)]);
    expect(messages(withVm({ labels: { tier: 'x'.repeat(64) } }))).toEqual([expect.stringMatching(/at most 63/)]);
    expect(inputFindings(withVm({ labels: { 'example.com/tier': '', version: 'v1.2_3' } }))).toEqual([]);
  });

  it('an app label other than the VM name', () => {
    expect(messages(withVm({ labels: { app: 'other' } }))).toEqual([expect.stringMatching(/labels.app of VM "demo" must be "demo"/)]);
    expect(inputFindings(withVm({ labels: { app: 'demo' } }))).toEqual([]);
  });

  it('the istio-system namespace', () => {
    expect(messages(withVm({ namespace: 'istio-system' }))).toEqual([expect.stringMatching(/cannot use namespace istio-system/)]);
  });

  it('an istiod address that /etc/hosts cannot hold', () => {
    const input = vmEnvironment();
    input.spec.clusters[0].eastWestGateway.address = 'ew.example.com';
    expect(messages(input)).toEqual([expect.stringMatching(/needs an IP address, not the hostname ew\.example\.com: set istiodAddress of "cluster1"/)]);
    input.spec.clusters[0].istiodAddress = '172.16.0.12';
    expect(inputFindings(input)).toEqual([]);
  });

  it('a VM on another network needs the east-west gateway of its cluster', () => {
    const input = vmEnvironment({ vmNetwork: 'vm-network' });
    input.spec.clusters[0].eastWestGateway = { enabled: false };
    input.spec.clusters[0].istiodAddress = '172.16.0.12';
    expect(messages(input)).toEqual([expect.stringMatching(/cluster "cluster1" needs an east-west gateway: the mesh spans 2 networks \(kube-network, vm-network\)/)]);
  });

  it('point at the file, line and column of the field', () => {
    const text = readText(path.join(REPO_ROOT, 'environments/vm-integration/mesh.yaml')).replace('cluster: cluster1', 'cluster: cluster9');
    const parsed = parseYamlSource('environments/vm-integration/mesh.yaml', text);
    if (!parsed.ok) throw new Error('the example must parse');
    const result = modelFromSource(parsed.source, 'vm-integration', inputRules);
    expect(result.ok).toBe(false);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('cluster: cluster9')) + 1;
    expect(result.ok ? [] : result.findings).toEqual([
      expect.objectContaining({ file: 'environments/vm-integration/mesh.yaml', line, column: lines[line - 1]!.indexOf('cluster:') + 1 }),
    ]);
  });
});

describe('the validator and vms/', () => {
  const input = vmEnvironment({ vmNetwork: 'vm-network' });

  it('in memory: vms/ files are neither cluster nor shared manifests', () => {
    const tree = treeOf('vm-mesh', renderFiles(input));
    const paths = [...tree.clusters.flatMap((c) => c.files), ...tree.shared].map((f) => f.path);
    expect(paths.filter((p) => p.includes('vms/demo'))).toEqual([]);
    expect(paths).toContain('rendered/vm-mesh/clusters/cluster1/workloadgroup.yaml');
  });

  it('on disk: validate reads clusters/ and leaves vms/ (mesh.yaml is not a Kubernetes object)', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'meshops-vm-'));
    writeRendered(root, [serializeEnvironment(renderEnvironment(model(input), 'environments/vm-mesh/mesh.yaml'))], false);
    expect(statSync(path.join(root, 'rendered/vm-mesh/vms/demo/install.sh')).mode & 0o111).not.toBe(0);
    const [tree] = loadTrees('rendered/vm-mesh', root);
    const paths = [...tree!.clusters.flatMap((c) => c.files), ...tree!.shared].map((f) => f.path);
    expect(paths.filter((p) => p.includes('vms/demo'))).toEqual([]);
    expect(paths.length).toBeGreaterThan(0);
  });
});

describe('the shipped example environments/vm-integration', () => {
  it('is seed 004 multi-network, and rendered/vm-integration is what it renders to', () => {
    const text = readText(path.join(REPO_ROOT, 'environments/vm-integration/mesh.yaml'));
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/mesh-environment.schema.json');
    const parsed = parseYamlSource('environments/vm-integration/mesh.yaml', text);
    if (!parsed.ok) throw new Error('the example must parse');
    const result = modelFromSource(parsed.source, 'vm-integration', inputRules);
    if (!result.ok) throw new Error(result.findings.map((f) => f.message).join('\n'));
    const m = result.env.model;
    expect(m.spec.clusters.map((c) => [c.name, c.network])).toEqual([['cluster1', 'kube-network']]);
    expect(m.spec.vms.map((v) => [v.name, v.namespace, v.serviceAccount, v.network])).toEqual([['demo', 'vm', 'vm', 'vm-network']]);
    for (const file of serializeEnvironment(renderEnvironment(m, 'environments/vm-integration/mesh.yaml')).files) {
      expect(readText(path.join(REPO_ROOT, 'rendered/vm-integration', file.path)), file.path).toBe(file.content);
    }
  });
});
