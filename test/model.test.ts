/** The MeshEnvironment model: defaults, every cross-field rule, topology facts, and its JSON Schema. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonSchema } from '../generator/model/json-schema.js';
import { evaluateJsonnet } from '../generator/load/jsonnet.js';
import { networkingApiVersion } from '../generator/istio/version.js';
import { topologyOf } from '../generator/model/topology.js';
import { baseEnvironment, inputFindings, model, REPO_ROOT } from './helpers.js';

type Env = ReturnType<typeof baseEnvironment>;
const withClusters = (clusters: object[], name = 'test'): Env => {
  const env = baseEnvironment(name);
  env.spec.clusters = clusters;
  return env;
};
const messages = (input: unknown) => inputFindings(input).map((f) => f.message);

/** Two networks, two primaries each serving one remote. */
function twoPrimaries(): Env {
  return withClusters([
    { name: 'east', role: 'primary', network: 'net-a', eastWestGateway: { address: '10.0.0.1' } },
    { name: 'east-remote', role: 'remote', network: 'net-a', controlPlane: 'east', eastWestGateway: { address: '10.0.0.2' } },
    { name: 'west', role: 'primary', network: 'net-b', eastWestGateway: { address: 'ew.west.example.com' } },
    { name: 'west-remote', role: 'remote', network: 'net-b', controlPlane: 'west', eastWestGateway: { address: '10.1.0.2' } },
  ]);
}

describe('defaults', () => {
  const m = model(baseEnvironment());
  const [primary, remote] = m.spec.clusters;

  it('fills the environment-level defaults', () => {
    expect(m.spec.trustDomain).toBe('cluster.local');
    expect(m.spec.istio).toEqual({ version: '1.18.5', hub: '', revision: '', install: 'helm' });
    expect(m.spec.vms).toEqual([]);
    expect(m.spec.policies).toEqual({});
    expect(m.spec.remoteSecrets).toBeUndefined();
  });

  it('fills the cluster defaults: generic provider, ingress off, east-west port 15443', () => {
    expect(primary!.provider).toBe('generic');
    expect(primary!.ingressGateway).toEqual({ enabled: false, annotations: {} });
    expect(primary!.eastWestGateway).toEqual({ address: '10.0.0.10', port: 15443, annotations: {} });
    expect(remote!.eastWestGateway).toBeUndefined();
  });

  it('makes a load balancer internal unless told otherwise', () => {
    const env = baseEnvironment();
    env.spec.clusters[0].provider = 'tke';
    env.spec.clusters[0].eastWestGateway.loadBalancer = { existingId: 'lb-1' };
    expect(model(env).spec.clusters[0]!.eastWestGateway!.loadBalancer).toEqual({ existingId: 'lb-1', internal: true });
  });

  it('defaults the remote-secret store kind and key', () => {
    const env = baseEnvironment();
    env.spec.remoteSecrets = { store: { name: 'vault' } };
    expect(model(env).spec.remoteSecrets).toEqual({ store: { kind: 'ClusterSecretStore', name: 'vault' }, key: 'istio/remote-secrets/{cluster}' });
  });

  it('derives eastWestGateway.enabled from the topology when it is not set', () => {
    const t = topologyOf(model(baseEnvironment()));
    // A primary serving a remote exposes istiod through it; a remote on the same network needs none.
    expect(t.hasEastWestGateway(t.byName.get('primary1')!)).toBe(true);
    expect(t.hasEastWestGateway(t.byName.get('remote1')!)).toBe(false);

    const alone = topologyOf(model(withClusters([{ name: 'solo', role: 'primary', network: 'n' }])));
    expect(alone.hasEastWestGateway(alone.byName.get('solo')!)).toBe(false);

    const multi = topologyOf(model(twoPrimaries()));
    expect(multi.clusters.every((c) => multi.hasEastWestGateway(c))).toBe(true);
  });

  it('honours an explicit eastWestGateway.enabled where none is needed', () => {
    const env = withClusters([{ name: 'solo', role: 'primary', network: 'n', eastWestGateway: { enabled: true, address: '10.0.0.1' } }]);
    const t = topologyOf(model(env));
    expect(t.hasEastWestGateway(t.byName.get('solo')!)).toBe(true);
    const off = withClusters([
      { name: 'p', role: 'primary', network: 'n', eastWestGateway: { address: '10.0.0.1' } },
      { name: 'r', role: 'remote', network: 'n', eastWestGateway: { enabled: false } },
    ]);
    const t2 = topologyOf(model(off));
    expect(t2.hasEastWestGateway(t2.byName.get('r')!)).toBe(false);
  });
});

