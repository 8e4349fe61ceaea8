import { CROSS_NETWORK_GATEWAY } from '../generator/istio/names.js';
import { CROSS_NETWORK_PORT } from '../generator/istio/ports.js';
import { eastWestPath } from '../generator/validate/cluster-facts.js';
import { crossNetworkServer, gatewayServers, meshObject, selectsEastWestGateway, servesCrossNetwork } from '../generator/validate/gateways.js';
import { labelList, listNames } from '../generator/validate/wording.js';
import type { Policy } from '../generator/validate/policy.js';

/** Seed 003 and Istio's samples/multicluster/expose-services.yaml: services cross networks through 15443. */
export const crossNetworkGateway: Policy = {
  id: 'cross-network-gateway',
  description:
    "When the mesh spans several networks, every east-west gateway is selected by a Gateway (cross-network-gateway) serving port 15443 with TLS AUTO_PASSTHROUGH, in its cluster's directory for a primary, in its primary's for a remote.",
  severity: 'error',
  docs: {
    rationale:
      'Traffic from another network arrives at the east-west gateway\'s 15443 and is forwarded by its SNI to the target pod, mTLS intact. That listener exists only when a Gateway with tls.mode AUTO_PASSTHROUGH on 15443 selects the east-west gateway (Istio\'s expose-services sample). Without it the gateway resets cross-network connections and services on this cluster are unreachable from the other networks. The Gateway is configuration, read by the istiod that configures the gateway: a remote\'s east-west gateway is served by its primary, which holds the Gateway (Istio applies expose-services.yaml on the primary; see config-on-remote).',
    bad: `# clusters/mdemo-cluster1/istio-operator.yaml: network-c1 of a mesh with network-c2
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  components: {ingressGateways: [{name: istio-eastwestgateway, enabled: true, label: {istio: eastwestgateway}}]}
  values: {global: {network: network-c1, meshNetworks: {network-c2: {gateways: [{address: 10.6.136.29, port: 15443}]}}}}`,
    good: `# clusters/mdemo-cluster1/istio-operator.yaml: network-c1 of a mesh with network-c2
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  components: {ingressGateways: [{name: istio-eastwestgateway, enabled: true, label: {istio: eastwestgateway}}]}
  values: {global: {network: network-c1, meshNetworks: {network-c2: {gateways: [{address: 10.6.136.29, port: 15443}]}}}}
# clusters/mdemo-cluster1/gateway.yaml: Istio's samples/multicluster/expose-services.yaml
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: cross-network-gateway, namespace: istio-system}
spec:
  selector: {istio: eastwestgateway}
  servers: [{port: {name: tls, number: 15443, protocol: TLS}, tls: {mode: AUTO_PASSTHROUGH}, hosts: ["*.local"]}]`,
  },
  check({ clusters, mesh, report }) {
    if (!mesh.multiNetwork) return;
    for (const c of clusters) {
      const ew = c.eastWestGateway;
      // A remote no primary serves is remote-pilot-address's finding: no istiod configures its gateway.
      const config = mesh.configClusterOf(c);
      if (!c.iop || !ew || !config || crossNetworkServer(c, config)) continue;
      // Hand-written trees may name it otherwise; what matters is the AUTO_PASSTHROUGH server.
      const gateway =
        meshObject(config, 'Gateway', CROSS_NETWORK_GATEWAY) ??
        config.meshObjects.find((d) => d.kind === 'Gateway' && gatewayServers(d).some(servesCrossNetwork));
      if (!gateway) {
        const where = config === c ? '' : ` on its primary "${config.name}"`;
        report({
          doc: c.iop,
          path: eastWestPath(ew),
          message: `cluster "${c.name}" has an east-west gateway in a mesh spanning networks ${listNames(mesh.networks)} but no Gateway ${CROSS_NETWORK_GATEWAY} (15443, AUTO_PASSTHROUGH)${where}; other networks cannot reach its services`,
        });
        continue;
      }
      if (!gatewayServers(gateway).some(servesCrossNetwork)) {
        report({ doc: gateway, path: ['spec', 'servers'], message: `Gateway ${gateway.name} has no server on port ${CROSS_NETWORK_PORT} with tls.mode AUTO_PASSTHROUGH` });
      }
      if (!selectsEastWestGateway(gateway, ew)) {
        report({ doc: gateway, path: ['spec', 'selector'], message: `Gateway ${gateway.name} does not select the east-west gateway (labels ${labelList(ew.labels)})` });
      }
    }
  },
};
