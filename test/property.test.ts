/**
 * Generator and validator agree: every valid environment fast-check can draw renders to a tree the
 * validator finds nothing in, at any severity. A counterexample is either a generator bug or a
 * rule that fires on a sound mesh; fast-check prints it with the seed to replay it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HELM_NETWORK_GATEWAY_PORTS_SINCE, HELM_REMOTE_PROFILE_SINCE } from '../generator/istio/charts.js';
import { atLeast } from '../generator/istio/version.js';
import { inputFindings, renderAndValidate } from './helpers.js';

/** A provider with the loadBalancer fields that make its east-west gateway internal (east-west-gateway-internal). */
const INTERNAL_LOAD_BALANCERS: readonly { provider: string; loadBalancer?: object; annotations?: Record<string, string> }[] = [
  { provider: 'tke', loadBalancer: { existingId: 'lb-lujb6a5a' } },
  { provider: 'tke', loadBalancer: { subnetId: 'subnet-oz2k2du5' } },
  { provider: 'ack' },
  { provider: 'ack', loadBalancer: { existingId: 'lb-2zeo8vn2' } },
  { provider: 'metallb', loadBalancer: { addressPool: 'first-pool' } },
  { provider: 'aws' },
  { provider: 'gcp' },
  { provider: 'azure', loadBalancer: { internal: true } },
  // generic has no preset: an operator states the platform's internal annotation as is.
  { provider: 'generic', annotations: { 'networking.gke.io/load-balancer-type': 'Internal' } },
];

const clusterDraw = fc.record({
  network: fc.nat(),
  loadBalancer: fc.constantFrom(...INTERNAL_LOAD_BALANCERS),
  podSubnet: fc.constantFrom('none', 'own', 'shared'),
  hostnameAddress: fc.boolean(),
  /** An address even where none is needed. */
  address: fc.boolean(),
  /** An east-west gateway where the topology does not need one; false: `enabled: false` stated. */
  extraEastWest: fc.option(fc.boolean(), { nil: undefined }),
  port: fc.constantFrom(15443, 15443, 15444),
  istiodAddress: fc.boolean(),
  locality: fc.boolean(),
  apiServer: fc.boolean(),
  ingress: fc.constantFrom('off', 'on', 'annotated'),
});
type ClusterDraw = typeof clusterDraw extends fc.Arbitrary<infer T> ? T : never;

const environmentDraw = fc.record({
  networks: fc.integer({ min: 1, max: 4 }),
  primaries: fc.array(clusterDraw, { minLength: 1, maxLength: 3 }),
  remotes: fc.array(fc.record({ primary: fc.nat(), cluster: clusterDraw }), { maxLength: 4 }),
  vms: fc.array(fc.record({ cluster: fc.nat(), ownNetwork: fc.boolean() }), { maxLength: 2 }),
  version: fc.constantFrom('1.15.3-mspider', '1.18.5', '1.21.6', '1.22.3', '1.24.2', '1.30.4'),
  hub: fc.constantFrom('', 'release.daocloud.io/mspider'),
  revision: fc.constantFrom('', '1-22'),
  install: fc.constantFrom('helm', 'istioctl'),
  trustDomain: fc.constantFrom(undefined, 'cluster.local', 'mesh.example.com'),
  remoteSecrets: fc.boolean(),
  argocd: fc.boolean(),
});
type EnvironmentDraw = typeof environmentDraw extends fc.Arbitrary<infer T> ? T : never;

