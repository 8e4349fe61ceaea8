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
    'When the mesh spans several networks, every cluster with an east-west gateway has a Gateway (cross-network-gateway) serving port 15443 with TLS AUTO_PASSTHROUGH on it.',
  severity: 'error',
  docs: {
    rationale:
      'Traffic from another network arrives at the east-west gateway\'s 15443 and is forwarded by its SNI to the target pod, mTLS intact. That listener exists only when a Gateway with tls.mode AUTO_PASSTHROUGH on 15443 selects the east-west gateway (Istio\'s expose-services sample). Without it the gateway resets cross-network connections and services on this cluster are unreachable from the other networks.',
    bad: `# clusters/mdemo-cluster2/ (network-c2 of a three-network mesh)
istio-operator.yaml   # east-west gateway
namespace.yaml`,
    good: `# clusters/mdemo-cluster2/gateway.yaml
kind: Gateway
metadata: {name: cross-network-gateway, namespace: istio-system}
spec:
  selector: {istio: eastwestgateway}
  servers:
  - port: {name: tls, number: 15443, protocol: TLS}
    tls: {mode: AUTO_PASSTHROUGH}
    hosts: ["*.local"]`,
  },
  check({ clusters, mesh, report }) {
    if (!mesh.multiNetwork) return;
    for (const c of clusters) {
      const ew = c.eastWestGateway;
      if (!c.iop || !ew || crossNetworkServer(c)) continue;
      // Hand-written trees may name it otherwise; what matters is the AUTO_PASSTHROUGH server.
      const gateway =
        meshObject(c, 'Gateway', CROSS_NETWORK_GATEWAY) ??
        c.meshObjects.find((d) => d.kind === 'Gateway' && gatewayServers(d).some(servesCrossNetwork));
      if (!gateway) {
        report({
          doc: c.iop,
          path: eastWestPath(ew),
          message: `cluster "${c.name}" has an east-west gateway in a mesh spanning networks ${listNames(mesh.networks)} but no Gateway ${CROSS_NETWORK_GATEWAY} (15443, AUTO_PASSTHROUGH); other networks cannot reach its services`,
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
