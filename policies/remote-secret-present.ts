import { MULTI_CLUSTER_LABEL, REMOTE_CLUSTER_ANNOTATION } from '../generator/istio/labels.js';
import { globalPath } from '../generator/validate/cluster-facts.js';
import type { Policy } from '../generator/validate/policy.js';

/** Seed 000: `istioctl create-remote-secret --name=<remote>` on the primary, kept in Git as an ExternalSecret. */
export const remoteSecretPresent: Policy = {
  id: 'remote-secret-present',
  description:
    'When the environment keeps remote secrets in Git, every remote has one on its primary: an ExternalSecret whose target template, or a Secret, is labelled istio/multiCluster: "true" and annotated networking.istio.io/cluster: <remote>.',
  severity: 'error',
  docs: {
    rationale:
      'istiod on a primary learns a remote\'s services and endpoints only through a remote secret (the remote\'s kubeconfig) labelled istio/multiCluster: "true" and annotated with the remote\'s clusterName. Without it the remote\'s pods get configuration but nothing in the mesh can reach them. The rule applies once any cluster of the environment carries a remote secret (meshops: spec.remoteSecrets); an environment with none creates them outside Git (istioctl create-remote-secret | kubectl apply), which the tree cannot show. So with a single remote and no secret at all the rule stays silent.',
    bad: `# clusters/primary1/externalsecret.yaml: secrets for remote1 only, remote2 is missing
kind: ExternalSecret
metadata: {name: istio-remote-secret-remote1, namespace: istio-system}
spec:
  target:
    template:
      metadata:
        labels: {istio/multiCluster: "true"}
        annotations: {networking.istio.io/cluster: remote1}`,
    good: `# clusters/primary1/externalsecret.yaml: one per remote
kind: ExternalSecret
metadata: {name: istio-remote-secret-remote1, namespace: istio-system}
spec: {target: {template: {metadata: {labels: {istio/multiCluster: "true"}, annotations: {networking.istio.io/cluster: remote1}}}}}
---
kind: ExternalSecret
metadata: {name: istio-remote-secret-remote2, namespace: istio-system}
spec: {target: {template: {metadata: {labels: {istio/multiCluster: "true"}, annotations: {networking.istio.io/cluster: remote2}}}}}`,
  },
  check({ mesh, report }) {
    if (!mesh.clusters.some((c) => c.remoteSecrets.length > 0)) return;
    for (const remote of mesh.remotes) {
      const primary = mesh.primaryOf(remote);
      const holders = primary ? [primary] : mesh.primaries;
      if (holders.some((p) => p.remoteSecrets.some((s) => s.remote === remote.name))) continue;
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
