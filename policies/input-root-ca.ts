import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputRootCa: InputRule = {
  kind: 'input',
  id: 'input-root-ca',
  description: 'An environment with more than one primary sets `spec.rootCA`, the shared root of trust.',
  severity: 'error',
  docs: {
    rationale:
      "Each istiod signs workload certificates with its own self-signed root unless istio-system/cacerts holds an intermediate CA (Istio's plug-in CA task, https://istio.io/latest/docs/tasks/security/cert-management/plugin-ca-cert/). Workloads of two primaries with different roots cannot authenticate each other, so a multi-primary mesh needs every primary's cacerts signed by one root; `spec.rootCA` names where the store keeps them. The finding points at the second primary, the one that makes the mesh multi-primary.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  - {name: c2, role: primary, network: main}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  - {name: c2, role: primary, network: main}
  rootCA: {store: {name: vault}}`),
  },
  check({ env, topology, report }) {
    if (topology.primaries.length > 1 && env.spec.rootCA === undefined) {
      report(
        ['spec', 'clusters', env.spec.clusters.indexOf(topology.primaries[1]!), 'role'],
        `${topology.primaries.length} primaries need a shared root of trust: set spec.rootCA (the secret store key of each primary's cacerts), ` +
          'or each istiod signs with its own self-signed root and workloads of different primaries cannot authenticate each other',
      );
    }
  },
};
