import type { Policy } from '../generator/validate/policy.js';

/** Seed 000: several IstioOperators on one cluster delete or overwrite each other's components. */
export const singleIstioOperator: Policy = {
  id: 'single-istiooperator',
  description: 'Each cluster has exactly one IstioOperator (all its YAML, recursively).',
  severity: 'error',
  docs: {
    rationale:
      'istioctl treats an IstioOperator as the whole installation of a cluster: installing a second one (say, an east-west gateway with profile empty) and later upgrading with the first removes or overwrites the other\'s components. Merge the east-west gateway into the cluster\'s one IstioOperator as a component.',
    bad: `# clusters/cls-dxgdg1rl/master-cluster.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: master-cluster, namespace: istio-system}
spec: {values: {global: {meshID: mesh1}}}
# clusters/cls-dxgdg1rl/eastwest-gateway.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: eastwest, namespace: istio-system}
spec: {profile: empty, components: {ingressGateways: [{name: istio-eastwestgateway, enabled: true}]}}`,
    good: `# clusters/cls-dxgdg1rl/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  components: {ingressGateways: [{name: istio-eastwestgateway, enabled: true}]}
  values: {global: {meshID: mesh1}}`,
  },
  check({ clusters, report }) {
    for (const facts of clusters) {
      const count = facts.istioOperators.length;
      if (count === 0) {
        report({ cluster: facts.cluster.name, file: facts.cluster.dir, message: `cluster "${facts.cluster.name}" has no IstioOperator; it needs exactly one` });
      } else if (count > 1) {
        // Which one is "extra" is the user's call, so every one is reported, naming the others.
        for (const doc of facts.istioOperators) {
          const others = facts.istioOperators.filter((d) => d !== doc).map((d) => (d.file === doc.file ? `another document of ${d.file.path}` : d.file.path));
          report({
            doc,
            path: ['kind'],
            message: `cluster "${facts.cluster.name}" has ${count} IstioOperators (also ${[...new Set(others)].join(', ')}); installing one deletes or overwrites the other's components — merge them into one`,
          });
        }
      }
    }
  },
};
