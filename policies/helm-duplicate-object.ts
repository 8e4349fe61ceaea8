import type { ChartRender, ManifestDoc } from '../generator/validate/manifests.js';
import type { Policy } from '../generator/validate/policy.js';

/** Who renders an object: a chart source, or the cluster's kustomize root. */
type Owner = { render: ChartRender } | { file: string };

function ownerText(owner: Owner): string {
  return 'render' in owner
    ? `the ${owner.render.source.chart} chart (release ${owner.render.source.releaseName}) of Application "${owner.render.source.app.name}"`
    : `the kustomize root (${owner.file})`;
}

function key(doc: ManifestDoc): string {
  const group = doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : '';
  return `${group}/${doc.kind}/${doc.namespace ?? ''}/${doc.name}`;
}

/**
 * With --helm: every object Argo CD applies to a cluster comes from one place. Two Applications
 * (or two sources of one) rendering the same object fight over it: each sync overwrites the
 * other's version, and deleting either deletes the object both need.
 */
export const helmDuplicateObject: Policy = {
  id: 'helm-duplicate-object',
  description: "With --helm: no object (kind, namespace, name) is rendered twice for one cluster, by two charts or by a chart and the cluster's kustomize root.",
  severity: 'error',
  docs: {
    rationale:
      "Argo CD tracks each object under one Application. When two charts, or a chart and the kustomize root, render the same object, the Applications report each other's object as out of sync, selfHeal makes them overwrite it in turn, and pruning or deleting one Application removes what the other installs. The usual cause is installing a gateway twice (two releases of the gateway chart with one name) or adding an object by hand that a chart already renders, such as the istio-system Namespace or istiod's Service.",
    bad: `# argocd/application-c1.gateways.yaml: two releases of the gateway chart with one name
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c1.gateways, labels: {meshops.dev/cluster: c1}}
spec:
  destination: {namespace: istio-system}
  sources:
  - {repoURL: https://istio-release.storage.googleapis.com/charts, chart: gateway, helm: {releaseName: istio-eastwestgateway, valuesObject: {networkGateway: n1}}}
  - {repoURL: https://istio-release.storage.googleapis.com/charts, chart: gateway, helm: {releaseName: istio-eastwestgateway}}
# helm template argocd/application-c1.gateways.yaml sources[0]
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-eastwestgateway, namespace: istio-system}
# helm template argocd/application-c1.gateways.yaml sources[1]
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-eastwestgateway, namespace: istio-system}`,
    good: `# argocd/application-c1.gateways.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c1.gateways, labels: {meshops.dev/cluster: c1}}
spec:
  destination: {namespace: istio-system}
  sources:
  - {repoURL: https://istio-release.storage.googleapis.com/charts, chart: gateway, helm: {releaseName: istio-eastwestgateway, valuesObject: {networkGateway: n1}}}
# helm template argocd/application-c1.gateways.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-eastwestgateway, namespace: istio-system}`,
  },
  check({ env, report }) {
    const byCluster = new Map<string, Map<string, Owner>>();
    const seen = (cluster: string) => {
      let owners = byCluster.get(cluster);
      if (!owners) {
        owners = new Map();
        const tree = env.clusters.find((c) => c.name === cluster);
        // The kustomize root as Argo CD builds it: the IstioOperator beside it is never applied.
        for (const doc of tree?.docs ?? []) if (doc.kind !== 'IstioOperator' && doc.kind !== 'Kustomization' && !owners.has(key(doc))) owners.set(key(doc), { file: doc.file.path });
        byCluster.set(cluster, owners);
      }
      return owners;
    };
    for (const render of env.charts ?? []) {
      if (render.source.cluster === undefined) continue;
      const owners = seen(render.source.cluster);
      for (const doc of render.docs) {
        const first = owners.get(key(doc));
        if (!first) {
          owners.set(key(doc), { render });
          continue;
        }
        report({
          doc: render.source.app,
          cluster: render.source.cluster,
          path: render.source.valuesPath,
          message: `${doc.kind} ${doc.namespace ? `${doc.namespace}/` : ''}${doc.name} is rendered by ${ownerText({ render })} and by ${ownerText(first)}: Argo CD would apply it twice and the two would undo each other`,
        });
      }
    }
  },
};
