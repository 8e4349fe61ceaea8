import type { ClusterFacts } from '../generator/validate/cluster-facts.js';
import type { MeshFacts } from '../generator/validate/mesh-facts.js';
import { istiodReachable } from '../generator/validate/gateways.js';
import type { Policy } from '../generator/validate/policy.js';

/** The primary whose istiod a cluster's VMs join: the cluster itself, or a remote's primary. */
function controlPlaneOf(facts: ClusterFacts, mesh: MeshFacts): ClusterFacts | undefined {
  return facts.role === 'primary' ? facts : mesh.primaryOf(facts);
}

/** Seed 004, step 4: a VM reaches istiod only through the east-west gateway (expose-istiod). */
export const vmIstiodExposed: Policy = {
  id: 'vm-istiod-exposed',
  description:
    "A WorkloadGroup's cluster, or the primary of that remote cluster, exposes istiod through its east-west gateway (Gateway passing 15012 through and a VirtualService routing it).",
  severity: 'error',
  docs: {
    rationale:
      "A VM is outside every cluster: its agent resolves istiod.istio-system.svc to the east-west gateway's address (its hosts file) and gets its certificate and configuration through port 15012 there. That works only when the primary whose istiod the VM joins — the WorkloadGroup's cluster, or that remote's primary — has an east-west gateway with Istio's expose-istiod Gateway and VirtualService. Where the primary is already known to serve remotes or VMs (remotes name it, or its IstioOperator carries meshops.dev/istiod-address), expose-istiod reports the missing pieces field by field; this rule covers the primaries only a WorkloadGroup shows to be needed, and WorkloadGroups in a remote that no primary serves.",
    bad: `# clusters/cluster1/istio-operator.yaml: the primary VM demo joins
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {components: {ingressGateways: [{name: istio-eastwestgateway, enabled: true, label: {istio: eastwestgateway}}]}}
# clusters/cluster1/workloadgroup.yaml
apiVersion: networking.istio.io/v1beta1
kind: WorkloadGroup
metadata: {name: demo, namespace: vm}
spec: {template: {serviceAccount: vm}}`,
    good: `# clusters/cluster1/istio-operator.yaml: the primary VM demo joins
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {components: {ingressGateways: [{name: istio-eastwestgateway, enabled: true, label: {istio: eastwestgateway}}]}}
# clusters/cluster1/workloadgroup.yaml
apiVersion: networking.istio.io/v1beta1
kind: WorkloadGroup
metadata: {name: demo, namespace: vm}
spec: {template: {serviceAccount: vm}}
# clusters/cluster1/expose-istiod.yaml: Istio's samples/multicluster/expose-istiod.yaml
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata: {name: istiod-gateway, namespace: istio-system}
spec:
  selector: {istio: eastwestgateway}
  servers: [{port: {name: tls-istiod, number: 15012, protocol: tls}, tls: {mode: PASSTHROUGH}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: istiod-vs, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [istiod-gateway]
  tls: [{match: [{port: 15012, sniHosts: ["*"]}], route: [{destination: {host: istiod.istio-system.svc.cluster.local, port: {number: 15012}}}]}]`,
  },
  check({ clusters, mesh, report }) {
    for (const facts of clusters) {
      if (!facts.role) continue;
      for (const group of facts.workloadGroups) {
        const vm = `WorkloadGroup ${group.namespace ?? 'default'}/${group.name}`;
        const primary = controlPlaneOf(facts, mesh);
        if (!primary) {
          report({
            doc: group,
            path: ['metadata', 'name'],
            message: `${vm} is in remote cluster "${facts.name}", which no primary of this environment serves; the VM has no istiod to join`,
          });
        } else if (!mesh.exposesIstiod(primary) && !istiodReachable(primary)) {
          report({
            doc: group,
            path: ['metadata', 'name'],
            message:
              `${vm} joins the istiod of "${primary.name}", which does not expose it: ` +
              `"${primary.name}" needs an east-west gateway, a Gateway passing port 15012 through (tls.mode PASSTHROUGH) and a VirtualService routing it to istiod (Istio's expose-istiod)`,
          });
        }
      }
    }
  },
};
