import type { InputRule } from '../generator/model/input-rule.js';

export const inputRemoteSecretKey: InputRule = {
  kind: 'input',
  id: 'input-remote-secret-key',
  description: '`remoteSecrets.key` contains `{cluster}` when there are several remotes.',
  severity: 'error',
  docs: {
    rationale: "Each remote's kubeconfig is its own secret; one key for several remotes would give every remote secret the same cluster's credentials.",
    bad: `apiVersion: meshops.dev/v1alpha1
kind: MeshEnvironment
metadata: {name: demo}
spec:
  meshID: mesh1
  istio: {version: 1.24.0}
  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  - {name: r1, role: remote, network: main}
  - {name: r2, role: remote, network: main}
  remoteSecrets: {store: {name: vault}, key: istio/remote-secret}`,
    good: `apiVersion: meshops.dev/v1alpha1
kind: MeshEnvironment
metadata: {name: demo}
spec:
  meshID: mesh1
  istio: {version: 1.24.0}
  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  - {name: r1, role: remote, network: main}
  - {name: r2, role: remote, network: main}
  remoteSecrets: {store: {name: vault}, key: 'istio/remote-secrets/{cluster}'}`,
  },
  check({ env, report }) {
    const remoteCount = env.spec.clusters.filter((c) => c.role === 'remote').length;
    const secrets = env.spec.remoteSecrets;
    if (secrets && remoteCount > 1 && !secrets.key.includes('{cluster}')) {
      report(['spec', 'remoteSecrets', 'key'], 'key must contain {cluster}: with several remotes, each needs its own secret');
    }
  },
};
