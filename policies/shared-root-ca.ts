import { globalPath } from '../generator/validate/cluster-facts.js';
import { listNames } from '../generator/validate/wording.js';
import type { Policy } from '../generator/validate/policy.js';

/** Istio's plug-in CA task: one root, an intermediate CA per cluster in istio-system/cacerts. */
export const sharedRootCa: Policy = {
  id: 'shared-root-ca',
  description:
    'With more than one primary, every primary has a shared root of trust: Istio\'s plug-in CA secret istio-system/cacerts (a Secret, or an ExternalSecret producing it; meshops: spec.rootCA).',
  severity: 'error',
  docs: {
    rationale:
      "Without istio-system/cacerts, each istiod generates its own self-signed root (Istio's plug-in CA task, https://istio.io/latest/docs/tasks/security/cert-management/plugin-ca-cert/), so workloads of different primaries get certificates no other primary's workloads trust, and every cross-cluster mTLS connection fails. Each primary needs its cacerts (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem), an intermediate CA signed by the mesh's one root, before istiod starts: istiod reads it at startup. The tree cannot show that the roots are the same, only that each primary has one; a mesh whose primaries share an external CA (e.g. istio-csr) turns this rule off in spec.policies.",
    bad: `# clusters/cluster1/istio-operator.yaml: a primary
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
# clusters/cluster2/istio-operator.yaml: another primary
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}`,
    good: `# clusters/cluster1/cacerts.yaml: an intermediate CA of the mesh's one root
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: cacerts, namespace: istio-system}
spec: {target: {name: cacerts}, dataFrom: [{extract: {key: istio/cacerts/cluster1}}]}
# clusters/cluster1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
# clusters/cluster2/cacerts.yaml: an intermediate CA of the mesh's one root
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: cacerts, namespace: istio-system}
spec: {target: {name: cacerts}, dataFrom: [{extract: {key: istio/cacerts/cluster2}}]}
# clusters/cluster2/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}`,
  },
  check({ mesh, report }) {
    if (mesh.primaries.length < 2) return;
    for (const primary of mesh.primaries) {
      if (primary.caCerts.length > 0) continue;
      const others = mesh.primaries.filter((p) => p !== primary).map((p) => p.name);
      report({
        doc: primary.iop!,
        path: globalPath('multiCluster', 'clusterName'),
        message:
          `primary "${primary.name}" has no istio-system/cacerts, so its istiod signs with its own self-signed root and workloads of ${listNames(others)} cannot authenticate its workloads; ` +
          'plug in an intermediate CA of the mesh\'s shared root (meshops: spec.rootCA)',
      });
    }
  },
};
