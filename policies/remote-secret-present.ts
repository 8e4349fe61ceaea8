import { MULTI_CLUSTER_LABEL, REMOTE_CLUSTER_ANNOTATION } from '../generator/istio/labels.js';
import { globalPath } from '../generator/validate/cluster-facts.js';
import { listNames } from '../generator/validate/wording.js';
import type { Policy } from '../generator/validate/policy.js';

/** Seed 000: `istioctl create-remote-secret --name=<remote>` on the primary, kept in Git as an ExternalSecret. */
export const remoteSecretPresent: Policy = {
  id: 'remote-secret-present',
  description:
    'When the environment keeps remote secrets in Git, every remote has one on its primary (with several primaries, every primary has one for every other cluster): an ExternalSecret whose target template, or a Secret, is labelled istio/multiCluster: "true" and annotated networking.istio.io/cluster: <cluster>.',
  severity: 'error',
  docs: {
    rationale:
      'istiod on a primary learns a remote\'s services and endpoints only through a remote secret (the remote\'s kubeconfig) labelled istio/multiCluster: "true" and annotated with the remote\'s clusterName. Without it the remote\'s pods get configuration but nothing in the mesh can reach them. The rule applies once any cluster of the environment carries a remote secret (meshops: spec.remoteSecrets); an environment with none creates them outside Git (istioctl create-remote-secret | kubectl apply), which the tree cannot show. So with a single remote and no secret at all the rule stays silent. With several primaries (multi-primary), each istiod discovers the endpoints of every other cluster, primaries included, so each primary needs a secret for every other cluster (Istio\'s multi-primary guides create the remote secret in both directions).',
    bad: `# clusters/primary1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
# clusters/remote1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {profile: remote}
# clusters/remote2/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {profile: remote}
# clusters/primary1/remote-secrets.yaml: remote1's only; remote2's is missing
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: istio-remote-secret-remote1, namespace: istio-system}
spec:
  target: {template: {metadata: {labels: {istio/multiCluster: "true"}, annotations: {networking.istio.io/cluster: remote1}}}}
  data: [{secretKey: remote1, remoteRef: {key: istio/remote-secrets/remote1}}]`,
    good: `# clusters/primary1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
# clusters/remote1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {profile: remote}
# clusters/remote2/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {profile: remote}
# clusters/primary1/remote-secrets.yaml: one per remote
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: istio-remote-secret-remote1, namespace: istio-system}
spec:
  target: {template: {metadata: {labels: {istio/multiCluster: "true"}, annotations: {networking.istio.io/cluster: remote1}}}}
  data: [{secretKey: remote1, remoteRef: {key: istio/remote-secrets/remote1}}]
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: istio-remote-secret-remote2, namespace: istio-system}
spec:
  target: {template: {metadata: {labels: {istio/multiCluster: "true"}, annotations: {networking.istio.io/cluster: remote2}}}}
  data: [{secretKey: remote2, remoteRef: {key: istio/remote-secrets/remote2}}]`,
  },
  check({ mesh, report }) {
    if (!mesh.clusters.some((c) => c.remoteSecrets.length > 0)) return;
    if (mesh.primaries.length > 1) {
      // Multi-primary: each istiod discovers the endpoints of every other cluster itself.
      for (const primary of mesh.primaries) {
        const missing = mesh.clusters.filter((c) => c !== primary && c.role !== undefined && !primary.remoteSecretFor.has(c.name));
        if (missing.length === 0) continue;
        report({
          doc: primary.iop!,
          path: globalPath('multiCluster', 'clusterName'),
          message:
            `primary "${primary.name}" has no remote secret for ${listNames(missing.map((c) => c.name))}; with ${mesh.primaries.length} primaries every istiod discovers every other cluster's endpoints itself: ` +
            `add an ExternalSecret per cluster (meshops: spec.remoteSecrets) labelled ${MULTI_CLUSTER_LABEL}: "true" and annotated ${REMOTE_CLUSTER_ANNOTATION}: <cluster>`,
        });
      }
      return;
    }
    for (const remote of mesh.remotes) {
      const primary = mesh.primaryOf(remote);
      const holders = primary ? [primary] : mesh.primaries;
      if (holders.some((p) => p.remoteSecretFor.has(remote.name))) continue;
      // The secret may be in a cluster whose IstioOperators single-istiooperator reports.
      if (!primary && !mesh.complete) continue;
      const where = primary ? `its primary "${primary.name}"` : 'any primary';
      report({
        doc: remote.iop!,
        path: globalPath('multiCluster', 'clusterName'),
        message:
          `remote "${remote.name}" has no remote secret on ${where}, so istiod cannot see its services; add an ExternalSecret (meshops: spec.remoteSecrets) ` +
          `labelled ${MULTI_CLUSTER_LABEL}: "true" and annotated ${REMOTE_CLUSTER_ANNOTATION}: ${remote.name}`,
      });
    }
  },
};
