import { get, scalarText } from '../generator/json.js';
import type { Policy } from '../generator/validate/policy.js';

/** Kubernetes creates this service account in every namespace. */
const DEFAULT_SERVICE_ACCOUNT = 'default';

/** Seed 004, step 5: the VM's namespace and service account exist before its token can be issued. */
export const vmServiceAccount: Policy = {
  id: 'vm-service-account',
  description:
    "A WorkloadGroup's service account (spec.template.serviceAccount) exists as a ServiceAccount in its namespace, in the WorkloadGroup's cluster or a remote that cluster's istiod serves.",
  severity: 'error',
  docs: {
    rationale:
      "A VM's identity is its WorkloadGroup's service account: the VM's istio-token is issued for it (`kubectl create token`), and istiod's CA reviews that token with the cluster before issuing the VM's certificate. Without the ServiceAccount in the WorkloadGroup's namespace of that cluster, no token can be created and the VM never joins the mesh. The WorkloadGroup is configuration and lives on the primary (config-on-remote); a VM whose identity belongs to one of that primary's remotes has its ServiceAccount there. Only `default` needs no object: Kubernetes creates it in every namespace.",
    bad: `# clusters/cluster1/workloadgroup.yaml
apiVersion: networking.istio.io/v1beta1
kind: WorkloadGroup
metadata: {name: demo, namespace: vm}
spec: {template: {serviceAccount: vm}}`,
    good: `# clusters/cluster1/serviceaccount.yaml: the VM's identity, which its token is issued for
apiVersion: v1
kind: ServiceAccount
metadata: {name: vm, namespace: vm}
# clusters/cluster1/workloadgroup.yaml
apiVersion: networking.istio.io/v1beta1
kind: WorkloadGroup
metadata: {name: demo, namespace: vm}
spec: {template: {serviceAccount: vm}}`,
  },
  check({ clusters, mesh, report }) {
    for (const facts of clusters) {
      const holders = facts.role === 'primary' ? [facts, ...mesh.remotesOf(facts)] : [facts];
      for (const group of facts.workloadGroups) {
        const account = scalarText(get(group.object, ['spec', 'template', 'serviceAccount'])) ?? DEFAULT_SERVICE_ACCOUNT;
        const namespace = group.namespace ?? 'default';
        if (account === DEFAULT_SERVICE_ACCOUNT) continue;
        if (holders.some((c) => c.serviceAccounts.some((sa) => sa.name === account && (sa.namespace ?? 'default') === namespace))) continue;
        report({
          doc: group,
          path: ['spec', 'template', 'serviceAccount'],
          message: `WorkloadGroup ${namespace}/${group.name} uses service account "${account}", but ${holders.length > 1 ? `neither cluster "${facts.name}" nor its remotes have a` : `cluster "${facts.name}" has no`} ServiceAccount ${account} in namespace ${namespace}; the VM's token cannot be issued`,
        });
      }
    }
  },
};
