import { MULTI_CLUSTER_LABEL, REMOTE_CLUSTER_ANNOTATION } from '../generator/istio/labels.js';
import { listNames } from '../generator/validate/wording.js';
import type { Policy } from '../generator/validate/policy.js';

/**
 * istiod reads a remote secret key by key: each data key is a cluster ID, its value that cluster's
 * kubeconfig (istio/istio pkg/kube/multicluster/secretcontroller.go, `for clusterID, kubeConfig :=
 * range s.Data`).
 */
export const remoteSecretKey: Policy = {
  id: 'remote-secret-key',
  description:
    'A remote secret (labelled istio/multiCluster: "true") has exactly one data key, the cluster its networking.istio.io/cluster annotation names: istiod takes every data key as a cluster ID.',
  severity: 'error',
  docs: {
    rationale:
      "istiod's secret controller reads every data key of a remote secret as a cluster ID and its value as that cluster's kubeconfig. An ExternalSecret that copies the store's properties (dataFrom extract) names clusters after the store's field names (\"kubeconfig\", \"config\"): istiod registers a cluster by that name, endpoints are attributed to a cluster no meshNetworks entry or controlPlaneClusters annotation names, and a second secret with the same property name collides with the first. `istioctl create-remote-secret --name=<cluster>` writes one key, the cluster's name; the ExternalSecret must produce the same (data[].secretKey: <cluster>, or a template with that one key). The store's value at the key is that cluster's kubeconfig.",
    bad: `# clusters/primary1/remote-secret.yaml
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: istio-remote-secret-remote1, namespace: istio-system}
spec:
  target: {template: {metadata: {labels: {istio/multiCluster: "true"}, annotations: {networking.istio.io/cluster: remote1}}}}
  dataFrom: [{extract: {key: istio/remote-secrets/remote1}}]   # keys are the store's property names`,
    good: `# clusters/primary1/remote-secret.yaml
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: istio-remote-secret-remote1, namespace: istio-system}
spec:
  target: {template: {metadata: {labels: {istio/multiCluster: "true"}, annotations: {networking.istio.io/cluster: remote1}}}}
  data: [{secretKey: remote1, remoteRef: {key: istio/remote-secrets/remote1}}]   # the store's value: remote1's kubeconfig`,
  },
  check({ clusters, report }) {
    for (const facts of clusters) {
      for (const secret of facts.remoteSecrets) {
        const { doc, remote, keys, keysPath } = secret;
        const what = `${doc.kind} ${doc.name} (${MULTI_CLUSTER_LABEL}, ${REMOTE_CLUSTER_ANNOTATION}: ${remote})`;
        if (keys === undefined) {
          // A Secret whose data is filled elsewhere states no keys to check.
          if (doc.kind === 'Secret') continue;
          report({
            doc,
            path: keysPath,
            message: `${what} takes its data keys from the store (dataFrom), but istiod reads each key as a cluster ID; produce exactly one key "${remote}" (data[].secretKey: ${remote})`,
          });
        } else if (keys.length !== 1 || keys[0] !== remote) {
          report({
            doc,
            path: keysPath,
            message:
              `${what} has data key${keys.length === 1 ? '' : 's'} ${keys.length > 0 ? listNames(keys) : '(none)'}, but istiod reads each key as a cluster ID and its value as that cluster's kubeconfig; ` +
              `it needs exactly one key, "${remote}"`,
          });
        }
      }
    }
  },
};
