import { TCM_SOURCE_CLUSTERS_ANNOTATION } from '../generator/istio/labels.js';
import { globalPath } from '../generator/validate/cluster-facts.js';
import { get, scalarText } from '../generator/json.js';
import type { Policy } from '../generator/validate/policy.js';

/** Seeds 000/001: TCM and a self-run istiod have different root CAs; the new mesh is built beside the old one. */
export const tcmClustersDisjoint: Policy = {
  id: 'tcm-clusters-disjoint',
  description: `No cluster of the mesh is still in the Tencent Cloud Mesh it replaces (IstioOperator annotation ${TCM_SOURCE_CLUSTERS_ANNOTATION}).`,
  severity: 'error',
  docs: {
    rationale:
      "TCM's managed istiod and a self-run istiod sign workload certificates with different root CAs, so they cannot share a cluster: sidecars of one would reject the other's, and both would fight over the injection webhook and istio-system. The seeds build the new mesh in other clusters and move workloads over. meshops states migration.tcm.sourceClusters on each IstioOperator as the annotation meshops.dev/tcm-source-clusters.",
    bad: `# clusters/cls-dxgdg1rl/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system, annotations: {meshops.dev/tcm-source-clusters: "cls-dxgdg1rl,cls-old2"}}
spec: {values: {global: {multiCluster: {clusterName: cls-dxgdg1rl}}}}`,
    good: `# clusters/cls-dxgdg1rl/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system, annotations: {meshops.dev/tcm-source-clusters: "cls-old1,cls-old2"}}
spec: {values: {global: {multiCluster: {clusterName: cls-dxgdg1rl}}}}`,
  },
  check({ clusters, report }) {
    for (const facts of clusters) {
      const doc = facts.iop;
      const listed = scalarText(get(doc?.object, ['metadata', 'annotations', TCM_SOURCE_CLUSTERS_ANNOTATION]));
      if (!doc || listed === undefined) continue;
      const tcmClusters = listed.split(',').map((s) => s.trim());
      if (!tcmClusters.includes(facts.name)) continue;
      report({
        doc,
        path: globalPath('multiCluster', 'clusterName'),
        message: `cluster "${facts.name}" is still in the TCM mesh (migration.tcm.sourceClusters): TCM and this mesh have different root CAs and cannot share a cluster; build the new mesh in other clusters and move workloads over`,
      });
    }
  },
};
