/**
 * The Kubernetes objects of a cluster's mesh configuration (synced by Argo CD): the istio-system
 * Namespace, the expose-istiod and cross-network Gateways, and the remote-secret ExternalSecrets.
 * Facts follow Istio's samples/multicluster (expose-istiod.yaml, expose-services.yaml).
 */
import type { MeshEnvironment } from '../model/mesh-environment.js';
import type { Topology } from '../model/topology.js';
import type { ClusterInstallPlan } from './install-plan.js';
import {
  CONTROL_PLANE_CLUSTERS_ANNOTATION,
  EAST_WEST_GATEWAY_SELECTOR,
  MULTI_CLUSTER_LABEL,
  NETWORK_LABEL,
  REMOTE_CLUSTER_ANNOTATION,
} from '../istio/labels.js';
import {
  CROSS_NETWORK_GATEWAY,
  ISTIO_NAMESPACE,
  ISTIOD_GATEWAY,
  ISTIOD_VIRTUAL_SERVICE,
  istiodService,
  istioSystemHost,
} from '../istio/names.js';
import { CROSS_NETWORK_PORT, ISTIOD_WEBHOOK_PORT, ISTIOD_WEBHOOK_SERVICE_PORT, ISTIOD_XDS_PORT } from '../istio/ports.js';
import type { Manifest } from './types.js';

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
    metadata: { name: ISTIOD_GATEWAY, namespace: ISTIO_NAMESPACE },
    spec: { selector: EAST_WEST_GATEWAY_SELECTOR, servers: [server('tls-istiod', ISTIOD_XDS_PORT), server('tls-istiodwebhook', ISTIOD_WEBHOOK_PORT)] },
  };
}

/** VirtualService istiod-vs: routes the passed-through ports to istiod (the webhook listens on 443). */
export function istiodVirtualService(apiVersion: string, revision: string): Manifest {
  const istiod = istioSystemHost(istiodService(revision));
  const route = (port: number, targetPort: number) => ({
    match: [{ port, sniHosts: ['*'] }],
    route: [{ destination: { host: istiod, port: { number: targetPort } } }],
  });
  return {
    apiVersion,
    kind: 'VirtualService',
    metadata: { name: ISTIOD_VIRTUAL_SERVICE, namespace: ISTIO_NAMESPACE },
    spec: {
      hosts: ['*'],
      gateways: [ISTIOD_GATEWAY],
      tls: [route(ISTIOD_XDS_PORT, ISTIOD_XDS_PORT), route(ISTIOD_WEBHOOK_PORT, ISTIOD_WEBHOOK_SERVICE_PORT)],
    },
  };
}

/** Gateway cross-network-gateway: services of this network reachable from the others over mTLS. */
export function crossNetworkGateway(apiVersion: string): Manifest {
  return {
    apiVersion,
    kind: 'Gateway',
    metadata: { name: CROSS_NETWORK_GATEWAY, namespace: ISTIO_NAMESPACE },
    spec: {
      selector: EAST_WEST_GATEWAY_SELECTOR,
      servers: [{ port: { name: 'tls', number: CROSS_NETWORK_PORT, protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }],
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
              annotations: { [REMOTE_CLUSTER_ANNOTATION]: remote.name },
              labels: { [MULTI_CLUSTER_LABEL]: 'true' },
            },
          },
        },
        dataFrom: [{ extract: { key: config.key.replaceAll('{cluster}', remote.name) } }],
      },
    };
  });
}
