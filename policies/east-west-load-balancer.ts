import { GATEWAY_PORT_LABEL } from '../generator/istio/labels.js';
import { CROSS_NETWORK_PORT } from '../generator/istio/ports.js';
import {
  ACK_FORCE_OVERRIDE_LISTENERS as ACK_OVERRIDE,
  ACK_LOAD_BALANCER_ID as ACK_LB_ID,
  AWS_LOAD_BALANCER_SCHEME as AWS_SCHEME,
  AWS_LOAD_BALANCER_TYPE as AWS_TYPE,
} from '../generator/istio/providers.js';
import { eastWestPath } from '../generator/validate/cluster-facts.js';
import { scalarText } from '../generator/json.js';
import type { Policy, PolicyFinding } from '../generator/validate/policy.js';

/** The east-west gateway's load balancer does what its annotations and ports say. */
export const eastWestLoadBalancer: Policy = {
  id: 'east-west-load-balancer',
  description:
    "The east-west gateway's Service annotations and labels take effect: an AWS scheme with aws-load-balancer-type external (or nlb-ip), a reused Alibaba Cloud SLB with force-override-listeners \"true\", a cross-network port other than 15443 with the label networking.istio.io/gatewayPort.",
  severity: 'error',
  docs: {
    rationale:
      "Three load balancer settings look right and do nothing. On EKS, aws-load-balancer-scheme is read by the AWS Load Balancer Controller only, which handles a Service only with aws-load-balancer-type: external (or nlb-ip); otherwise the in-tree controller builds a public classic load balancer serving 15012, 15017 and 15443 (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/nlb/). On ACK, a Service reusing an SLB (alibaba-cloud-loadbalancer-id) gets no listeners unless alibaba-cloud-loadbalancer-force-override-listeners is \"true\" (https://www.alibabacloud.com/help/id/cs/user-guide/load-balancing-configuration-considerations-for-service). And istiod takes the port of a network gateway it discovers from its Service from the label networking.istio.io/gatewayPort, 15443 when absent (istio/istio pilot/pkg/serviceregistry/kube/controller), so a gateway moved to another port is reached on the wrong one.",
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
        serviceAnnotations:
          service.beta.kubernetes.io/aws-load-balancer-scheme: internal   # ignored without the controller's type`,
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
          service.beta.kubernetes.io/aws-load-balancer-type: external
          service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
          service.beta.kubernetes.io/aws-load-balancer-scheme: internal`,
  },
  check({ clusters, report }) {
    for (const c of clusters) {
      const ew = c.eastWestGateway;
      if (!c.iop || !ew) continue;
      const doc = c.iop;
      const annotations = ew.serviceAnnotations;
      const findings: PolicyFinding[] = [];
      const type = scalarText(annotations[AWS_TYPE]);
      if (scalarText(annotations[AWS_SCHEME]) !== undefined && type !== 'external' && type !== 'nlb-ip') {
        findings.push({
          doc,
          path: eastWestPath(ew, 'k8s', 'serviceAnnotations', AWS_SCHEME),
          message: `cluster "${c.name}": ${AWS_SCHEME} takes effect only with ${AWS_TYPE}: external (the AWS Load Balancer Controller); without it EKS builds a public classic load balancer`,
        });
      }
      if (scalarText(annotations[ACK_LB_ID]) !== undefined && scalarText(annotations[ACK_OVERRIDE]) !== 'true') {
        findings.push({
          doc,
          path: eastWestPath(ew, 'k8s', 'serviceAnnotations', ACK_LB_ID),
          message: `cluster "${c.name}": the reused SLB gets no listeners for the east-west ports unless ${ACK_OVERRIDE} is "true"`,
        });
      }
      const tls = ew.servicePorts.find((p) => p.name === 'tls');
      const port = scalarText(tls?.port);
      if (port !== undefined && port !== String(CROSS_NETWORK_PORT) && scalarText(ew.labels[GATEWAY_PORT_LABEL]) !== port) {
        findings.push({
          doc,
          path: eastWestPath(ew, 'label'),
          message: `cluster "${c.name}": the east-west gateway serves cross-network traffic on ${port}, but istiod reads the port from the label ${GATEWAY_PORT_LABEL} (${CROSS_NETWORK_PORT} without it); label the gateway ${GATEWAY_PORT_LABEL}: "${port}"`,
        });
      }
      for (const f of findings) report(f);
    }
  },
};
