/**
 * Hand-written trees for the policy tests, in the seeds' own shapes (not meshops output), so the
 * rules are shown to work on trees meshops did not write. Each builder returns fresh objects a
 * test may change before turning them into files.
 */
import type { Finding } from '../../generator/findings.js';
import { validateEnvironment } from '../../generator/validate/engine.js';
import type { Policy } from '../../generator/validate/policy.js';
import type { SeveritySetting } from '../../generator/validate/policy.js';
import { policies } from '../../policies/index.js';
import { manifestFiles, treeOf, validateFiles } from '../helpers.js';

export const HAND_ENV = 'hand';

/** Findings of one policy alone (schema off): what a unit test of that rule looks at. */
export function check(policy: Policy, clusters: Parameters<typeof manifestFiles>[0]): Finding[] {
  return checkWith([policy], clusters);
}

/** Findings of every policy (schema off): a mutation test's proof that its defect fires exactly its rule. */
export function checkAll(clusters: Parameters<typeof manifestFiles>[0]): Finding[] {
  return checkWith(policies, clusters);
}

function checkWith(list: readonly Policy[], clusters: Parameters<typeof manifestFiles>[0]): Finding[] {
  return validateEnvironment(treeOf(HAND_ENV, manifestFiles(clusters)), { policies: list, overrides: new Map([[HAND_ENV, { schema: 'off' }]]) });
}

/** Seed 000's primary: one IstioOperator with the east-west gateway merged in, istiod at the CLB's IP. */
export function seedPrimary(o: { name?: string; network?: string; meshID?: string; address?: string } = {}): Record<string, any> {
  const network = o.network ?? 'main';
  return {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    spec: {
      components: {
        ingressGateways: [
          { enabled: false, name: 'istio-ingressgateway' },
          {
            name: 'istio-eastwestgateway',
            label: { istio: 'eastwestgateway', app: 'istio-eastwestgateway', 'topology.istio.io/network': network },
            enabled: true,
            k8s: {
              env: [{ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: network }],
              serviceAnnotations: { 'service.kubernetes.io/tke-existed-lbid': 'lb-lujb6a5a' },
              service: {
                loadBalancerIP: o.address ?? '10.0.250.58',
                ports: [
                  { name: 'status-port', port: 15021, targetPort: 15021 },
                  { name: 'tls', port: 15443, targetPort: 15443 },
                  { name: 'tls-istiod', port: 15012, targetPort: 15012 },
                  { name: 'tls-webhook', port: 15017, targetPort: 15017 },
                ],
              },
            },
          },
        ],
      },
      values: {
        pilot: { env: { EXTERNAL_ISTIOD: true } },
        global: { meshID: o.meshID ?? 'mesh1', multiCluster: { clusterName: o.name ?? 'cls-dxgdg1rl' }, network },
      },
    },
  };
}

/** Seed 000's member cluster: profile remote, istiod reached at the primary's east-west gateway. */
export function seedRemote(o: { name?: string; network?: string; pilot?: string; meshID?: string } = {}): Record<string, any> {
  return {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    spec: {
      profile: 'remote',
      values: {
        global: { meshID: o.meshID ?? 'mesh1', multiCluster: { clusterName: o.name ?? 'cls-ne1cw84b' }, network: o.network ?? 'main', remotePilotAddress: o.pilot ?? '10.0.250.58' },
      },
    },
  };
}

/**
 * Istio's samples/multicluster/expose-istiod.yaml, as seed 000 applies it (kubectl apply -n
 * istio-system); with a revision, expose-istiod-rev.yaml.tmpl (istiod-vs-<rev>, matching its SNI names).
 */
export function exposeIstiod(revision = ''): Record<string, any>[] {
  const service = `istiod${revision ? `-${revision}` : ''}.istio-system.svc`;
  const sniHosts = revision ? [service, `${service}.cluster.local`] : ['*'];
  const server = (name: string, number: number) => ({ port: { name, number, protocol: 'tls' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] });
  const route = (port: number, target: number) => ({ match: [{ port, sniHosts }], route: [{ destination: { host: `${service}.cluster.local`, port: { number: target } } }] });
  return [
    { apiVersion: 'networking.istio.io/v1alpha3', kind: 'Gateway', metadata: { name: 'istiod-gateway' }, spec: { selector: { istio: 'eastwestgateway' }, servers: [server('tls-istiod', 15012), server('tls-istiodwebhook', 15017)] } },
    {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'VirtualService',
      metadata: { name: revision ? `istiod-vs-${revision}` : 'istiod-vs' },
      spec: { hosts: ['*'], gateways: ['istiod-gateway'], tls: [route(15012, 15012), route(15017, 443)] },
    },
  ];
}

