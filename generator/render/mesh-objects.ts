/**
 * The Kubernetes objects of a cluster's mesh configuration (synced by Argo CD): the istio-system
 * Namespace, the expose-istiod and cross-network Gateways, and the remote-secret and cacerts ExternalSecrets.
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
  CACERTS_KEYS,
  CACERTS_SECRET,
  CROSS_NETWORK_GATEWAY,
  ISTIO_NAMESPACE,
  ISTIOD_GATEWAY,
  istiodService,
  istiodSniHosts,
  istiodVirtualServiceName,
  istioSystemHost,
} from '../istio/names.js';
import { SYNC_WAVE } from '../istio/argocd.js';
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

/**
 * VirtualService istiod-vs: routes the passed-through ports to istiod (the webhook listens on 443).
 * Without a revision it matches any SNI (expose-istiod.yaml); with one it is istiod-vs-<revision>
 * and matches only that revision's names (expose-istiod-rev.yaml.tmpl), so control planes of two
 * revisions share istiod-gateway and the east-west gateway during a canary upgrade.
 */
export function istiodVirtualService(apiVersion: string, revision: string): Manifest {
  const istiod = istioSystemHost(istiodService(revision));
  const route = (port: number, targetPort: number) => ({
    // A fresh list per route: a shared one would be written as a YAML alias.
    match: [{ port, sniHosts: revision ? istiodSniHosts(revision) : ['*'] }],
    route: [{ destination: { host: istiod, port: { number: targetPort } } }],
  });
  return {
    apiVersion,
    kind: 'VirtualService',
    metadata: { name: istiodVirtualServiceName(revision), namespace: ISTIO_NAMESPACE },
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
const EXTERNAL_SECRETS_API_VERSION = 'external-secrets.io/v1';

/**
 * What `istioctl create-remote-secret` would apply on the primary, fetched from a secret store
 * instead: the kubeconfig itself stays in the store and never appears in rendered/. istiod takes
 * every data key of a remote secret as a cluster ID and its value as that cluster's kubeconfig
 * (istio/istio pkg/kube/multicluster/secretcontroller.go: `for clusterID, kubeConfig := range
 * s.Data`), so the Secret has exactly one key, the cluster's name, never the store's property names.
 */
export function remoteSecrets(env: MeshEnvironment, topology: Topology, plan: ClusterInstallPlan): Manifest[] {
  const config = env.spec.remoteSecrets;
  if (!config || plan.cluster.role !== 'primary') return [];
  return topology.discoveredBy(plan.cluster).map((cluster) => {
    const name = `${REMOTE_SECRET_PREFIX}${cluster.name}`;
    return {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
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
              annotations: { [REMOTE_CLUSTER_ANNOTATION]: cluster.name },
              labels: { [MULTI_CLUSTER_LABEL]: 'true' },
            },
          },
        },
        data: [{ secretKey: cluster.name, remoteRef: { key: config.key.replaceAll('{cluster}', cluster.name) } }],
      },
    };
  });
}

/**
 * istio-system/cacerts on a primary, from the store: its intermediate CA, signed by the mesh's one
 * root (https://istio.io/latest/docs/tasks/security/cert-management/plugin-ca-cert/). Primaries
 * with their own self-signed roots cannot authenticate each other's workloads.
 *
 * istiod reads cacerts only when it starts. With Argo CD, the ExternalSecret is in sync wave -1 of
 * the primary's Application, before the istiod chart (wave 0): Argo CD waits for a wave's resources
 * to be Healthy, and knows an ExternalSecret's health (argo-cd
 * resource_customizations/external-secrets.io/ExternalSecret/health.lua: Healthy once its Secret is
 * synced). The Application's CreateNamespace creates istio-system before any wave.
 */
export function caCertsSecret(env: MeshEnvironment, plan: ClusterInstallPlan): Manifest[] {
  const rootCA = env.spec.rootCA;
  if (!rootCA || plan.cluster.role !== 'primary') return [];
  const key = rootCA.key.replaceAll('{cluster}', plan.cluster.name);
  return [
    {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'ExternalSecret',
      metadata: {
        name: CACERTS_SECRET,
        namespace: ISTIO_NAMESPACE,
        ...(env.spec.argocd ? { annotations: { [SYNC_WAVE]: '-1' } } : {}),
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: rootCA.store.kind, name: rootCA.store.name },
        target: { name: CACERTS_SECRET, creationPolicy: 'Owner' },
        data: CACERTS_KEYS.map((file) => ({ secretKey: file, remoteRef: { key, property: file } })),
      },
    },
  ];
}
