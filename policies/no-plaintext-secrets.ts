import { isSecret } from '../generator/validate/cluster-facts.js';
import { asObject } from '../generator/validate/json.js';
import type { Policy } from '../generator/validate/policy.js';

/** The project's promise: rendered output never contains credentials. */
export const noPlaintextSecrets: Policy = {
  id: 'no-plaintext-secrets',
  description: 'No Secret in the tree carries data or stringData: credentials do not belong in Git.',
  severity: 'error',
  docs: {
    rationale:
      'Everything the validator reads is meant to be committed and synced by Argo CD, and base64 in data is not encryption: a remote secret\'s kubeconfig in Git gives everyone who can read the repository the remote\'s API server. Keep the credential in a secret store and commit an ExternalSecret that fetches it (meshops: spec.remoteSecrets), or a sealed/encrypted form. The rule applies to every tree it validates, not only rendered/.',
    bad: `kind: Secret
metadata:
  name: istio-remote-secret-cls-ne1cw84b
  labels: {istio/multiCluster: "true"}
stringData:
  cls-ne1cw84b: |
    apiVersion: v1
    kind: Config
    users: [{name: cls-ne1cw84b, user: {token: eyJhbGciOi...}}]`,
    good: `kind: ExternalSecret
metadata: {name: istio-remote-secret-cls-ne1cw84b, namespace: istio-system}
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: vault}
  target: {template: {metadata: {labels: {istio/multiCluster: "true"}, annotations: {networking.istio.io/cluster: cls-ne1cw84b}}}}
  dataFrom: [{extract: {key: istio/remote-secrets/cls-ne1cw84b}}]`,
  },
  check({ mesh, report }) {
    for (const doc of mesh.docs) {
      if (!isSecret(doc)) continue;
      for (const field of ['data', 'stringData']) {
        const content = asObject(doc.object[field]);
        if (content && Object.keys(content).length > 0) {
          report({
            doc,
            path: [field],
            message: `Secret ${doc.name || '(unnamed)'} carries ${field} (${Object.keys(content).sort().join(', ')}) in Git; keep credentials in a secret store and commit an ExternalSecret instead`,
          });
        }
      }
    }
  },
};
