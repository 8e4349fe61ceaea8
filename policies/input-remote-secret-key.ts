import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputRemoteSecretKey: InputRule = {
  kind: 'input',
  id: 'input-remote-secret-key',
  description: '`remoteSecrets.key` contains `{cluster}` when several clusters need remote secrets.',
  severity: 'error',
  docs: {
    rationale:
      "A primary needs a remote secret for every cluster its istiod discovers: its remotes, and with several primaries every other cluster of the mesh. Each cluster's kubeconfig is its own secret; one key for several clusters would give every remote secret the same cluster's credentials.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  - {name: r1, role: remote, network: main}
  - {name: r2, role: remote, network: main}
  remoteSecrets: {store: {name: vault}, key: istio/remote-secret}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  - {name: r1, role: remote, network: main}
  - {name: r2, role: remote, network: main}
  remoteSecrets: {store: {name: vault}, key: 'istio/remote-secrets/{cluster}'}`),
  },
  check({ env, topology, report }) {
    // The clusters some primary needs a remote secret for: each needs its own kubeconfig.
    const discovered = new Set(topology.primaries.flatMap((p) => topology.discoveredBy(p)));
    const secrets = env.spec.remoteSecrets;
    if (secrets && discovered.size > 1 && !secrets.key.includes('{cluster}')) {
      report(['spec', 'remoteSecrets', 'key'], `key must contain {cluster}: ${discovered.size} clusters need remote secrets, each with its own kubeconfig`);
    }
  },
};