describe('field rules', () => {
  it.each([
    ['Upper', 'DNS-1123'],
    ['../../etc', 'DNS-1123'],
    ['a/b', 'DNS-1123'],
    ['-lead', 'DNS-1123'],
    ['x'.repeat(64), 'at most 63'],
  ])('refuses the cluster name %j', (name, why) => {
    const env = baseEnvironment();
    env.spec.clusters[1].name = name;
    expect(messages(env).join('\n')).toContain(why);
  });

  it.each(['1.18', '1.18.x', 'v1.18.5', '1.18.5-'])('refuses the Istio version %j', (version) => {
    const env = baseEnvironment();
    env.spec.istio.version = version;
    expect(messages(env)).toEqual([expect.stringMatching(/^spec\.istio\.version: must be x\.y\.z/)]);
  });

  it.each(['1.18.5', '1.15.3-mspider', '1.22.0-rc.1'])('accepts the Istio version %j', (version) => {
    const env = baseEnvironment();
    env.spec.istio.version = version;
    expect(inputFindings(env)).toEqual([]);
  });

  it.each([0, 70000, 1.5])('refuses the port %j', (port) => {
    const env = baseEnvironment();
    env.spec.clusters[0].eastWestGateway.port = port;
    expect(messages(env)).toEqual([expect.stringMatching(/^spec\.clusters\[0\]\.eastWestGateway\.port: (a port must be between 1 and 65535|expected a whole number)/)]);
  });

  it.each(['10.0.0.0/33', '10.0.0.300/16', '10.0.0.0', 'fd00::/129', 'ten/8'])('refuses the podSubnet %j', (podSubnet) => {
    const env = baseEnvironment();
    env.spec.clusters[0].podSubnet = podSubnet;
    expect(messages(env)).toEqual([expect.stringContaining('spec.clusters[0].podSubnet: must be a CIDR')]);
  });

  it.each(['10.0.0.999', 'bad_host', ''])('refuses the address %j', (address) => {
    const env = baseEnvironment();
    env.spec.clusters[0].eastWestGateway.address = address;
    expect(messages(env).join('\n')).toContain('spec.clusters[0].eastWestGateway.address');
  });

  it.each(['10.0.250.58', 'fd00::1', 'ew.example.com'])('accepts the address %j', (address) => {
    const env = baseEnvironment();
    env.spec.clusters[0].eastWestGateway.address = address;
    expect(inputFindings(env)).toEqual([]);
  });

  it('takes only Kubernetes qualified names as annotation keys', () => {
    const env = baseEnvironment();
    env.spec.clusters[0].eastWestGateway.annotations = { '<<': 'merge', '': 'empty', 'bad key': 'x', 'service.beta.kubernetes.io/ok_1': 'y', plain: 'z' };
    expect(messages(env).sort()).toEqual(
      ['', '<<', 'bad key'].map(
        (key) =>
          `spec.clusters[0].eastWestGateway.annotations[${JSON.stringify(key)}]: the key ${JSON.stringify(key)} is not allowed: an annotation key must be [prefix/]name: ` +
          "name of letters, digits, '-', '_' and '.' starting and ending with a letter or digit; prefix a DNS subdomain",
      ),
    );
    env.spec.clusters[0].eastWestGateway.annotations = { [`example.com/${'n'.repeat(64)}`]: 'x' };
    expect(messages(env)).toEqual([expect.stringContaining('an annotation key has a name of at most 63 characters')]);
  });

  it('refuses unknown fields at every level, naming the field', () => {
    const env = baseEnvironment();
    env.extra = 1;
    env.spec.clusters[0].netwrk = 'x';
    env.spec.clusters[0].eastWestGateway.adress = 'x';
    expect(messages(env).sort()).toEqual([
      'spec.clusters[0].eastWestGateway: unknown field "adress"; did you mean "address"?',
      'spec.clusters[0]: unknown field "netwrk"; did you mean "network"?',
      'unknown field "extra" at the top level (known fields: apiVersion, kind, metadata, spec)',
    ]);
  });

  it('requires metadata.name to equal the directory name', () => {
    expect(messages(baseEnvironment('prod'))).toEqual([]);
    expect(inputFindings(baseEnvironment('prod'), 'staging').map((f) => f.message)).toEqual([
      'metadata.name: must equal the directory name "staging" (found "prod"): rendered/staging/ is named after the directory',
    ]);
  });
});

