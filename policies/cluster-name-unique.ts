import type { ClusterFacts } from '../generator/validate/cluster-facts.js';
import { DEFAULT_CLUSTER_NAME } from '../generator/istio/names.js';
import { globalPath } from '../generator/validate/cluster-facts.js';
import { scalarText } from '../generator/json.js';
import type { Policy } from '../generator/validate/policy.js';

/** istiod keys its registry of clusters by clusterName: two clusters with one name overwrite each other. */
export const clusterNameUnique: Policy = {
  id: 'cluster-name-unique',
  description: 'No two clusters of the environment share values.global.multiCluster.clusterName (unset means Istio\'s default "Kubernetes").',
  severity: 'error',
  docs: {
    rationale:
      'istiod identifies every cluster it reads (its own and each remote secret\'s) by clusterName, and endpoints, locality failover and topology.istio.io/controlPlaneClusters refer to it. Two clusters with the same name overwrite each other in the registry, so one cluster\'s endpoints disappear. A cluster without multiCluster.clusterName is named "Kubernetes", so two of those collide too.',
    bad: `# clusters/cls-dxgdg1rl/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {multiCluster: {clusterName: cls-dxgdg1rl}}}}
# clusters/cls-ne1cw84b/istio-operator.yaml: copied from the primary
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {multiCluster: {clusterName: cls-dxgdg1rl}}}}`,
    good: `# clusters/cls-dxgdg1rl/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {multiCluster: {clusterName: cls-dxgdg1rl}}}}
# clusters/cls-ne1cw84b/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {multiCluster: {clusterName: cls-ne1cw84b}}}}`,
  },
  check({ clusters, report }) {
    const seen = new Map<string, ClusterFacts>();
    for (const c of clusters) {
      if (!c.iop) continue;
      const stated = scalarText(c.clusterName);
      const name = stated ?? DEFAULT_CLUSTER_NAME;
      const first = seen.get(name);
      if (!first) {
        seen.set(name, c);
        continue;
      }
      const what = stated !== undefined ? `clusterName "${name}"` : `no multiCluster.clusterName, so Istio names it "${name}"`;
      report({
        doc: c.iop,
        path: globalPath('multiCluster', 'clusterName'),
        message: `${c.cluster.dir} has ${what}, the same as ${first.cluster.dir}; every cluster needs its own clusterName`,
      });
    }
  },
};
