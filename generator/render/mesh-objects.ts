/**
 * The Kubernetes objects of a cluster's mesh configuration (synced by Argo CD): the istio-system
 * Namespace, the expose-istiod and cross-network Gateways, and the remote-secret ExternalSecrets.
 * Facts follow Istio's samples/multicluster (expose-istiod.yaml, expose-services.yaml).
 */
import type { MeshEnvironment } from '../model/mesh-environment.js';
import type { Topology } from '../model/topology.js';
import type { ClusterInstallPlan } from './install-plan.js';
import { ISTIO_NAMESPACE, NETWORK_LABEL } from './install-plan.js';
import type { Manifest } from './types.js';

export const CONTROL_PLANE_CLUSTERS_ANNOTATION = 'topology.istio.io/controlPlaneClusters';
const EAST_WEST_SELECTOR = { istio: 'eastwestgateway' };

export function istioSystemNamespace(plan: ClusterInstallPlan): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ISTIO_NAMESPACE,
      ...(plan.controlPlane ? { annotations: { [CONTROL_PLANE_CLUSTERS_ANNOTATION]: plan.controlPlane } } : {}),
      labels: { [NETWORK_LABEL]: plan.network },
    },
  };
}

/** Gateway istiod-gateway: istiod's XDS (15012) and webhook (15017) ports, TLS passed through. */
export function istiodGateway(apiVersion: string): Manifest {
  const server = (name: string, number: number) => ({
    port: { name, number, protocol: 'TLS' },
    tls: { mode: 'PASSTHROUGH' },
    hosts: ['*'],
  });
  return {
    apiVersion,
    kind: 'Gateway',
    metadata: { name: 'istiod-gateway', namespace: ISTIO_NAMESPACE },
    spec: { selector: EAST_WEST_SELECTOR, servers: [server('tls-istiod', 15012), server('tls-istiodwebhook', 15017)] },
  };
}

/** istiod's Service: `istiod`, or `istiod-<revision>` for a revisioned control plane (Istio's expose-istiod-rev sample). */
export function istiodService(revision: string): string {
  return revision ? `istiod-${revision}` : 'istiod';
}

/** VirtualService istiod-vs: routes the passed-through ports to istiod (the webhook listens on 443). */
export function istiodVirtualService(apiVersion: string, revision: string): Manifest {
  const istiod = `${istiodService(revision)}.istio-system.svc.cluster.local`;
  const route = (port: number, targetPort: number) => ({
    match: [{ port, sniHosts: ['*'] }],
    route: [{ destination: { host: istiod, port: { number: targetPort } } }],
  });
  return {
    apiVersion,
    kind: 'VirtualService',
    metadata: { name: 'istiod-vs', namespace: ISTIO_NAMESPACE },
    spec: { hosts: ['*'], gateways: ['istiod-gateway'], tls: [route(15012, 15012), route(15017, 443)] },
  };
}

/** Gateway cross-network-gateway: services of this network reachable from the others over mTLS. */
export function crossNetworkGateway(apiVersion: string): Manifest {
  return {
    apiVersion,
    kind: 'Gateway',
    metadata: { name: 'cross-network-gateway', namespace: ISTIO_NAMESPACE },
    spec: {
      selector: EAST_WEST_SELECTOR,
      servers: [{ port: { name: 'tls', number: 15443, protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }],
    },
  };
}

export const REMOTE_SECRET_PREFIX = 'istio-remote-secret-';

/**
 * What `istioctl create-remote-secret` would apply on the primary, fetched from a secret store
 * instead: the kubeconfig itself stays in the store and never appears in rendered/.
 */
export function remoteSecrets(env: MeshEnvironment, topology: Topology, plan: ClusterInstallPlan): Manifest[] {
  const config = env.spec.remoteSecrets;
  if (!config || plan.cluster.role !== 'primary') return [];
  return topology.remotesOf(plan.cluster).map((remote) => {
    const name = `${REMOTE_SECRET_PREFIX}${remote.name}`;
    return {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace: ISTIO_NAMESPACE },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: config.store.kind, name: config.store.name },
        target: {
          name,
          creationPolicy: 'Owner',
          template: {
            metadata: {
              annotations: { 'networking.istio.io/cluster': remote.name },
              labels: { 'istio/multiCluster': 'true' },
            },
          },
        },
        dataFrom: [{ extract: { key: config.key.replaceAll('{cluster}', remote.name) } }],
      },
    };
  });
}