describe('cross-field rules', () => {
  it('refuses a cluster name used twice', () => {
    const env = baseEnvironment();
    env.spec.clusters[1].name = 'primary1';
    expect(messages(env)).toContain('spec.clusters[1].name: cluster name "primary1" is used twice (also spec.clusters[0])');
  });

  it('needs a primary', () => {
    const env = withClusters([{ name: 'r', role: 'remote', network: 'n' }]);
    expect(messages(env)).toEqual(['spec.clusters: an environment needs at least one cluster with role: primary (a cluster that runs istiod)']);
  });

  it('needs at least one cluster, said once', () => {
    expect(messages(withClusters([]))).toEqual(['spec.clusters: an environment needs at least one cluster']);
  });

  it('requires controlPlane to name a primary of the environment', () => {
    const missing = baseEnvironment();
    missing.spec.clusters[1].controlPlane = 'nowhere';
    expect(messages(missing)).toEqual(['spec.clusters[1].controlPlane: controlPlane "nowhere" is not a cluster of this environment']);

    const remote = twoPrimaries();
    remote.spec.clusters[3].controlPlane = 'east-remote';
    expect(messages(remote)).toEqual(['spec.clusters[3].controlPlane: controlPlane "east-remote" is a remote; it must name a primary']);
  });

  it('requires controlPlane on remotes when there are several primaries, and only there', () => {
    const env = twoPrimaries();
    delete env.spec.clusters[1].controlPlane;
    expect(messages(env)).toEqual(['spec.clusters[1].role: remote "east-remote" must name its primary in controlPlane: there are 2 primaries']);
    expect(inputFindings(twoPrimaries())).toEqual([]);
  });

  it('keeps controlPlane and istiodAddress to the role they belong to', () => {
    const env = baseEnvironment();
    env.spec.clusters[0].controlPlane = 'remote1';
    env.spec.clusters[1].istiodAddress = '10.0.0.20';
    expect(messages(env)).toEqual([
      'spec.clusters[0].controlPlane: controlPlane is for remotes; a primary runs its own istiod',
      'spec.clusters[1].istiodAddress: istiodAddress is for primaries; a remote has no istiod of its own',
    ]);
  });

  it('refuses overlapping pod subnets on one network, naming both clusters', () => {
    const env = baseEnvironment();
    env.spec.clusters[0].podSubnet = '10.200.0.0/16';
    env.spec.clusters[1].podSubnet = '10.200.128.0/17';
    const [finding, ...rest] = inputFindings(env);
    expect(rest).toEqual([]);
    expect(finding!.message).toBe(
      'spec.clusters[1].podSubnet: podSubnet 10.200.128.0/17 of "remote1" overlaps 10.200.0.0/16 of "primary1" on network "net1": ' +
        'clusters whose pod networks overlap must be on different networks',
    );
    expect(finding!.cluster).toBe('remote1');
  });

  it('refuses overlapping IPv6 pod subnets on one network', () => {
    const env = baseEnvironment();
    env.spec.clusters[0].podSubnet = 'fd00:10::/48';
    env.spec.clusters[1].podSubnet = 'fd00:10:0:1::/64';
    expect(messages(env)).toEqual([expect.stringContaining('overlaps fd00:10::/48 of "primary1"')]);
  });

  it('accepts overlapping pod subnets on different networks (seed 003) and disjoint ones on one network', () => {
    const env = twoPrimaries();
    env.spec.clusters[0].podSubnet = '10.100.0.0/16';
    env.spec.clusters[2].podSubnet = '10.100.0.0/16';
    expect(inputFindings(env)).toEqual([]);
    const disjoint = baseEnvironment();
    disjoint.spec.clusters[0].podSubnet = '10.201.0.0/16';
    disjoint.spec.clusters[1].podSubnet = '10.202.0.0/16';
    expect(inputFindings(disjoint)).toEqual([]);
  });

  it('needs an east-west address on a primary serving remotes, unless istiod has its own address', () => {
    const env = baseEnvironment();
    delete env.spec.clusters[0].eastWestGateway;
    expect(messages(env)).toEqual([
      'spec.clusters[0]: cluster "primary1" needs eastWestGateway.address (its load balancer\'s IP or hostname): it is a primary whose istiod remotes or VMs reach through it',
    ]);
    env.spec.clusters[0].istiodAddress = '10.0.0.30';
    expect(inputFindings(env)).toEqual([]);
  });

  it('needs an east-west address on every cluster of a multi-network mesh', () => {
    const env = twoPrimaries();
    delete env.spec.clusters[3].eastWestGateway.address;
    expect(messages(env)).toEqual([
      'spec.clusters[3].eastWestGateway: cluster "west-remote" needs eastWestGateway.address (its load balancer\'s IP or hostname): the mesh spans 2 networks (net-a, net-b)',
    ]);
  });

  it('refuses turning the east-west gateway off where it is needed', () => {
    const env = baseEnvironment();
    env.spec.clusters[0].eastWestGateway = { enabled: false };
    expect(messages(env)).toEqual([
      'spec.clusters[0].eastWestGateway.enabled: cluster "primary1" needs an east-west gateway: it is a primary whose istiod remotes or VMs reach through it',
    ]);
    const multi = twoPrimaries();
    multi.spec.clusters[1].eastWestGateway = { enabled: false };
    expect(messages(multi)).toEqual([expect.stringContaining('cluster "east-remote" needs an east-west gateway: the mesh spans 2 networks')]);
  });

  it.each([
    ['generic', { existingId: 'lb-1' }, 'provider generic has no existingId preset'],
    ['tke', { addressPool: 'pool' }, 'provider tke has no addressPool preset (it takes existingId, subnetId)'],
    ['metallb', { subnetId: 'subnet-1' }, 'provider metallb has no subnetId preset (it takes addressPool)'],
    ['ack', { subnetId: 'subnet-1' }, 'provider ack has no subnetId preset (it takes existingId)'],
    ['aws', { existingId: 'lb-1' }, 'provider aws has no existingId preset'],
  ])('refuses a loadBalancer field provider %s ignores', (provider, loadBalancer, message) => {
    const env = baseEnvironment();
    env.spec.clusters[0].provider = provider;
    env.spec.clusters[0].eastWestGateway.loadBalancer = loadBalancer;
    expect(messages(env)).toEqual([expect.stringContaining(message)]);
  });

  it.each([
    ['tke', { existingId: 'lb-1', subnetId: 'subnet-1' }],
    ['ack', { existingId: 'lb-1' }],
    ['metallb', { addressPool: 'first-pool' }],
    ['gcp', { internal: false }],
  ])('accepts the loadBalancer fields provider %s turns into annotations', (provider, loadBalancer) => {
    const env = baseEnvironment();
    env.spec.clusters[0].provider = provider;
    env.spec.clusters[0].eastWestGateway.loadBalancer = loadBalancer;
    expect(inputFindings(env)).toEqual([]);
  });

  it('needs {cluster} in the remote-secret key when there are several remotes', () => {
    const env = twoPrimaries();
    env.spec.remoteSecrets = { store: { name: 'vault' }, key: 'istio/remote' };
    expect(messages(env)).toEqual(['spec.remoteSecrets.key: key must contain {cluster}: with several remotes, each needs its own secret']);
    const one = baseEnvironment();
    one.spec.remoteSecrets = { store: { name: 'vault' }, key: 'istio/remote' };
    expect(inputFindings(one)).toEqual([]);
  });
});

