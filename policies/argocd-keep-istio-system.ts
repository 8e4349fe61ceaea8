import { KEEP_ON_DELETE, SYNC_OPTIONS } from '../generator/istio/argocd.js';
import { ISTIO_NAMESPACE } from '../generator/istio/names.js';
import { get, scalarText } from '../generator/json.js';
import { isApplication } from '../generator/validate/helm-charts.js';
import type { Policy } from '../generator/validate/policy.js';


/** Argo CD docs/user-guide/sync-options.md ("No Resource Deletion") and app_deletion.md. */
export const argocdKeepIstioSystem: Policy = {
  id: 'argocd-keep-istio-system',
  description: `Where Argo CD delivers the mesh, each cluster's ${ISTIO_NAMESPACE} Namespace carries ${SYNC_OPTIONS}: Delete=false.`,
  severity: 'error',
  docs: {
    rationale:
      "`argocd app delete` cascades by default: it adds the resources finalizer and deletes every object of the Application. Deleting the istio-system Namespace deletes everything in it, including what istioctl, istiod and the secret stores put there outside Git (istiod's CA secret, remote secrets, a plug-in cacerts), and with it the mesh's root of trust. Delete=false keeps the Namespace when its Application is deleted, cascade or not.",
    bad: `# argocd/application-primary1.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: primary1, namespace: argocd}
spec: {source: {repoURL: https://git.example.com/mesh.git, path: rendered/prod/clusters/primary1}}
# clusters/primary1/namespace.yaml
apiVersion: v1
kind: Namespace
metadata: {name: istio-system, labels: {topology.istio.io/network: net1}}`,
    good: `# argocd/application-primary1.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: primary1, namespace: argocd}
spec: {source: {repoURL: https://git.example.com/mesh.git, path: rendered/prod/clusters/primary1}}
# clusters/primary1/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: istio-system
  annotations: {argocd.argoproj.io/sync-options: Delete=false}
  labels: {topology.istio.io/network: net1}`,
  },
  check({ env, clusters, report }) {
    if (!env.shared.some((f) => f.docs.some(isApplication))) return;
    for (const facts of clusters) {
      const namespace = facts.istioSystemNamespace;
      if (!namespace) continue;
      const options = (scalarText(get(namespace.object, ['metadata', 'annotations', SYNC_OPTIONS])) ?? '').split(',').map((o) => o.trim());
      if (options.includes(KEEP_ON_DELETE)) continue;
      report({
        doc: namespace,
        path: ['metadata', 'annotations'],
        message: `Namespace ${ISTIO_NAMESPACE} of cluster "${facts.cluster.name}" lacks ${SYNC_OPTIONS}: ${KEEP_ON_DELETE}: \`argocd app delete\` (cascade by default) would delete it and everything in it`,
      });
    }
  },
};
