import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkOverlay } from '../generator/model/overlays.js';
import { topologyOf } from '../generator/model/topology.js';
import { istiodValues } from '../generator/render/helm-values.js';
import { planClusterInstall } from '../generator/render/install-plan.js';
import { istioOperator } from '../generator/render/istio-operator.js';
import { baseEnvironment, inputFindings, model, runMain, scratchRepo } from './helpers.js';

function withOverlays(): Record<string, any> {
  const env = baseEnvironment('overlays');
  env.spec.istio.values = { pilot: { resources: { requests: { cpu: '500m' } }, autoscaleMin: 2 }, global: { logging: { level: 'default:info' } } };
  env.spec.istio.meshConfig = { accessLogFile: '/dev/stdout', outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } };
  // The cluster's overlay comes after the environment's: it wins, key by key.
  env.spec.clusters[0].istio = { values: { pilot: { resources: { requests: { cpu: '2' } } } }, meshConfig: { accessLogFile: '' } };
  return env;
}

describe('overlays of Istio values and meshConfig', () => {
  const m = model(withOverlays());
  const topology = topologyOf(m);
  const [primary, remote] = m.spec.clusters.map((c) => planClusterInstall(m, topology, c));

  it('are deep-merged into the IstioOperator, the cluster\'s after the environment\'s, beside what meshops derives', async () => {
    const iop = istioOperator(primary!) as any;
    expect(iop.spec.values.pilot).toEqual({ env: { EXTERNAL_ISTIOD: true }, resources: { requests: { cpu: '2' } }, autoscaleMin: 2 });
    expect(iop.spec.values.global).toMatchObject({ meshID: 'mesh1', logging: { level: 'default:info' } });
    expect(iop.spec.meshConfig).toEqual({ trustDomain: 'cluster.local', accessLogFile: '', outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    const remoteIop = istioOperator(remote!) as any;
    expect(remoteIop.spec.values.pilot).toEqual({ resources: { requests: { cpu: '500m' } }, autoscaleMin: 2 });
    expect(remoteIop.spec.meshConfig.accessLogFile).toBe('/dev/stdout');
  });

  it('reach the istiod chart\'s values exactly as they reach the IstioOperator (one model, two install paths)', async () => {
    for (const plan of [primary!, remote!]) {
      const iop = istioOperator(plan) as any;
      const values = istiodValues(plan) as any;
      expect(values.pilot).toEqual(iop.spec.values.pilot);
      expect(values.global.logging).toEqual(iop.spec.values.global.logging);
      expect(values.meshConfig).toEqual(iop.spec.meshConfig);
    }
  });

  it('refuse every field meshops derives, naming the MeshEnvironment field to use', async () => {
    const env = baseEnvironment('overlays');
    env.spec.istio.values = { global: { meshID: 'other', multiCluster: { clusterName: 'x' } }, pilot: { env: { EXTERNAL_ISTIOD: false } } };
    env.spec.clusters[1].istio = { values: { global: { remotePilotAddress: '10.0.0.1' } }, meshConfig: { trustDomain: 'other.local' } };
    const messages = inputFindings(env).map((f) => f.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'spec.istio.values.global.meshID: values.global.meshID is derived by meshops; set spec.meshID instead',
        'spec.istio.values.global.multiCluster.clusterName: values.global.multiCluster.clusterName is derived by meshops; set spec.clusters[].name instead',
        expect.stringMatching(/^spec\.istio\.values\.pilot\.env\.EXTERNAL_ISTIOD: .*spec\.clusters\[\]\.role/),
        expect.stringMatching(/^spec\.clusters\[1\]\.istio\.values\.global\.remotePilotAddress: .*controlPlane/),
        'spec.clusters[1].istio.meshConfig.trustDomain: meshConfig.trustDomain is derived by meshops; set spec.trustDomain instead',
      ]),
    );
    expect(messages).toHaveLength(5);
  });

  it('are checked through one seam, by Istio version and kind, with paths inside the overlay', async () => {
    expect(checkOverlay('1.18.5', 'meshConfig', { defaultConfig: { proxyMetadata: { PROXY_CONFIG_XDS_AGENT: 'true', OTHER: 'x' } } })).toEqual([
      { path: ['defaultConfig', 'proxyMetadata', 'PROXY_CONFIG_XDS_AGENT'], message: expect.stringContaining('spec.migration.asm.desiredState') },
    ]);
    expect(checkOverlay('1.18.5', 'values', { pilot: { resources: {} } })).toEqual([]);
    expect(checkOverlay('1.18.5', 'values', ['pilot'])).toHaveLength(1);
  });

  it('a refused overlay is reported at its line in mesh.yaml, and nothing under rendered/ changes', async () => {
    const repo = scratchRepo({ rendered: true });
    const file = path.join(repo, 'environments/tcm-migration/mesh.yaml');
    const text = readFileSync(file, 'utf8');
    const edited = text.replace('      accessLogFile: /dev/stdout', '      accessLogFile: /dev/stdout\n      trustDomain: other.local');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const line = edited.split('\n').findIndex((l) => l.includes('trustDomain: other.local')) + 1;
    const before = readFileSync(path.join(repo, 'rendered/tcm-migration/clusters/cls-dxgdg1rl/istio-operator.yaml'), 'utf8');
    const r = await runMain(['render'], repo);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`environments/tcm-migration/mesh.yaml:${line}:7: error input: spec.istio.meshConfig.trustDomain: meshConfig.trustDomain is derived by meshops; set spec.trustDomain instead`);
    expect(readFileSync(path.join(repo, 'rendered/tcm-migration/clusters/cls-dxgdg1rl/istio-operator.yaml'), 'utf8')).toBe(before);
    expect(parse(before).spec.meshConfig.trustDomain).toBe('cluster.local');
  });
});
