import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Finding } from '../generator/findings.js';
import { topologyOf } from '../generator/model/topology.js';
import { helmReleases, istiodValues } from '../generator/render/helm-values.js';
import { planClusterInstall } from '../generator/render/install-plan.js';
import { istioOperator } from '../generator/render/istio-operator.js';
import { helmValuesMatch } from '../policies/helm-values-match.js';
import { baseEnvironment, model, mutate, renderFiles, validateFiles } from './helpers.js';

/** Seed 003's shape on Helm: a primary serving two remotes on three networks, private hub, a revision. */
function multiNetwork(version = '1.24.2'): Record<string, any> {
  const env = baseEnvironment('mdemo');
  env.spec.meshID = 'mdemo-mesh';
  env.spec.trustDomain = 'mdemo.local';
  env.spec.istio = { version, hub: 'registry.example.com/istio', revision: 'stable' };
  env.spec.clusters = [
    { name: 'c1', role: 'primary', network: 'network-c1', provider: 'metallb', istiodAddress: '10.64.30.72', eastWestGateway: { address: '10.64.30.73', loadBalancer: { addressPool: 'first-pool' } } },
    { name: 'c2', role: 'remote', network: 'network-c2', eastWestGateway: { address: '10.6.136.29' } },
    { name: 'c3', role: 'remote', network: 'network-c3', eastWestGateway: { address: '10.64.30.77' } },
  ];
  env.spec.argocd = { repoURL: 'https://git.example.com/mesh.git' };
  return env;
}

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
    for (const input of [multiNetwork(), baseEnvironment('flat'), asmMigrating()]) {
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
    const [, c2] = plans(multiNetwork());
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
    const [c1] = plans(multiNetwork());
    expect(istiodValues(c1!)).toMatchObject({ global: { externalIstiod: true, hub: 'registry.example.com/istio', tag: '1.24.2' }, pilot: { env: { EXTERNAL_ISTIOD: true } } });
    expect(istiodValues(c1!)).not.toHaveProperty('profile');
    expect(istiodValues(c1!)).not.toHaveProperty('istiodRemote');
  });

  it('exposes the east-west gateway through the chart\'s networkGateway mode, with the provider annotations and revision', () => {
    const [c1] = plans(multiNetwork());
    expect(helmReleases(c1!).map((r) => [r.releaseName, r.chart])).toEqual([
      ['istio-base', 'base'],
      ['istiod', 'istiod'],
      ['istio-eastwestgateway', 'gateway'],
    ]);
    expect(helmReleases(c1!)[2]!.values).toEqual({
      networkGateway: 'network-c1',
      revision: 'stable',
      service: { annotations: { 'metallb.universe.tf/address-pool': 'first-pool' } },
    });
  });

  it('moves the cross-network port with networkGatewayPorts where the chart has it (1.30)', () => {
    const env = multiNetwork('1.30.1');
    env.spec.clusters[1].eastWestGateway.port = 16443;
    const [, c2] = plans(env);
    expect(helmReleases(c2!).find((r) => r.chart === 'gateway')!.values).toMatchObject({ networkGatewayPorts: { tls: { port: 16443, targetPort: 15443 } } });
  });
});

/** 1-based line of the first line containing `needle`. */
function lineContaining(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`no line contains ${JSON.stringify(needle)}`);
  return index + 1;
}

