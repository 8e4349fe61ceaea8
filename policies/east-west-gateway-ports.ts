import { CROSS_NETWORK_PORT, ISTIOD_WEBHOOK_PORT, ISTIOD_XDS_PORT } from '../generator/istio/ports.js';
import { eastWestPath } from '../generator/validate/cluster-facts.js';
import { scalarText } from '../generator/json.js';
import { listNames } from '../generator/validate/wording.js';
import type { Policy } from '../generator/validate/policy.js';

/** istiod's ports a primary's east-west gateway Service must expose to remotes and VMs (Istio's gen-eastwest-gateway). */
const ISTIOD_PORTS = [
  { port: String(ISTIOD_XDS_PORT), what: 'istiod XDS and CA' },
  { port: String(ISTIOD_WEBHOOK_PORT), what: 'istiod webhook' },
];

/** Seeds 000 and 003: the east-west gateway Service carries 15443 across networks and 15012/15017 for istiod. */
export const eastWestGatewayPorts: Policy = {
  id: 'east-west-gateway-ports',
  description:
    'An east-west gateway\'s Service forwards to 15443 when the mesh spans several networks, and exposes 15012 and 15017 on a primary that remotes or VMs reach istiod through.',
  severity: 'error',
  docs: {
    rationale:
      'Cross-network traffic arrives on the gateway\'s 15443 listener (the cross-network-gateway, mTLS AUTO_PASSTHROUGH); remotes and VMs reach istiod through the gateway on 15012 (XDS and certificates) and 15017 (the injection and validation webhooks). A Service without those ports leaves the load balancer closed to them, and remotes or other networks cannot connect.',
    bad: `# clusters/primary1/istio-operator.yaml: remotes reach this istiod at its east-west gateway
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system, annotations: {meshops.dev/istiod-address: 10.0.0.10}}
spec:
  components:
    ingressGateways:
    - name: istio-eastwestgateway
      enabled: true
      k8s:
        service:
          ports:
          - {name: status-port, port: 15021, targetPort: 15021}
          - {name: tls, port: 15443, targetPort: 15443}`,
    good: `# clusters/primary1/istio-operator.yaml: remotes reach this istiod at its east-west gateway
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system, annotations: {meshops.dev/istiod-address: 10.0.0.10}}
spec:
  components:
    ingressGateways:
    - name: istio-eastwestgateway
      enabled: true
      k8s:
        service:
          ports:
          - {name: status-port, port: 15021, targetPort: 15021}
          - {name: tls, port: 15443, targetPort: 15443}
          - {name: tls-istiod, port: 15012, targetPort: 15012}
          - {name: tls-webhook, port: 15017, targetPort: 15017}`,
  },
  check({ clusters, mesh, report }) {
    for (const c of clusters) {
      const ew = c.eastWestGateway;
      if (!c.iop || !ew) continue;
      const path = eastWestPath(ew, 'k8s', 'service', 'ports');
      // A Service port without targetPort forwards to the same number.
      const targets = new Set(ew.servicePorts.map((p) => scalarText(p.targetPort) ?? scalarText(p.port)));
      const ports = new Set(ew.servicePorts.map((p) => scalarText(p.port)));
      if (mesh.multiNetwork && !targets.has(String(CROSS_NETWORK_PORT))) {
        report({
          doc: c.iop,
          path,
          message: `cluster "${c.name}": the east-west gateway Service has no port forwarding to ${CROSS_NETWORK_PORT} (cross-network mTLS), which the mesh's networks ${listNames(mesh.networks)} need`,
        });
      }
      if (mesh.exposesIstiod(c)) {
        const missing = ISTIOD_PORTS.filter((p) => !ports.has(p.port));
        if (missing.length > 0) {
          report({
            doc: c.iop,
            path,
            message: `cluster "${c.name}" exposes istiod to remotes or VMs, but its east-west gateway Service lacks ${missing.map((p) => `${p.port} (${p.what})`).join(' and ')}`,
          });
        }
      }
    }
  },
};