describe('topology', () => {
  it('resolves each remote to its primary, implicitly when there is one primary', () => {
    const single = topologyOf(model(baseEnvironment()));
    const primary = single.byName.get('primary1')!;
    expect(single.primaryOf(single.byName.get('remote1')!)).toBe(primary);
    expect(single.primaryOf(primary)).toBeUndefined();
    expect(single.controlPlaneOf(primary)).toBe(primary);
    expect(single.remotesOf(primary).map((c) => c.name)).toEqual(['remote1']);

    const two = topologyOf(model(twoPrimaries()));
    expect(two.remotesOf(two.byName.get('west')!).map((c) => c.name)).toEqual(['west-remote']);
    expect(two.primaries.map((c) => c.name)).toEqual(['east', 'west']);
  });

  it('lists networks sorted and knows when the mesh is multi-network', () => {
    const two = topologyOf(model(twoPrimaries()));
    expect(two.networks).toEqual(['net-a', 'net-b']);
    expect(two.multiNetwork).toBe(true);
    expect(topologyOf(model(baseEnvironment())).multiNetwork).toBe(false);
  });

  it('exposes istiod only on primaries with remotes (or VMs)', () => {
    const t = topologyOf(model(baseEnvironment()));
    expect(t.exposesIstiod(t.byName.get('primary1')!)).toBe(true);
    expect(t.exposesIstiod(t.byName.get('remote1')!)).toBe(false);
    const alone = topologyOf(model(withClusters([{ name: 'solo', role: 'primary', network: 'n' }])));
    expect(alone.exposesIstiod(alone.byName.get('solo')!)).toBe(false);
  });

  it("takes istiod's address from istiodAddress, else from the east-west gateway", () => {
    const env = baseEnvironment();
    const t = topologyOf(model(env));
    expect(t.istiodAddress(t.byName.get('primary1')!)).toBe('10.0.0.10');
    env.spec.clusters[0].istiodAddress = '10.64.30.72';
    const t2 = topologyOf(model(env));
    expect(t2.istiodAddress(t2.byName.get('primary1')!)).toBe('10.64.30.72');
  });

  it.each([
    ['1.15.3-mspider', 'networking.istio.io/v1beta1'],
    ['1.18.5', 'networking.istio.io/v1beta1'],
    ['1.21.9', 'networking.istio.io/v1beta1'],
    ['1.22.0', 'networking.istio.io/v1'],
    ['2.0.0', 'networking.istio.io/v1'],
  ])('serves networking.istio.io for Istio %s as %s', (version, apiVersion) => {
    expect(networkingApiVersion(version)).toBe(apiVersion);
  });
});

