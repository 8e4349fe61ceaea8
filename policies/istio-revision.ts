import { istioOperatorDocs } from '../generator/validate/istio-operators.js';
import { isDns1123Label } from '../generator/schemas/mesh-networks.js';
import type { Policy } from '../generator/validate/policy.js';

/**
 * istioctl's validateRevision (operator/validate/validate.go 1.15-1.23, operator/apis/validation/
 * validation.go 1.24+): a revision is a DNS-1123 label, as Istio's pkg/config/labels checks it.
 */
export const istioRevision: Policy = {
  id: 'istio-revision',
  description: 'spec.revision of an IstioOperator is a DNS-1123 label (istioctl refuses anything else).',
  severity: 'error',
  docs: {
    rationale:
      'The revision names istiod\'s Deployment, Service and webhooks (istiod-<revision>) and is the value of the istio.io/rev label namespaces select it by. istioctl refuses an IstioOperator whose revision is not a DNS-1123 label ("invalid revision specified"), so the install fails before anything changes; a dotted version such as 1.18.5 is the usual mistake.',
    bad: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: 1.18.5, revision: 1.18.5}`,
    good: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: 1.18.5, revision: 1-18-5}`,
  },
  check({ env, report }) {
    for (const { doc, spec } of istioOperatorDocs(env)) {
      const revision = spec.revision;
      if (typeof revision !== 'string' || revision === '' || isDns1123Label(revision)) continue;
      report({ doc, path: ['spec', 'revision'], message: `spec.revision "${revision}" is not a DNS-1123 label (letters, digits and "-", at most 63 characters); istioctl refuses it` });
    }
  },
};
