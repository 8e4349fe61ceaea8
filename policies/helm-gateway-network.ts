import { REQUESTED_NETWORK_VIEW } from '../generator/istio/env-vars.js';
import { NETWORK_LABEL } from '../generator/istio/labels.js';
import { EAST_WEST_GATEWAY } from '../generator/istio/names.js';
import { globalPath } from '../generator/validate/cluster-facts.js';
import { asArray, asObject, get, scalarText } from '../generator/json.js';
import type { ManifestDoc } from '../generator/validate/manifests.js';
import type { Policy } from '../generator/validate/policy.js';

/**
 * What the east-west gateway's objects, as the chart renders them, say its network is. The pod
 * label is optional (Istio 1.24's chart does not set it: the proxy's network comes from the
 * istio-system Namespace label), but when set it must be the network.
 */
function statedNetworks(docs: readonly ManifestDoc[]): { what: string; value: string | undefined }[] {
  const out: { what: string; value: string | undefined }[] = [];
  for (const doc of docs) {
    if (doc.kind === 'Deployment') {
      const podLabel = scalarText(get(doc.object, ['spec', 'template', 'metadata', 'labels', NETWORK_LABEL]));
      if (podLabel !== undefined) out.push({ what: `Deployment ${doc.name} pod label ${NETWORK_LABEL}`, value: podLabel });
      for (const container of asArray(get(doc.object, ['spec', 'template', 'spec', 'containers']))) {
        const env = asArray(asObject(container)?.env).map(asObject).find((e) => e?.name === REQUESTED_NETWORK_VIEW);
        out.push({ what: `Deployment ${doc.name} env ${REQUESTED_NETWORK_VIEW}`, value: scalarText(env?.value) });
      }
    } else if (doc.kind === 'Service') {
      out.push({ what: `Service ${doc.name} label ${NETWORK_LABEL}`, value: scalarText(get(doc.object, ['metadata', 'labels', NETWORK_LABEL])) });
    }
  }
  return out;
}

/**
 * With --helm: the east-west gateway the gateway chart renders (networkGateway, or the release
 * istio-eastwestgateway) carries its cluster's network on its pods, its proxy's requested network
 * view and its Service, as the IstioOperator's east-west gateway component does.
 */
export const helmGatewayNetwork: Policy = {
  id: 'helm-gateway-network',
  description:
    "With --helm: the east-west gateway the gateway chart renders states its cluster's network (Service label topology.istio.io/network, ISTIO_META_REQUESTED_NETWORK_VIEW, and the pod label where set), as the cluster's IstioOperator says.",
  severity: 'error',
  docs: {
    rationale:
      "istiod finds a network's gateway by the topology.istio.io/network label of the gateway's Service and pods, and the gateway's proxy serves the network named in ISTIO_META_REQUESTED_NETWORK_VIEW. The gateway chart sets all three from networkGateway, but other values (labels, env, a chart of another version) can override or drop them, and helm-values-match only sees the values. This rule reads what helm template renders, so a gateway that would join the wrong network, or none, is caught before Argo CD applies it.",
    bad: `# argocd/application-c1.gateways.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c1.gateways, labels: {meshops.dev/cluster: c1}}
spec:
  sources:
  - repoURL: https://istio-release.storage.googleapis.com/charts
    chart: gateway
    helm: {releaseName: istio-eastwestgateway, valuesObject: {networkGateway: n1, labels: {topology.istio.io/network: n2}}}
# helm template argocd/application-c1.gateways.yaml: what the chart renders, in part
apiVersion: v1
kind: Service
metadata: {name: istio-eastwestgateway, labels: {topology.istio.io/network: n1}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-eastwestgateway}
spec:
  template:
    metadata: {labels: {app: istio-eastwestgateway, topology.istio.io/network: n2}}
    spec: {containers: [{name: istio-proxy, env: [{name: ISTIO_META_REQUESTED_NETWORK_VIEW, value: n1}]}]}
# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {network: n1}}}`,
    good: `# argocd/application-c1.gateways.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c1.gateways, labels: {meshops.dev/cluster: c1}}
spec:
  sources:
  - repoURL: https://istio-release.storage.googleapis.com/charts
    chart: gateway
    helm: {releaseName: istio-eastwestgateway, valuesObject: {networkGateway: n1}}
# helm template argocd/application-c1.gateways.yaml: what the chart renders, in part
apiVersion: v1
kind: Service
metadata: {name: istio-eastwestgateway, labels: {topology.istio.io/network: n1}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-eastwestgateway}
spec:
  template:
    metadata: {labels: {app: istio-eastwestgateway}}
    spec: {containers: [{name: istio-proxy, env: [{name: ISTIO_META_REQUESTED_NETWORK_VIEW, value: n1}]}]}
# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {network: n1}}}`,
  },
  check({ env, clusters, report }) {
    for (const render of env.charts ?? []) {
      const { source } = render;
      if (source.chart !== 'gateway') continue;
      if (source.values.networkGateway === undefined && source.releaseName !== EAST_WEST_GATEWAY) continue;
      const facts = clusters.find((c) => c.name === source.cluster || c.cluster.name === source.cluster);
      const network = scalarText(facts?.network);
      if (!facts?.iop || network === undefined) continue; // network-match and single-istiooperator report it
      for (const stated of statedNetworks(render.docs)) {
        if (stated.value === network) continue;
        report({
          doc: source.app,
          cluster: facts.cluster.name,
          path: source.valuesPath,
          message:
            `the ${source.chart} chart (release ${source.releaseName}) renders ${stated.what} ${stated.value === undefined ? 'unset' : `"${stated.value}"`}, ` +
            `but cluster "${facts.cluster.name}" is on network "${network}" (${facts.iop.file.path}:${facts.iop.file.lineOf(facts.iop.index, globalPath('network')) ?? 1}): ` +
            'istiod would not route cross-network traffic through this gateway',
        });
      }
    }
  },
};
