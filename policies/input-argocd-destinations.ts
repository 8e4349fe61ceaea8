import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputArgocdDestinations: InputRule = {
  kind: 'input',
  id: 'input-argocd-destinations',
  description: "`argocd.destinations` names clusters of the environment, and a cluster names its Argo CD destination once (`apiServer` or `destinations`).",
  severity: 'error',
  docs: {
    rationale: "An Application targets the cluster's apiServer, else its argocd.destinations entry: an entry for a cluster that does not exist is a typo, and a second destination for a cluster with an apiServer would be ignored.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  argocd:
    repoURL: https://git.example.com/mesh.git
    destinations: {c2: {name: in-cluster}}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  argocd:
    repoURL: https://git.example.com/mesh.git
    destinations: {c1: {name: in-cluster}}`),
  },
  check({ env, topology, report }) {
    const argocd = env.spec.argocd;
    if (!argocd) return;
    for (const name of Object.keys(argocd.destinations)) {
      if (!topology.byName.has(name)) report(['spec', 'argocd', 'destinations', name], `"${name}" is not a cluster of this environment`);
    }
    for (const cluster of env.spec.clusters) {
      if (cluster.apiServer !== undefined && argocd.destinations[cluster.name] !== undefined) {
        report(['spec', 'argocd', 'destinations', cluster.name], `cluster "${cluster.name}" already names its Argo CD destination in apiServer; set one of the two`);
      }
    }
  },
};
