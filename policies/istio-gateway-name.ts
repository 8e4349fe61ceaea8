import { asArray, asObject, get } from '../generator/json.js';
import { istioOperatorDocs } from '../generator/validate/istio-operators.js';
import type { Policy } from '../generator/validate/policy.js';

/**
 * istioctl's ObjectNameRegexp, `[a-z0-9.-]{1,254}`, which a gateway component's name must match
 * whole (validateWithRegex compares the leftmost match's length with the name's): validateGatewayName
 * in operator/validate/validate.go (1.15-1.23), validateComponentNames in operator/apis/validation/
 * validation.go (1.24+). Both let an empty name through.
 */
const OBJECT_NAME = /^[a-z0-9.-]{1,254}$/;
const GATEWAY_LISTS = ['ingressGateways', 'egressGateways'] as const;

export const istioGatewayName: Policy = {
  id: 'istio-gateway-name',
  description: 'Every ingress and egress gateway of an IstioOperator has a name of lower-case letters, digits, "." and "-" (istioctl refuses others).',
  severity: 'error',
  docs: {
    rationale:
      'A gateway component\'s name becomes the name of its Deployment, Service and ServiceAccount, so istioctl refuses an IstioOperator with a gateway name that is not a Kubernetes object name ("invalid value"): the install fails before anything changes. Capitals and "_" are the usual mistakes (operator/validate/validate.go validateGatewayName up to 1.23, operator/apis/validation/validation.go validateComponentNames from 1.24).',
    bad: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  tag: 1.24.2
  components:
    ingressGateways:
    - {name: istio_eastwestgateway, enabled: true}`,
    good: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  tag: 1.24.2
  components:
    ingressGateways:
    - {name: istio-eastwestgateway, enabled: true}`,
  },
  check({ env, report }) {
    for (const { doc, spec, minor } of istioOperatorDocs(env)) {
      if (!minor) continue;
      for (const list of GATEWAY_LISTS) {
        asArray(get(spec, ['components', list])).forEach((gateway, index) => {
          const name = asObject(gateway)?.name;
          if (typeof name !== 'string' || name === '' || OBJECT_NAME.test(name)) return;
          report({
            doc,
            path: ['spec', 'components', list, index, 'name'],
            message: `spec.components.${list}[${index}].name "${name}" is not a Kubernetes object name (lower-case letters, digits, "." and "-", at most 254 characters); istioctl ${minor} refuses it`,
          });
        });
      }
    }
  },
};
