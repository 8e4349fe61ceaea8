import { LOAD_BALANCER_ANNOTATIONS } from '../generator/istio/providers.js';
import { eastWestPath } from '../generator/validate/cluster-facts.js';
import { scalarText } from '../generator/json.js';
import type { Policy } from '../generator/validate/policy.js';

const PRIVATE = LOAD_BALANCER_ANNOTATIONS.filter((a) => a.keepsPrivate);

/** The annotation that makes a Service's load balancer internal, if any. */
export function internalAnnotation(annotations: Readonly<Record<string, unknown>>): string | undefined {
  return PRIVATE.find(({ key, value }) => {
    const stated = scalarText(annotations[key]);
    return stated !== undefined && (value === undefined || stated.toLowerCase() === value.toLowerCase());
  })?.key;
}

const known = PRIVATE.map((a) => `${a.provider}: ${a.key}${a.value ? `: "${a.value}"` : ''}`).join('; ');

/** Seed 000: on TKE a LoadBalancer Service gets a public CLB unless annotated; an east-west gateway must not be public. */
export const eastWestGatewayInternal: Policy = {
  id: 'east-west-gateway-internal',
  description: "An east-west gateway's LoadBalancer Service carries an annotation that makes its load balancer internal.",
  severity: 'warning',
  docs: {
    rationale:
      'Most clouds give a LoadBalancer Service a public address unless an annotation says otherwise, and an east-west gateway exposes istiod (15012, 15017) and every service of the network (15443) to whoever reaches it. The rule knows these annotations (' +
      known +
      '). meshops writes them from provider and eastWestGateway.loadBalancer; with provider generic, or loadBalancer.internal: false, it writes none and the rule warns. Where LoadBalancer Services are private anyway (on-premises without a provider preset), add the annotation under eastWestGateway.annotations or set spec.policies: {east-west-gateway-internal: off} for that environment. Services of type NodePort or ClusterIP are not checked.',
    bad: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  components:
    ingressGateways:
    - name: istio-eastwestgateway
      enabled: true
      k8s:
        service: {ports: [{name: tls, port: 15443}]}`,
    good: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  components:
    ingressGateways:
    - name: istio-eastwestgateway
      enabled: true
      k8s:
        serviceAnnotations:
          service.kubernetes.io/tke-existed-lbid: lb-lujb6a5a   # an internal CLB
        service: {ports: [{name: tls, port: 15443}]}`,
  },
  check({ clusters, report }) {
    for (const c of clusters) {
      const ew = c.eastWestGateway;
      if (!c.iop || !ew || ew.serviceType !== 'LoadBalancer' || internalAnnotation(ew.serviceAnnotations)) continue;
      report({
        doc: c.iop,
        path: eastWestPath(ew, 'k8s', 'serviceAnnotations'),
        message:
          `cluster "${c.name}": no annotation makes the east-west gateway's load balancer internal, so most clouds make it public and expose istiod and the mesh's services; ` +
          'add the provider\'s internal annotation (meshops: set provider and eastWestGateway.loadBalancer), or turn this rule off where load balancers are private',
      });
    }
  },
};
