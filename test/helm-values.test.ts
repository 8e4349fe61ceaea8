import { describe, expect, it } from 'vitest';
import { topologyOf } from '../generator/model/topology.js';
import { helmReleases, istiodValues } from '../generator/render/helm-values.js';
import { planClusterInstall } from '../generator/render/install-plan.js';
import { istioOperator } from '../generator/render/istio-operator.js';
import { helmMultiNetwork } from './environments.js';
import { baseEnvironment, model } from './helpers.js';

/** Seed 002 on Helm: a primary-remote mesh migrating to ASM, egress traffic being shifted. */
function asmMigrating(): Record<string, any> {
  const env = baseEnvironment('asm');
  env.spec.istio = { version: '1.24.2' };
  env.spec.migration = { asm: { desiredState: 'Migrating', egress: [{ host: 'edition.cnn.com', port: 80, asmWeight: 1 }] } };
  return env;
}

function plans(input: unknown) {
  const m = model(input);
  const topology = topologyOf(m);
  return m.spec.clusters.map((c) => planClusterInstall(m, topology, c));
}

describe('Helm values: a projection of the same install plan as the IstioOperator', () => {
  it('states what the IstioOperator states, for every cluster of primary-remote and multi-network meshes', () => {
    for (const input of [helmMultiNetwork(), baseEnvironment('flat'), asmMigrating()]) {
      for (const plan of plans(input)) {
        const iop = istioOperator(plan) as any;
        const values = istiodValues(plan) as any;
        const global = iop.spec.values.global;
        for (const key of ['meshID', 'multiCluster', 'network', 'meshNetworks', 'remotePilotAddress', 'externalIstiod']) {
          expect(values.global[key], `${plan.clusterName}: global.${key}`).toEqual(global[key]);
        }
        expect(values.pilot).toEqual(iop.spec.values.pilot);
        expect(values.global.hub).toEqual(iop.spec.hub);
        expect(values.global.tag).toBe(iop.spec.tag);
        expect(values.revision).toEqual(iop.spec.revision);
        expect(values.meshConfig).toEqual(iop.spec.meshConfig);
        expect(values.profile ?? 'default').toBe(iop.spec.profile);
        expect(values.istiodRemote).toEqual(iop.spec.values.istiodRemote);

        const egressComponent = iop.spec.components.egressGateways?.find((g: any) => g.name === 'istio-egressgateway');
        const egress = helmReleases(plan).find((r) => r.releaseName === 'istio-egressgateway');
        expect(egress === undefined, `${plan.clusterName}: egress gateway`).toBe(egressComponent === undefined);
        if (egressComponent && egress) {
          expect((egress.values as any).service.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual(
            egressComponent.k8s.service.ports.map((p: any) => [p.name, p.port, p.targetPort]),
          );
        }

        const component = iop.spec.components.ingressGateways.find((g: any) => g.name === 'istio-eastwestgateway');
        const gateway = helmReleases(plan).find((r) => r.releaseName === 'istio-eastwestgateway');
        expect(gateway === undefined, plan.clusterName).toBe(component === undefined);
        if (component && gateway) {
          expect(gateway.values.networkGateway).toBe(component.label['topology.istio.io/network']);
          expect((gateway.values as any).service?.annotations).toEqual(component.k8s.serviceAnnotations);
        }
      }
    }
  });

  it('carries an ASM migration into the charts: PROXY_CONFIG_XDS_AGENT and Istio\'s egress gateway', () => {
    for (const plan of plans(asmMigrating())) {
      expect((istiodValues(plan) as any).meshConfig.defaultConfig.proxyMetadata).toEqual({ PROXY_CONFIG_XDS_AGENT: 'true' });
      expect(helmReleases(plan).map((r) => r.releaseName)).toContain('istio-egressgateway');
    }
  });

  it('installs a remote with the charts\' remote profile, pointed at its primary\'s istiod', () => {
    const [, c2] = plans(helmMultiNetwork());
    const releases = helmReleases(c2!);
    expect(releases.find((r) => r.chart === 'base')!.values).toEqual({ profile: 'remote', defaultRevision: 'stable' });
    expect(releases.find((r) => r.chart === 'istiod')!.values).toMatchObject({
      profile: 'remote',
      revision: 'stable',
      global: { remotePilotAddress: '10.64.30.72', configCluster: true, multiCluster: { clusterName: 'c2' }, network: 'network-c2' },
      istiodRemote: { injectionPath: '/inject/cluster/c2/net/network-c2' },
    });
  });

  it('makes a primary serving remotes their external istiod', () => {
    const [c1] = plans(helmMultiNetwork());
    expect(istiodValues(c1!)).toMatchObject({ global: { externalIstiod: true, hub: 'registry.example.com/istio', tag: '1.24.2' }, pilot: { env: { EXTERNAL_ISTIOD: true } } });
    expect(istiodValues(c1!)).not.toHaveProperty('profile');
    expect(istiodValues(c1!)).not.toHaveProperty('istiodRemote');
  });

  it('exposes the east-west gateway through the chart\'s networkGateway mode, with the provider annotations and revision', () => {
    const [c1] = plans(helmMultiNetwork());
    expect(helmReleases(c1!).map((r) => [r.releaseName, r.chart])).toEqual([
      ['istio-base', 'base'],
      ['istiod', 'istiod'],
      ['istio-eastwestgateway', 'gateway'],
    ]);
    expect(helmReleases(c1!)[2]!.values).toEqual({
      networkGateway: 'network-c1',
      revision: 'stable',
      service: { annotations: { 'metallb.universe.tf/address-pool': 'first-pool', 'metallb.universe.tf/loadBalancerIPs': c1!.cluster.eastWestGateway!.address! } },
    });
  });

  it('moves the cross-network port with networkGatewayPorts where the chart has it (1.30)', () => {
    const env = helmMultiNetwork('1.30.1');
    env.spec.clusters[1].eastWestGateway.port = 16443;
    const [, c2] = plans(env);
    expect(helmReleases(c2!).find((r) => r.chart === 'gateway')!.values).toMatchObject({
      networkGatewayPorts: { tls: { port: 16443, targetPort: 15443 } },
      // istiod takes a discovered network gateway's port from this label (15443 without it).
      labels: { 'networking.istio.io/gatewayPort': '16443' },
    });
  });
});