/** Seed 003's cross-network-gateway (Istio's expose-services.yaml). */
export function crossNetworkGateway(): Record<string, any> {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'Gateway',
    metadata: { name: 'cross-network-gateway', namespace: 'istio-system' },
    spec: { selector: { istio: 'eastwestgateway' }, servers: [{ hosts: ['*.local'], port: { name: 'tls', number: 15443, protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' } }] },
  };
}

/** The istio-system Namespace labelled with its network (seed 003 does this by hand). */
export function istioSystem(network: string, controlPlane?: string): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: 'istio-system',
      labels: { 'topology.istio.io/network': network },
      ...(controlPlane ? { annotations: { 'topology.istio.io/controlPlaneClusters': controlPlane } } : {}),
    },
  };
}

/** Seed 003's meshNetworks: one entry per network with its east-west gateway. */
export function meshNetworks(gateways: Record<string, string>): Record<string, any> {
  return Object.fromEntries(Object.entries(gateways).map(([network, address]) => [network, { endpoints: [{ fromRegistry: network }], gateways: [{ address, port: 15443 }] }]));
}

/**
 * Seed 003 hand-written: three networks, mdemo-cluster1 the primary of the other two, meshNetworks
 * and the cross-network Gateway (serving every east-west gateway) on the primary. The seed itself
 * also applied the Gateway on the remotes, which config-on-remote reports.
 */
export function seed003(): Record<string, Record<string, any[]>> {
  const addresses: Record<string, string> = { 'network-c1': '10.64.30.73', 'network-c2': '10.6.136.29', 'network-c3': '10.64.30.77' };
  const primary = seedPrimary({ name: 'mdemo-cluster1', network: 'network-c1', meshID: 'mdemo-mesh', address: '10.64.30.73' });
  primary.spec.values.global.meshNetworks = meshNetworks(addresses);
  const member = (n: 2 | 3) => {
    const network = `network-c${n}`;
    const iop = seedRemote({ name: `mdemo-cluster${n}`, network, pilot: '10.64.30.73', meshID: 'mdemo-mesh' });
    iop.spec.components = { ingressGateways: [seedPrimary({ network, address: addresses[network] }).spec.components.ingressGateways[1]] };
    return { 'istio-operator.yaml': [iop], 'namespace.yaml': [istioSystem(network)] };
  };
  return {
    'mdemo-cluster1': { 'istio-operator.yaml': [primary], 'namespace.yaml': [istioSystem('network-c1')], 'gateway.yaml': [crossNetworkGateway()], 'expose-istiod.yaml': exposeIstiod() },
    'mdemo-cluster2': member(2),
    'mdemo-cluster3': member(3),
  };
}

/** Seed 000 hand-written: the primary and its member cluster on one network. */
export function seed000(): Record<string, Record<string, any[]>> {
  return {
    'cls-dxgdg1rl': { 'master-cluster.yaml': [seedPrimary()], 'expose-istiod.yaml': exposeIstiod() },
    'cls-ne1cw84b': { 'member-cluster-1.yaml': [seedRemote()] },
  };
}

/** 1-based line of the first line containing `needle` in a file of a hand-written tree. */
export function lineOf(clusters: Parameters<typeof manifestFiles>[0], file: string, needle: string, after?: string): number {
  const lines = manifestFiles(clusters).get(file)!.split('\n');
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const index = lines.findIndex((l, i) => i >= start && l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

/** The path a finding names for a file of the hand-written tree. */
export const fileOf = (file: string) => `rendered/${HAND_ENV}/${file}`;

/**
 * Every rule's findings over rendered files of an environment on provider generic, less the warning
 * all such environments get (east-west-gateway-internal: nothing makes their load balancers internal).
 */
export function validateGeneric(env: string, files: ReadonlyMap<string, string>, overrides: Readonly<Record<string, SeveritySetting>> = {}): Finding[] {
  return validateFiles(env, files, { 'east-west-gateway-internal': 'off', ...overrides });
}
