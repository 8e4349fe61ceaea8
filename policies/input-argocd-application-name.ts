import { applicationName, asmApplicationName, GATEWAYS_APPLICATION_SUFFIX, MAX_APPLICATION_NAME } from '../generator/model/delivery.js';
import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputArgocdApplicationName: InputRule = {
  kind: 'input',
  id: 'input-argocd-application-name',
  description: `With \`argocd\`, every Application name (<env>.<cluster>, <env>.<cluster>.gateways with \`install: helm\`, <env>.asm.migration) is at most ${MAX_APPLICATION_NAME} characters.`,
  severity: 'error',
  docs: {
    rationale: `Argo CD's label tracking writes the Application name into a label value, which Kubernetes limits to ${MAX_APPLICATION_NAME} characters; a longer name fails on the first sync instead of at render.`,
    bad: meshExample(`  clusters:
  - {name: a-cluster-name-long-enough-to-overflow-the-label-value-limit, role: primary, network: main}
  argocd: {repoURL: https://git.example.com/mesh.git}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  argocd: {repoURL: https://git.example.com/mesh.git}`),
  },
  check({ env, report }) {
    if (!env.spec.argocd) return;
    env.spec.clusters.forEach((cluster, i) => {
      // With install: helm the longest name is that of the cluster's gateway charts' Application (render/argocd.ts).
      const name = `${applicationName(env.metadata.name, cluster.name)}${env.spec.istio.install === 'helm' ? GATEWAYS_APPLICATION_SUFFIX : ''}`;
      if (name.length > MAX_APPLICATION_NAME) {
        report(
          ['spec', 'clusters', i, 'name'],
          `the Argo CD Application "${name}" would be ${name.length} characters; Argo CD writes it into a label value (at most ${MAX_APPLICATION_NAME}): shorten the environment or cluster name`,
        );
      }
    });
    const application = asmApplicationName(env.metadata.name);
    if (env.spec.migration?.asm && application.length > MAX_APPLICATION_NAME) {
      report(
        ['metadata', 'name'],
        `the Argo CD Application "${application}" of the ASM migration would be ${application.length} characters; Argo CD writes it into a label value (at most ${MAX_APPLICATION_NAME}): shorten the environment name`,
      );
    }
  },
};
