/**
 * Environments that a feature's tests and the tests of its rules (test/policies/<id>.test.ts) both
 * render: each builder returns a fresh object a test may change.
 */
import { baseEnvironment } from './helpers.js';

/** The Git repository helmEnvironment's Applications sync from. */
export const ARGOCD_REPO = 'https://git.example.com/platform/mesh.git';

/** The base primary-remote environment (the primary has an east-west gateway) migrating to ASM. */
export function asmEnvironment(asm: Record<string, unknown> = {}, name = 'asm'): Record<string, any> {
  const env = baseEnvironment(name);
  env.spec.istio.version = '1.22.3';
  env.spec.migration = { asm: { desiredState: 'Migrating', egress: [{ host: 'edition.cnn.com', port: 80, asmWeight: 1 }], ...asm } };
  return env;
}

/** The base primary-remote environment leaving TCM 1.18.5 (cluster cls-old1). */
export function tcmEnvironment(tcm: Record<string, unknown>): Record<string, any> {
  const env = baseEnvironment('tcm');
  env.spec.migration = { tcm: { sourceVersion: '1.18.5', sourceClusters: ['cls-old1'], ...tcm } };
  return env;
}

/** Seed 003's shape on Helm: a primary serving two remotes on three networks, private hub, a revision. */
export function helmMultiNetwork(version = '1.24.2'): Record<string, any> {
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

/** Delivered by Argo CD with Helm, two networks: primary c1 (reached at its apiServer), remote c2 (registered in Argo CD as "c2-prod"). */
export function helmEnvironment(overrides: { istio?: object; argocd?: object } = {}): Record<string, any> {
  const env = baseEnvironment('prod');
  env.spec.istio = { version: '1.24.2', ...overrides.istio };
  env.spec.clusters = [
    { name: 'c1', role: 'primary', network: 'n1', apiServer: 'https://10.0.0.1:6443', eastWestGateway: { address: '10.0.0.10' } },
    { name: 'c2', role: 'remote', network: 'n2', eastWestGateway: { address: '10.0.0.20' }, ingressGateway: { enabled: true } },
  ];
  env.spec.argocd = { repoURL: ARGOCD_REPO, targetRevision: 'main', destinations: { c2: { name: 'c2-prod' } }, ...overrides.argocd };
  return env;
}