const key = (f: Finding) => `${f.rule}|${f.file}|${f.line}|${f.message}`;
/** Findings a mutation adds to what the unmutated tree already reports. */
function added(env: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Finding[] {
  const known = new Set(validateFiles(env, before).map(key));
  return validateFiles(env, after).filter((f) => !known.has(key(f)));
}

describe('policy helm-values-match', () => {
  const files = renderFiles(multiNetwork());
  const app = 'argocd/application-c2.yaml';

  it('finds nothing on what meshops renders', () => {
    expect(validateFiles('mdemo', files).filter((f) => f.rule === helmValuesMatch.id)).toEqual([]);
  });

  it('reports a hand-edited Helm value of the Application at its line, and nothing else', () => {
    const edited = mutate(files, app, 'remotePilotAddress: 10.64.30.72', 'remotePilotAddress: 10.64.30.99');
    const findings = added('mdemo', files, edited);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'helm-values-match',
        severity: 'error',
        file: `rendered/mdemo/${app}`,
        line: lineContaining(edited.get(app)!, 'remotePilotAddress:'),
        cluster: 'c2',
      }),
    ]);
    expect(findings[0]!.message).toBe(
      `Application "mdemo.c2" installs the istiod chart with global.remotePilotAddress "10.64.30.99", but the IstioOperator of cluster "c2" ` +
        `(rendered/mdemo/clusters/c2/istio-operator.yaml:${lineContaining(files.get('clusters/c2/istio-operator.yaml')!, 'remotePilotAddress:')}) says "10.64.30.72": ` +
        'Argo CD and istioctl would install different meshes; change the environment and re-render',
    );
  });

  it('reports each of meshID, clusterName and network, and the east-west gateway\'s network', () => {
    // The gateway charts have an Application of their own (<env>.<cluster>.gateways).
    for (const [from, to, field, file] of [
      ['meshID: mdemo-mesh', 'meshID: other-mesh', 'global.meshID', app],
      ['clusterName: c2', 'clusterName: c9', 'global.multiCluster.clusterName', app],
      ['network: network-c2', 'network: network-c9', 'global.network', app],
      ['networkGateway: network-c2', 'networkGateway: network-c9', 'networkGateway', 'argocd/application-c2.gateways.yaml'],
    ] as const) {
      const findings = added('mdemo', files, mutate(files, file, from, to));
      expect(findings.map((f) => f.rule), field).toEqual(['helm-values-match']);
      expect(findings[0]!.message, field).toContain(` with ${field} "${to.split(': ')[1]}"`);
    }
  });

  it('reports a hand-edited IstioOperator at the Application value it no longer matches', () => {
    const solo = baseEnvironment('solo');
    solo.spec.istio = { version: '1.24.2' };
    solo.spec.clusters = [{ name: 'only', role: 'primary', network: 'n1' }];
    solo.spec.argocd = { repoURL: 'https://git.example.com/mesh.git' };
    const rendered = renderFiles(solo);
    const edited = mutate(rendered, 'clusters/only/istio-operator.yaml', 'meshID: mesh1', 'meshID: mesh2');
    const findings = added('solo', rendered, edited);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'helm-values-match',
        file: 'rendered/solo/argocd/application-only.yaml',
        line: lineContaining(rendered.get('argocd/application-only.yaml')!, 'meshID:'),
      }),
    ]);
    expect(findings[0]!.message).toContain('with global.meshID "mesh1", but the IstioOperator of cluster "only" (rendered/solo/clusters/only/istio-operator.yaml:');
  });

  it('reads hand-written Applications: found by their Git path, values given as a YAML string', () => {
    const handWritten = new Map(files);
    const application = parse(files.get(app)!);
    delete application.metadata.labels;
    const istiod = application.spec.sources.find((s: any) => s.chart === 'istiod');
    istiod.helm.values = stringify({ ...istiod.helm.valuesObject, global: { ...istiod.helm.valuesObject.global, meshID: 'typo-mesh' } });
    delete istiod.helm.valuesObject;
    handWritten.set(app, stringify(application));
    const findings = validateFiles('mdemo', handWritten).filter((f) => f.rule === helmValuesMatch.id);
    expect(findings.map((f) => f.line)).toEqual([lineContaining(handWritten.get(app)!, 'values: |')]);
    expect(findings[0]!.message).toMatch(/^Application "mdemo\.c2" installs the istiod chart with global\.meshID "typo-mesh", but the IstioOperator/);
  });

  it('checks nothing for install: istioctl Applications (they carry no Helm values)', () => {
    const istioctl = multiNetwork('1.18.5');
    istioctl.spec.istio.install = 'istioctl';
    const rendered = renderFiles(istioctl);
    const edited = mutate(rendered, 'clusters/c2/istio-operator.yaml', 'clusterName: c2', 'clusterName: c9');
    expect(validateFiles('mdemo', edited).filter((f) => f.rule === helmValuesMatch.id)).toEqual([]);
  });
});
