import type { ClusterFacts } from '../generator/validate/cluster-facts.js';
import { DEFAULT_TRUST_DOMAIN } from '../generator/istio/names.js';
import { scalarText } from '../generator/json.js';
import { consensus } from '../generator/validate/mesh-facts.js';
import { namesUse } from '../generator/validate/wording.js';
import type { Policy } from '../generator/validate/policy.js';

const trustDomainOf = (c: ClusterFacts) => scalarText(c.trustDomain) ?? DEFAULT_TRUST_DOMAIN;
const accepts = (c: ClusterFacts, domain: string) => trustDomainOf(c) === domain || c.trustDomainAliases.includes(domain);

/** Workload identities are spiffe://<trust domain>/ns/<ns>/sa/<sa>: one mesh, one trust domain. */
export const trustDomainMatch: Policy = {
  id: 'trust-domain-match',
  description: 'Every cluster uses the same meshConfig.trustDomain (default cluster.local), unless the clusters list each other\'s in meshConfig.trustDomainAliases.',
  severity: 'error',
  docs: {
    rationale:
      'Istio names every workload spiffe://<trustDomain>/ns/<namespace>/sa/<account> and checks peers against those names. With different trust domains, a cluster expects identities the other cluster\'s workloads do not have: cross-cluster mTLS fails secure naming and AuthorizationPolicies by principal stop matching. trustDomainAliases is Istio\'s way through a trust-domain migration; the rule accepts clusters that alias each other\'s domain.',
    bad: `# clusters/primary1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {meshConfig: {trustDomain: cluster.local}}
# clusters/remote1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {meshConfig: {trustDomain: prod.example.com}}`,
    good: `# clusters/primary1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {meshConfig: {trustDomain: prod.example.com}}
# clusters/remote1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {meshConfig: {trustDomain: prod.example.com}}`,
  },
  check({ clusters, report }) {
    const known = clusters.filter((c) => c.iop);
    const agreed = consensus(known, trustDomainOf);
    if (!agreed) return;
    for (const c of known) {
      const domain = trustDomainOf(c);
      if (domain === agreed.value) continue;
      if (accepts(c, agreed.value) && agreed.holders.every((h) => accepts(h, domain))) continue;
      report({
        doc: c.iop!,
        path: ['spec', 'meshConfig', 'trustDomain'],
        message:
          `cluster "${c.name}" has trust domain "${domain}" but ${namesUse(agreed.holders.map((h) => h.name))} "${agreed.value}"; ` +
          'set one trustDomain everywhere (or, while migrating, list each other\'s domain in meshConfig.trustDomainAliases)',
      });
    }
  },
};
