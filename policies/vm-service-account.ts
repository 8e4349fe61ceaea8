import { get, scalarText } from '../generator/validate/json.js';
import type { Policy } from '../generator/validate/policy.js';

/** Kubernetes creates this service account in every namespace. */
const DEFAULT_SERVICE_ACCOUNT = 'default';

/** Seed 004, step 5: the VM's namespace and service account exist before its token can be issued. */
export const vmServiceAccount: Policy = {
  id: 'vm-service-account',
  description: "A WorkloadGroup's service account (spec.template.serviceAccount) exists as a ServiceAccount in its namespace, in the same cluster.",
  severity: 'error',
  docs: {
    rationale:
      "A VM's identity is its WorkloadGroup's service account: the VM's istio-token is issued for it (`kubectl create token`), and istiod's CA reviews that token with the cluster before issuing the VM's certificate. Without the ServiceAccount in the WorkloadGroup's namespace of that cluster, no token can be created and the VM never joins the mesh. Only `default` needs no object: Kubernetes creates it in every namespace.",
    bad: `# clusters/cluster1/workloadgroup.yaml
kind: WorkloadGroup
metadata: {name: demo, namespace: vm}
spec: {template: {serviceAccount: vm}}
# clusters/cluster1/ has no ServiceAccount vm in namespace vm`,
    good: `# clusters/cluster1/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: vm, namespace: vm}`,
  },
  check({ clusters, report }) {
    for (const facts of clusters) {
      for (const group of facts.workloadGroups) {
        const account = scalarText(get(group.object, ['spec', 'template', 'serviceAccount'])) ?? DEFAULT_SERVICE_ACCOUNT;
        const namespace = group.namespace ?? 'default';
        if (account === DEFAULT_SERVICE_ACCOUNT) continue;
        if (facts.serviceAccounts.some((sa) => sa.name === account && (sa.namespace ?? 'default') === namespace)) continue;
        report({
          doc: group,
          path: ['spec', 'template', 'serviceAccount'],
          message: `WorkloadGroup ${namespace}/${group.name} uses service account "${account}", but cluster "${facts.name}" has no ServiceAccount ${account} in namespace ${namespace}; the VM's token cannot be issued`,
        });
      }
    }
  },
};
