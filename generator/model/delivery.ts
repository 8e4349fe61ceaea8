/**
 * What the delivery path can express: Argo CD destinations and Istio's Helm charts (base, istiod,
 * gateway) by Istio version. The input rules refuse an environment whose `install: helm`
 * Applications would reference charts or values that do not exist, instead of rendering an
 * Application that fails on its first sync.
 */
import type { ClusterSpec, MeshEnvironment } from './mesh-environment.js';
import { atLeast, topologyOf } from './topology.js';

/** Istio's official Helm repository: publishes base, istiod and gateway for every x.y.z release. */
export const ISTIO_CHART_REPO = 'https://istio-release.storage.googleapis.com/charts';

/** The base and istiod charts have a `remote` profile from Istio 1.24 (before, only istioctl can install a remote). */
export const HELM_REMOTE_PROFILE_SINCE: [number, number] = [1, 24];
/** Before 1.30 the gateway chart's networkGateway mode hard-codes the Service ports (15443 for cross-network mTLS). */
export const HELM_NETWORK_GATEWAY_PORTS_SINCE: [number, number] = [1, 30];
/** The cross-network port the gateway chart's networkGateway mode exposes when it cannot be configured. */
export const NETWORK_GATEWAY_TLS_PORT = 15443;
/** Argo CD's label tracking writes the Application name into a label value: at most 63 characters. */
export const MAX_APPLICATION_NAME = 63;

/** A version with a suffix (1.15.3-mspider) is a vendor build: the official chart repository has no such chart. */
export function isVendorVersion(version: string): boolean {
  return version.includes('-');
}

/** The Argo CD Application of a cluster; "." cannot occur in either name, so names never collide across environments. */
export function applicationName(env: string, cluster: string): string {
  return `${env}.${cluster}`;
}

/** meshops' labels on the Argo CD objects it renders (the validator reads them too). */
export const ENVIRONMENT_LABEL = 'meshops.dev/environment';
export const CLUSTER_LABEL = 'meshops.dev/cluster';
export const ROLE_LABEL = 'meshops.dev/role';
/** Argo CD's resource annotations for sync order and sync options. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/** The sync option that keeps an object when its Application is deleted, cascade or not. */
export const KEEP_ON_DELETE = 'Delete=false';

/** argocd-cm's key of the Application health check that makes sync waves between Applications wait. */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/** The suffix of the Application of a cluster's gateway charts. */
export const GATEWAYS_APPLICATION_SUFFIX = '.gateways';

/** The Application of an ASM migration's asm/ directory: two dots set it apart from every cluster's and root Application. */
export function asmApplicationName(env: string): string {
  return `${env}.asm.migration`;
}

export type ArgoCdDestination = { server: string } | { name: string };

/** Where Argo CD deploys a cluster: its apiServer, else an argocd.destinations entry, else the cluster registered under its name. */
export function destinationOf(env: MeshEnvironment, cluster: ClusterSpec): ArgoCdDestination {
  if (cluster.apiServer !== undefined) return { server: cluster.apiServer };
  return env.spec.argocd?.destinations[cluster.name] ?? { name: cluster.name };
}

/** Where Argo CD syncs an ASM migration's asm/ directory: the ASM instance's API server (an https URL) or its Argo CD cluster name. */
export function asmDestinationOf(env: MeshEnvironment): ArgoCdDestination | undefined {
  const destination = env.spec.migration?.asm?.destination;
  if (destination === undefined) return undefined;
  return /^https?:\/\//.test(destination) ? { server: destination } : { name: destination };
}

export interface DeliveryIssue {
  path: (string | number)[];
  message: string;
}

/** Input errors of spec.argocd and of `install: helm` against what Argo CD and Istio's charts can express. */
export function deliveryIssues(env: MeshEnvironment): DeliveryIssue[] {
  const argocd = env.spec.argocd;
  if (!argocd) return [];
  const issues: DeliveryIssue[] = [];
  const { istio, clusters } = env.spec;
  clusters.forEach((cluster, i) => {
    if (cluster.apiServer !== undefined && argocd.destinations[cluster.name] !== undefined) {
      issues.push({
        path: ['spec', 'argocd', 'destinations', cluster.name],
        message: `cluster "${cluster.name}" already names its Argo CD destination in apiServer; set one of the two`,
      });
    }
    // With install: helm the longest name is that of the cluster's gateway charts' Application (render/argocd.ts).
    const name = `${applicationName(env.metadata.name, cluster.name)}${istio.install === 'helm' ? GATEWAYS_APPLICATION_SUFFIX : ''}`;
    if (name.length > MAX_APPLICATION_NAME) {
      issues.push({
        path: ['spec', 'clusters', i, 'name'],
        message: `the Argo CD Application "${name}" would be ${name.length} characters; Argo CD writes it into a label value (at most ${MAX_APPLICATION_NAME}): shorten the environment or cluster name`,
      });
    }
  });
  if (argocd.applicationSet) {
    // The directory generator knows a cluster by its directory only: no per-cluster Helm values or destinations.
    if (istio.install === 'helm') {
      issues.push({
        path: ['spec', 'argocd', 'applicationSet'],
        message: 'applicationSet renders one template for every cluster directory and cannot carry per-cluster Helm values: use install: istioctl, or one Application per cluster',
      });
    }
    clusters.forEach((cluster, i) => {
      if (cluster.apiServer !== undefined || argocd.destinations[cluster.name] !== undefined) {
        issues.push({
          path: cluster.apiServer !== undefined ? ['spec', 'clusters', i, 'apiServer'] : ['spec', 'argocd', 'destinations', cluster.name],
          message: `applicationSet targets each cluster by its directory name: register cluster "${cluster.name}" in Argo CD under that name instead of naming its destination`,
        });
      }
    });
  }
  if (istio.install !== 'helm') return issues;
  const topology = topologyOf(env);

  if (isVendorVersion(istio.version) && argocd.chartRepoURL === ISTIO_CHART_REPO) {
    issues.push({
      path: ['spec', 'istio', 'version'],
      message:
        `install: helm pins Istio's charts to istio.version, and ${ISTIO_CHART_REPO} publishes no chart "${istio.version}" (a vendor build): ` +
        'set argocd.chartRepoURL to the Helm repository that serves it, or use install: istioctl',
    });
  }
  clusters.forEach((cluster, i) => {
    if (cluster.role === 'remote' && !atLeast(istio.version, HELM_REMOTE_PROFILE_SINCE)) {
      issues.push({
        path: ['spec', 'clusters', i, 'role'],
        message:
          `remote "${cluster.name}" cannot be installed from Helm charts with Istio ${istio.version}: the base and istiod charts have a remote profile ` +
          `from ${HELM_REMOTE_PROFILE_SINCE.join('.')}; use install: istioctl or a newer istio.version`,
      });
    }
    const port = cluster.eastWestGateway?.port;
    if (topology.hasEastWestGateway(cluster) && port !== undefined && port !== NETWORK_GATEWAY_TLS_PORT && !atLeast(istio.version, HELM_NETWORK_GATEWAY_PORTS_SINCE)) {
      issues.push({
        path: ['spec', 'clusters', i, 'eastWestGateway', 'port'],
        message:
          `the gateway chart of Istio ${istio.version} exposes the east-west gateway on ${NETWORK_GATEWAY_TLS_PORT} only (networkGatewayPorts arrives in ` +
          `${HELM_NETWORK_GATEWAY_PORTS_SINCE.join('.')}): use port ${NETWORK_GATEWAY_TLS_PORT}, install: istioctl, or a newer istio.version`,
      });
    }
  });
  return issues;
}
