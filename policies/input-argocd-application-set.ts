import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputArgocdApplicationSet: InputRule = {
  kind: 'input',
  id: 'input-argocd-application-set',
  description: '`argocd.applicationSet` goes with `install: istioctl` and clusters registered in Argo CD under their own names (no `apiServer`, no `argocd.destinations`).',
  severity: 'error',
  docs: {
    rationale:
      "The ApplicationSet's Git directory generator knows a cluster by its directory under rendered/<env>/clusters/ only, and renders one template for all of them: it cannot carry a cluster's Helm values (install: helm) nor a destination other than the cluster registered in Argo CD under the directory's name.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  argocd: {repoURL: https://git.example.com/mesh.git, applicationSet: true}`, '{version: 1.24.0, install: helm}'),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  argocd: {repoURL: https://git.example.com/mesh.git, applicationSet: true}`, '{version: 1.24.0, install: istioctl}'),
  },
  check({ env, report }) {
    const argocd = env.spec.argocd;
    if (!argocd?.applicationSet) return;
    if (env.spec.istio.install === 'helm') {
      report(
        ['spec', 'argocd', 'applicationSet'],
        'applicationSet renders one template for every cluster directory and cannot carry per-cluster Helm values: use install: istioctl, or one Application per cluster',
      );
    }
    env.spec.clusters.forEach((cluster, i) => {
      if (cluster.apiServer !== undefined || argocd.destinations[cluster.name] !== undefined) {
        report(
          cluster.apiServer !== undefined ? ['spec', 'clusters', i, 'apiServer'] : ['spec', 'argocd', 'destinations', cluster.name],
          `applicationSet targets each cluster by its directory name: register cluster "${cluster.name}" in Argo CD under that name instead of naming its destination`,
        );
      }
    });
  },
};
