import { LOAD_BALANCER_FIELDS, loadBalancerFieldsOf } from '../generator/istio/providers.js';
import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputLoadBalancerFields: InputRule = {
  kind: 'input',
  id: 'input-load-balancer-fields',
  description: "`eastWestGateway.loadBalancer` sets only fields the cluster's provider turns into annotations.",
  severity: 'error',
  docs: {
    rationale:
      "Each provider's preset turns some loadBalancer fields into its Service annotations (tke: existingId, subnetId; ack: existingId; metallb: addressPool). A field the provider has no annotation for would be dropped silently, and the load balancer not be the one intended.",
    bad: meshExample(`  clusters:
  - name: c1
    role: primary
    network: main
    provider: aws
    eastWestGateway: {loadBalancer: {existingId: lb-1}}`),
    good: meshExample(`  clusters:
  - name: c1
    role: primary
    network: main
    provider: tke
    eastWestGateway: {loadBalancer: {existingId: lb-1}}`),
  },
  check({ env, report }) {
    env.spec.clusters.forEach((c, i) => {
      const allowed = loadBalancerFieldsOf(c.provider);
      const lb = c.eastWestGateway?.loadBalancer;
      for (const field of LOAD_BALANCER_FIELDS) {
        if (lb?.[field] !== undefined && !allowed.includes(field)) {
          report(
            ['spec', 'clusters', i, 'eastWestGateway', 'loadBalancer', field],
            `provider ${c.provider} has no ${field} preset` +
              (allowed.length ? ` (it takes ${allowed.join(', ')})` : '') +
              '; set the annotation under eastWestGateway.annotations instead',
          );
        }
      }
    });
  },
};
