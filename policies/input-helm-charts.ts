import { HELM_NETWORK_GATEWAY_PORTS_SINCE, HELM_REMOTE_PROFILE_SINCE, ISTIO_CHART_REPO } from '../generator/istio/charts.js';
import { CROSS_NETWORK_PORT } from '../generator/istio/ports.js';
import { atLeast, isVendorVersion } from '../generator/istio/version.js';
import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputHelmCharts: InputRule = {
  kind: 'input',
  id: 'input-helm-charts',
  description:
    "With `argocd` and `install: helm`, Istio's charts can install the environment: no vendor build from the official repository, no remote before Istio 1.24, no east-west port other than 15443 before 1.30.",
  severity: 'error',
  docs: {
    rationale:
      "install: helm pins Istio's base, istiod and gateway charts to istio.version. The official repository publishes no vendor build (1.15.3-mspider); the base and istiod charts have a remote profile only from 1.24; and the gateway chart's networkGateway mode exposes 15443 only until networkGatewayPorts arrives in 1.30. Refused at render, not at the Application's first sync.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  argocd: {repoURL: https://git.example.com/mesh.git}`, '{version: 1.15.3-mspider}'),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  argocd: {repoURL: https://git.example.com/mesh.git, chartRepoURL: https://charts.example.com/istio}`, '{version: 1.15.3-mspider}'),
  },
  check({ env, topology, report }) {
    const { argocd, istio, clusters } = env.spec;
    if (!argocd || istio.install !== 'helm') return;
    if (isVendorVersion(istio.version) && argocd.chartRepoURL === ISTIO_CHART_REPO) {
      report(
        ['spec', 'istio', 'version'],
        `install: helm pins Istio's charts to istio.version, and ${ISTIO_CHART_REPO} publishes no chart "${istio.version}" (a vendor build): ` +
          'set argocd.chartRepoURL to the Helm repository that serves it, or use install: istioctl',
      );
    }
    clusters.forEach((cluster, i) => {
      if (cluster.role === 'remote' && !atLeast(istio.version, HELM_REMOTE_PROFILE_SINCE)) {
        report(
          ['spec', 'clusters', i, 'role'],
          `remote "${cluster.name}" cannot be installed from Helm charts with Istio ${istio.version}: the base and istiod charts have a remote profile ` +
            `from ${HELM_REMOTE_PROFILE_SINCE.join('.')}; use install: istioctl or a newer istio.version`,
        );
      }
      const port = cluster.eastWestGateway?.port;
      if (topology.hasEastWestGateway(cluster) && port !== undefined && port !== CROSS_NETWORK_PORT && !atLeast(istio.version, HELM_NETWORK_GATEWAY_PORTS_SINCE)) {
        report(
          ['spec', 'clusters', i, 'eastWestGateway', 'port'],
          `the gateway chart of Istio ${istio.version} exposes the east-west gateway on ${CROSS_NETWORK_PORT} only (networkGatewayPorts arrives in ` +
            `${HELM_NETWORK_GATEWAY_PORTS_SINCE.join('.')}): use port ${CROSS_NETWORK_PORT}, install: istioctl, or a newer istio.version`,
        );
      }
    });
  },
};