describe('the exported JSON Schema', () => {
  const committed = readFileSync(path.join(REPO_ROOT, 'schemas', 'mesh-environment.schema.json'), 'utf8');
  const schema = jsonSchema();

  it('is committed as schemas/mesh-environment.schema.json, up to date', () => {
    // On failure: node bin/meshops.js schema > schemas/mesh-environment.schema.json
    expect(committed).toBe(`${JSON.stringify(schema, null, 2)}\n`);
  });

  const ajv = new Ajv2020({ allErrors: true, strict: true });
  // ajv-formats is CommonJS; under NodeNext its default import is the module object's type.
  (addFormatsModule as unknown as (a: Ajv2020) => Ajv2020)(ajv);
  const validate = ajv.compile(schema);

  it('validates both shipped examples', async () => {
    const yamlExample = parse(readFileSync(path.join(REPO_ROOT, 'environments/tcm-migration/mesh.yaml'), 'utf8'));
    expect(validate(yamlExample), JSON.stringify(validate.errors)).toBe(true);
    const jsonnetFile = path.join(REPO_ROOT, 'environments/mdemo-multicloud/mesh.jsonnet');
    const evaluated = await evaluateJsonnet(jsonnetFile, 'environments/mdemo-multicloud/mesh.jsonnet', path.join(REPO_ROOT, 'environments/lib'), REPO_ROOT);
    expect(evaluated.ok).toBe(true);
    if (evaluated.ok) expect(validate(evaluated.source.data), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses unknown fields and what the field rules refuse', () => {
    const env = baseEnvironment();
    env.spec.clusters[0].netwrk = 'x';
    expect(validate(env)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'netwrk' } }));
    const badCidr = baseEnvironment();
    badCidr.spec.clusters[0].podSubnet = '10.0.0.0/33';
    expect(validate(badCidr)).toBe(false);
    const badAddress = baseEnvironment();
    badAddress.spec.clusters[0].eastWestGateway.address = '10.0.0.999';
    expect(validate(badAddress)).toBe(false);
  });

  it('describes the fields editors complete', () => {
    const cluster = (schema as any).properties.spec.properties.clusters.items;
    for (const field of ['name', 'role', 'network', 'controlPlane', 'podSubnet', 'provider', 'istiodAddress', 'eastWestGateway']) {
      expect(cluster.properties[field].description, field).toEqual(expect.any(String));
    }
  });
});
