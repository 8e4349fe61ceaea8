import type { Policy } from '../generator/validate/policy.js';

/**
 * Istio's multicluster guides apply configuration (expose-istiod.yaml, expose-services.yaml) on the
 * primary only: istiod reads it from its own cluster's API server.
 */
export const configOnRemote: Policy = {
  id: 'config-on-remote',
  description:
    'A remote cluster\'s directory holds no Istio configuration objects (`*.istio.io` kinds other than IstioOperator: Gateway, VirtualService, ServiceEntry, WorkloadGroup, ...); they belong on its primary.',
  severity: 'error',
  docs: {
    rationale:
      "istiod reads Istio configuration from the API server of its own cluster only, so a Gateway or VirtualService in a remote configures nothing; the primary's copy is what serves the remote's east-west gateway and workloads. Worse, a remote may have no Istio CRDs at all (the remote profile installs none from 1.16 to 1.23), so syncing such an object fails the remote's whole Argo CD sync, the istio-system Namespace beside it included. A remote gets only what must live in its own API server: the istio-system Namespace with its labels and annotations, and VM namespaces and service accounts (the VM's token is issued there).",
    bad: `# clusters/mdemo-cluster1/istio-operator.yaml: the primary
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
# clusters/mdemo-cluster2/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {profile: remote}
# clusters/mdemo-cluster2/gateway.yaml: Istio configuration on the remote
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: cross-network-gateway, namespace: istio-system}`,
    good: `# clusters/mdemo-cluster1/istio-operator.yaml: the primary
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
# clusters/mdemo-cluster2/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {profile: remote}
# clusters/mdemo-cluster1/gateway.yaml: on the primary, whose istiod serves the remote
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: cross-network-gateway, namespace: istio-system}`,
  },
  check({ clusters, mesh, report }) {
    for (const remote of clusters) {
      if (remote.role !== 'remote') continue;
      const primary = mesh.primaryOf(remote);
      const where = primary ? `its primary "${primary.name}"` : 'its primary';
      for (const doc of remote.istioConfig) {
        report({
          doc,
          path: ['kind'],
          message:
            `${doc.kind} ${doc.namespace ? `${doc.namespace}/` : ''}${doc.name} (${doc.apiVersion}) is in remote cluster "${remote.name}", where no istiod reads it ` +
            `and the Istio CRDs may not exist; move it to ${where}`,
        });
      }
    }
  },
};
