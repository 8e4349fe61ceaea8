import { crossNetworkServer } from '../generator/validate/gateways.js';
import { get, scalarText } from '../generator/json.js';
import type { Policy } from '../generator/validate/policy.js';

/** Seed 004 (multi-network): the east-west gateway also carries the VM's traffic to the mesh's services. */
export const vmCrossNetworkGateway: Policy = {
  id: 'vm-cross-network-gateway',
  description:
    "A WorkloadGroup on another network than its cluster's (spec.template.network) has, on the cluster's network, an east-west gateway serving cross-network traffic (15443, TLS AUTO_PASSTHROUGH).",
  severity: 'error',
  docs: {
    rationale:
      "A VM on its own network cannot reach pod addresses: istiod sends it the east-west gateway of each service's network instead, and the VM's mTLS connections go to that gateway's port 15443, which forwards them by SNI only when a Gateway with tls.mode AUTO_PASSTHROUGH selects it (Istio's expose-services). A VM-only network has no gateway of its own, so its cluster's network must have one. When the clusters themselves span several networks, cross-network-gateway checks every east-west gateway's Gateway; this rule then reports only a cluster network without any east-west gateway.",
    bad: `# clusters/cluster1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  components: {ingressGateways: [{name: istio-eastwestgateway, enabled: true, label: {istio: eastwestgateway}}]}
  values: {global: {network: kube-network}}
# clusters/cluster1/workloadgroup.yaml: a VM on a network of its own
apiVersion: networking.istio.io/v1beta1
kind: WorkloadGroup
metadata: {name: demo, namespace: vm}
spec: {template: {serviceAccount: vm, network: vm-network}}`,
    good: `# clusters/cluster1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  components: {ingressGateways: [{name: istio-eastwestgateway, enabled: true, label: {istio: eastwestgateway}}]}
  values: {global: {network: kube-network}}
# clusters/cluster1/workloadgroup.yaml: a VM on a network of its own
apiVersion: networking.istio.io/v1beta1
kind: WorkloadGroup
metadata: {name: demo, namespace: vm}
spec: {template: {serviceAccount: vm, network: vm-network}}
# clusters/cluster1/gateway.yaml: Istio's samples/multicluster/expose-services.yaml
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: cross-network-gateway, namespace: istio-system}
spec:
  selector: {istio: eastwestgateway}
  servers: [{port: {name: tls, number: 15443, protocol: TLS}, tls: {mode: AUTO_PASSTHROUGH}, hosts: ["*.local"]}]`,
  },
  check({ clusters, mesh, report }) {
    for (const facts of clusters) {
      const clusterNetwork = scalarText(facts.network);
      for (const group of facts.workloadGroups) {
        const network = scalarText(get(group.object, ['spec', 'template', 'network']));
        if (network === undefined || clusterNetwork === undefined || network === clusterNetwork) continue;
        const onNetwork = clusters.filter((c) => scalarText(c.network) === clusterNetwork);
        // The Gateway that serves a remote's east-west gateway is on its primary.
        const servesVms = (c: (typeof clusters)[number]) => {
          const config = mesh.configClusterOf(c);
          return config !== undefined && crossNetworkServer(c, config) !== undefined;
        };
        const served = mesh.multiNetwork ? onNetwork.some((c) => c.eastWestGateway) : onNetwork.some(servesVms);
        if (served) continue;
        report({
          doc: group,
          path: ['spec', 'template', 'network'],
          message:
            `WorkloadGroup ${group.namespace ?? 'default'}/${group.name} is on network "${network}", but no cluster on "${clusterNetwork}" (cluster "${facts.name}"'s network) has an east-west gateway with a cross-network Gateway ` +
            '(port 15443, tls.mode AUTO_PASSTHROUGH); the VM cannot reach services on that network',
        });
      }
    }
  },
};