/** Turns a draw into a MeshEnvironment that satisfies every rule of the model (and says why where it matters). */
function environmentOf(draw: EnvironmentDraw): Record<string, any> {
  const members = [
    ...draw.primaries.map((d, i) => ({ name: `p${i}`, role: 'primary' as const, d, primary: undefined as string | undefined })),
    ...draw.remotes.map((r, i) => ({ name: `r${i}`, role: 'remote' as const, d: r.cluster, primary: `p${r.primary % draw.primaries.length}` })),
  ];
  const networkOf = (d: ClusterDraw) => `net${d.network % draw.networks}`;
  const vms = draw.vms.map((v, i) => ({ name: `vm${i}`, namespace: 'vm', serviceAccount: 'vm', cluster: members[v.cluster % members.length]!.name, ...(v.ownNetwork ? { network: 'vm-net' } : {}) }));
  const controlPlaneOf = (name: string) => {
    const m = members.find((c) => c.name === name)!;
    return m.role === 'primary' ? m.name : m.primary;
  };
  const networks = new Set([...members.map((m) => networkOf(m.d)), ...vms.flatMap((vm) => (vm.network ? [vm.network] : []))]);
  const multiNetwork = networks.size > 1;
  // Argo CD installing from Istio's Helm charts: remotes need the charts' remote profile, another
  // cross-network port the gateway chart's networkGatewayPorts (generator/model/delivery.ts).
  const helmRemotesUnsupported = draw.argocd && draw.remotes.length > 0 && !atLeast(draw.version, HELM_REMOTE_PROFILE_SINCE);
  const install = helmRemotesUnsupported ? 'istioctl' : draw.install;
  const portFixed = draw.argocd && install === 'helm' && !atLeast(draw.version, HELM_NETWORK_GATEWAY_PORTS_SINCE);
  const firstOnNetwork = new Set([...networks].map((n) => members.find((m) => networkOf(m.d) === n)?.name));

  const clusters = members.map((m, i) => {
    const { d } = m;
    const servesVms = m.role === 'primary' && vms.some((vm) => controlPlaneOf(vm.cluster) === m.name);
    const exposesIstiod = servesVms || (m.role === 'primary' && members.some((r) => r.primary === m.name));
    const istiodAddress = exposesIstiod && d.istiodAddress ? `10.${i}.1.10` : undefined;
    const needsEastWest = multiNetwork || exposesIstiod;
    const hasEastWest = needsEastWest || d.extraEastWest === true;
    // The model requires an address where remotes, VMs or other networks must reach the gateway.
    const needsAddress = multiNetwork || (exposesIstiod && istiodAddress === undefined);
    // A VM's /etc/hosts needs istiod's IP address: a hostname only where VMs do not use it.
    const hostname = d.hostnameAddress && !(servesVms && istiodAddress === undefined);
    const address = hostname ? `ew-${m.name}.mesh.example.com` : `10.${i}.0.10`;
    const eastWestGateway = hasEastWest
      ? {
          ...(d.extraEastWest === true ? { enabled: true } : {}),
          ...(needsAddress || d.address ? { address } : {}),
          ...(d.port !== 15443 && !portFixed ? { port: d.port } : {}),
          ...(d.loadBalancer.loadBalancer ? { loadBalancer: d.loadBalancer.loadBalancer } : {}),
          ...(d.loadBalancer.annotations ? { annotations: d.loadBalancer.annotations } : {}),
        }
      : d.extraEastWest === false
        ? { enabled: false }
        : undefined;
    // Overlapping pod networks are only valid on different networks: one shared CIDR per network's first cluster.
    const podSubnet = d.podSubnet === 'shared' && firstOnNetwork.has(m.name) ? '10.250.0.0/16' : d.podSubnet !== 'none' ? `10.${100 + i}.0.0/16` : undefined;
    return {
      name: m.name,
      role: m.role,
      network: networkOf(d),
      ...(m.primary ? { controlPlane: m.primary } : {}),
      ...(podSubnet ? { podSubnet } : {}),
      ...(d.locality ? { locality: { region: 'region1', zone: `zone${i}` } } : {}),
      provider: d.loadBalancer.provider,
      ...(d.apiServer ? { apiServer: `https://10.64.30.${130 + i}:6443` } : {}),
      ...(istiodAddress ? { istiodAddress } : {}),
      ...(eastWestGateway ? { eastWestGateway } : {}),
      ...(d.ingress !== 'off' ? { ingressGateway: { enabled: true, ...(d.ingress === 'annotated' ? { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } } : {}) } } : {}),
    };
  });

  return {
    apiVersion: 'meshops.dev/v1alpha1',
    kind: 'MeshEnvironment',
    metadata: { name: 'drawn' },
    spec: {
      meshID: 'mesh1',
      ...(draw.trustDomain ? { trustDomain: draw.trustDomain } : {}),
      istio: { version: draw.version, hub: draw.hub, revision: draw.revision, install },
      clusters,
      vms,
      ...(draw.remoteSecrets ? { remoteSecrets: { store: { name: 'vault' } } } : {}),
      ...(draw.argocd
        ? {
            argocd: {
              repoURL: 'https://git.example.com/platform/mesh.git',
              // Istio's chart repository has no vendor builds: Helm installs of one name its vendor's.
              ...(draw.version.includes('-') ? { chartRepoURL: 'https://release.daocloud.io/chartrepo/mspider' } : {}),
            },
          }
        : {}),
    },
  };
}

describe('generator and validator agree', () => {
  it('every valid environment renders to a tree without findings', () => {
    fc.assert(
      fc.property(environmentDraw, (draw) => {
        const env = environmentOf(draw);
        expect(inputFindings(env)).toEqual([]);
        expect(renderAndValidate(env)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
