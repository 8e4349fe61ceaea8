import { globalPath } from '../generator/validate/cluster-facts.js';
import { scalarText } from '../generator/json.js';
import { consensus } from '../generator/validate/mesh-facts.js';
import { namesUse } from '../generator/validate/wording.js';
import type { Policy } from '../generator/validate/policy.js';

/** Istio tells meshes apart by meshID: clusters stating different ones are separate meshes. */
export const meshIdMatch: Policy = {
  id: 'mesh-id-match',
  description: 'Every cluster sets spec.values.global.meshID, and to the same value.',
  severity: 'error',
  docs: {
    rationale:
      'The mesh ID is how istiod and the proxies know which clusters form one mesh; it goes into every workload\'s metadata and telemetry. A cluster with another meshID (or none, when Istio falls back to the trust domain) is a different mesh, so cross-cluster discovery and load balancing silently leave it out.',
    bad: `# clusters/cls-dxgdg1rl/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {meshID: mesh1}}}
# clusters/cls-ne1cw84b/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {meshID: mesh-mn8gnn1g}}}`,
    good: `# clusters/cls-dxgdg1rl/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {meshID: mesh1}}}
# clusters/cls-ne1cw84b/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {meshID: mesh1}}}`,
  },
  check({ clusters, report }) {
    const stating = clusters.filter((c) => c.iop && scalarText(c.meshID) !== undefined);
    for (const c of clusters) {
      if (c.iop && scalarText(c.meshID) === undefined) {
        report({ doc: c.iop, path: globalPath('meshID'), message: `cluster "${c.name}" sets no values.global.meshID; every cluster of the mesh must state the same meshID` });
      }
    }
    const agreed = consensus(stating, (c) => scalarText(c.meshID)!);
    if (!agreed) return;
    for (const c of stating) {
      if (scalarText(c.meshID) !== agreed.value) {
        report({
          doc: c.iop!,
          path: globalPath('meshID'),
          message: `cluster "${c.name}" has meshID "${scalarText(c.meshID)}" but ${namesUse(agreed.holders.map((h) => h.name))} "${agreed.value}"; one mesh has one meshID`,
        });
      }
    }
  },
};
