import { asArray, asObject, get } from '../generator/json.js';
import { istioOperatorDocs } from '../generator/validate/istio-operators.js';
import type { JsonObject } from '../generator/validate/manifests.js';
import type { Policy } from '../generator/validate/policy.js';
import type { FieldPath } from '../generator/findings.js';

/**
 * istioctl's CheckServicePorts / validateGateways (operator/apis/istio/v1alpha1/validation/
 * validation.go 1.15-1.23, checkServicePorts in operator/apis/validation/validation.go 1.24+): a
 * gateway Service port whose targetPort is below 1024 (or unset, with the port itself at most 1024)
 * needs values.gateways.istio-<ingress|egress>gateway.runAsRoot. Named target ports are not checked.
 */
function privileged(port: JsonObject): { port: unknown; targetPort: number } | undefined {
  if (typeof port.targetPort === 'string') return undefined;
  const targetPort = typeof port.targetPort === 'number' ? port.targetPort : 0;
  const number = typeof port.port === 'number' ? port.port : Number(port.port);
  if (targetPort === 0 && number > 1024) return undefined;
  return targetPort < 1024 ? { port: port.port, targetPort } : undefined;
}

const KINDS = [
  { components: 'ingressGateways', values: 'istio-ingressgateway' },
  { components: 'egressGateways', values: 'istio-egressgateway' },
] as const;

export const gatewayPrivilegedPort: Policy = {
  id: 'gateway-privileged-port',
  description: 'A gateway Service port whose targetPort is below 1024 needs values.gateways.<gateway>.runAsRoot: true (istioctl refuses it otherwise).',
  severity: 'error',
  docs: {
    rationale:
      'Istio\'s gateways run as a non-root user, which cannot bind ports below 1024. istioctl therefore refuses a gateway port whose targetPort is privileged unless runAsRoot is set for that gateway kind; a port 80 or 443 copied without a targetPort (which then defaults to the port) is the usual case.',
    bad: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  components:
    ingressGateways:
    - name: istio-ingressgateway
      k8s: {service: {ports: [{name: http2, port: 80}]}}`,
    good: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  components:
    ingressGateways:
    - name: istio-ingressgateway
      k8s: {service: {ports: [{name: http2, port: 80, targetPort: 8080}]}}`,
  },
  check({ env, report }) {
    for (const { doc, spec } of istioOperatorDocs(env)) {
      for (const kind of KINDS) {
        const gatewayValues = asObject(get(spec, ['values', 'gateways', kind.values]));
        const found: { path: FieldPath; port: unknown; targetPort: number; gateway: string }[] = [];
        if (gatewayValues?.runAsRoot !== true) {
          asArray(get(spec, ['components', kind.components])).forEach((gateway, g) => {
            asArray(get(gateway, ['k8s', 'service', 'ports'])).forEach((entry, p) => {
              const hit = asObject(entry) && privileged(asObject(entry)!);
              if (hit) found.push({ path: ['spec', 'components', kind.components, g, 'k8s', 'service', 'ports', p, hit.targetPort ? 'targetPort' : 'port'], ...hit, gateway: String(asObject(gateway)?.name ?? `${kind.components}[${g}]`) });
            });
          });
        }
        // values.gateways.istio-ingressgateway.ingressPorts: checked whatever runAsRoot says, and only
        // where port and targetPort are numbers (istioctl reads them from a Struct).
        if (kind.values === 'istio-ingressgateway') {
          asArray(gatewayValues?.ingressPorts).forEach((entry, p) => {
            const port = asObject(entry);
            if (!port || typeof port.port !== 'number' || (port.targetPort !== undefined && port.targetPort !== null && typeof port.targetPort !== 'number')) return;
            const hit = privileged(port);
            if (hit) found.push({ path: ['spec', 'values', 'gateways', kind.values, 'ingressPorts', p, hit.targetPort ? 'targetPort' : 'port'], ...hit, gateway: kind.values });
          });
        }
        for (const { path, port, targetPort, gateway } of found) {
          report({
            doc,
            path,
            message: `gateway "${gateway}" port ${String(port)} has targetPort ${targetPort || `unset (so ${String(port)})`}, below 1024, which needs root: set a targetPort above 1024, or values.gateways.${kind.values}.runAsRoot: true`,
          });
        }
      }
    }
  },
};
