import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputClusterNameUnique: InputRule = {
  kind: 'input',
  id: 'input-cluster-name-unique',
  description: 'Cluster names are unique within an environment.',
  severity: 'error',
  docs: {
    rationale:
      "A cluster's name is its multiCluster.clusterName, the name istiod knows it by, and the directory rendered/<env>/clusters/<name>/; two clusters of one name would write one directory and be one cluster to istiod.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  - {name: c1, role: primary, network: main}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  - {name: c2, role: primary, network: main}
  rootCA: {store: {name: vault}}   # several primaries share one root of trust`),
  },
  check({ env, report }) {
    const firstIndex = new Map<string, number>();
    env.spec.clusters.forEach((c, i) => {
      const first = firstIndex.get(c.name);
      if (first !== undefined) report(['spec', 'clusters', i, 'name'], `cluster name "${c.name}" is used twice (also spec.clusters[${first}])`);
      else firstIndex.set(c.name, i);
    });
  },
};
