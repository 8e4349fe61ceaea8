import { findCredential } from '../generator/credentials.js';
import { asObject } from '../generator/json.js';
import type { ManifestDoc } from '../generator/validate/manifests.js';
import type { Policy, PolicyFinding } from '../generator/validate/policy.js';

/** A Secret's content fields; an object of `kind: List` carries its objects in items. */
function secretContents(object: Record<string, unknown>, doc: ManifestDoc, at: (string | number)[]): PolicyFinding[] {
  if (object.kind === 'List' && Array.isArray(object.items)) {
    return object.items.flatMap((item, i) => (asObject(item) ? secretContents(asObject(item)!, doc, [...at, 'items', i]) : []));
  }
  if (object.kind !== 'Secret' || object.apiVersion !== 'v1') return [];
  const name = typeof asObject(object.metadata)?.name === 'string' ? (asObject(object.metadata)!.name as string) : '(unnamed)';
  return ['data', 'stringData'].flatMap((field) => {
    const content = asObject(object[field]);
    if (!content || Object.keys(content).length === 0) return [];
    return [
      {
        doc,
        path: [...at, field],
        message: `Secret ${name} carries ${field} (${Object.keys(content).sort().join(', ')}) in Git; keep credentials in a secret store and commit an ExternalSecret instead`,
      },
    ];
  });
}

/** The project's promise: rendered output never contains credentials. */
export const noPlaintextSecrets: Policy = {
  id: 'no-plaintext-secrets',
  description: 'No Secret in the tree carries data or stringData, and no file holds a credential (a private key, a kubeconfig token, a JWT, a cloud key): credentials do not belong in Git.',
  severity: 'error',
  docs: {
    rationale:
      'Everything the validator reads is meant to be committed and synced by Argo CD, and base64 in data is not encryption: a remote secret\'s kubeconfig in Git gives everyone who can read the repository the remote\'s API server. Keep the credential in a secret store and commit an ExternalSecret that fetches it (meshops: spec.remoteSecrets), or a sealed/encrypted form. The rule applies to every tree it validates, not only rendered/, and reads every file in it (any kind, kind: List items, vms/, files beside the manifests) for the shapes credentials are written in: PEM private keys, kubeconfig tokens and client keys, JSON Web Tokens, AWS, GCP and Azure keys.',
    bad: `# clusters/primary1/remote-secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: istio-remote-secret-remote1
  namespace: istio-system
  labels: {istio/multiCluster: "true"}
  annotations: {networking.istio.io/cluster: remote1}
stringData:
  remote1: |
    apiVersion: v1
    kind: Config
    users: [{name: remote1, user: {token: eyJhbGciOi...}}]`,
    good: `# clusters/primary1/remote-secret.yaml
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: istio-remote-secret-remote1, namespace: istio-system}
spec:
  target: {template: {metadata: {labels: {istio/multiCluster: "true"}, annotations: {networking.istio.io/cluster: remote1}}}}
  data: [{secretKey: remote1, remoteRef: {key: istio/remote-secrets/remote1}}]`,
  },
  check({ env, mesh, report }) {
    for (const doc of mesh.docs) for (const finding of secretContents(doc.object, doc, [])) report(finding);
    // Every file's text, whatever it holds: a kubeconfig in a ConfigMap, an inline token in an
    // ExternalSecret template, a key in a VM file are as committed as a Secret.
    const files = [...env.clusters.flatMap((c) => c.files), ...env.shared, ...env.other];
    for (const file of files) {
      const found = findCredential(file.text);
      if (!found) continue;
      const line = file.text.slice(0, found.offset).split('\n').length;
      report({ file: file.path, line, message: `holds what looks like ${found.shape} in Git; keep credentials in a secret store (an ExternalSecret fetches them)` });
    }
  },
};
