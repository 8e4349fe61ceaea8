/**
 * The install plan of one cluster: every Istio installation setting meshops derives from the model.
 * The IstioOperator (and the Helm values of the GitOps path) are both projections of this plan,
 * so the two install paths cannot drift apart.
 */
import type { ClusterSpec, MeshEnvironment } from '../model/mesh-environment.js';
import type { Topology } from '../model/topology.js';
import { eastWestServiceAnnotations } from './providers.js';
import { sortedRecord } from './types.js';

export const EAST_WEST_GATEWAY = 'istio-eastwestgateway';
export const INGRESS_GATEWAY = 'istio-ingressgateway';
export const ISTIO_NAMESPACE = 'istio-system';
export const NETWORK_LABEL = 'topology.istio.io/network';

export interface MeshNetworkGateway {
  address: string;
  port: number;
}
export interface MeshNetwork {
  endpoints: { fromRegistry: string }[];
  gateways: MeshNetworkGateway[];
}

export interface EastWestGatewayPlan {
  network: string;
  serviceAnnotations: Record<string, string>;
  /** Service ports: status, cross-network mTLS, istiod XDS, istiod webhook (Istio's gen-eastwest-gateway). */
  ports: { name: string; port: number; targetPort: number }[];
}

export interface ClusterInstallPlan {
  cluster: ClusterSpec;
  profile: 'default' | 'remote';
  version: string;
  hub: string;
  revision: string;
  meshID: string;
  trustDomain: string;
  clusterName: string;
  network: string;
  /** Set on clusters that run istiod when the mesh spans several networks. */
  meshNetworks?: Record<string, MeshNetwork>;
  /** Remote only: the primary's istiod address. */
  remotePilotAddress?: string;
  /** The primary of a remote (its controlPlaneClusters). */
  controlPlane?: string;
  /** A primary whose istiod serves remotes: EXTERNAL_ISTIOD and global.externalIstiod. */
  externalIstiod: boolean;
  exposesIstiod: boolean;
  /** A primary exposing istiod: the address remotes and VMs use (stated so validators can check remotes). */
  istiodAddress?: string;
  eastWestGateway?: EastWestGatewayPlan;
  ingressGateway: { enabled: boolean; serviceAnnotations: Record<string, string> };
}

export function meshNetworksOf(topology: Topology): Record<string, MeshNetwork> {
  // Only cluster networks: a VM-only network has no gateway of its own; VMs reach the mesh through
  // their cluster's east-west gateway.
  const clusterNetworks = [...new Set(topology.clusters.map((c) => c.network))].sort();
  return Object.fromEntries(
    clusterNetworks.map((network) => {
      const members = topology.clusters.filter((c) => c.network === network).sort((a, b) => (a.name < b.name ? -1 : 1));
      return [
        network,
        {
          endpoints: members.map((c) => ({ fromRegistry: c.name })),
          gateways: members
            .filter((c) => topology.hasEastWestGateway(c) && c.eastWestGateway?.address !== undefined)
            .map((c) => ({ address: c.eastWestGateway!.address!, port: c.eastWestGateway!.port })),
        },
      ];
    }),
  );
}

export function planClusterInstall(env: MeshEnvironment, topology: Topology, cluster: ClusterSpec): ClusterInstallPlan {
  const { istio } = env.spec;
  const isPrimary = cluster.role === 'primary';
  const primary = topology.primaryOf(cluster);
  const remotes = isPrimary ? topology.remotesOf(cluster) : [];
  const gateway = cluster.eastWestGateway;
  return {
    cluster,
    profile: isPrimary ? 'default' : 'remote',
    version: istio.version,
    hub: istio.hub,
    revision: istio.revision,
    meshID: env.spec.meshID,
    trustDomain: env.spec.trustDomain,
    clusterName: cluster.name,
    network: cluster.network,
    meshNetworks: isPrimary && topology.multiNetwork ? meshNetworksOf(topology) : undefined,
    remotePilotAddress: primary ? topology.istiodAddress(primary) : undefined,
    controlPlane: primary?.name,
    externalIstiod: isPrimary && remotes.length > 0,
    exposesIstiod: topology.exposesIstiod(cluster),
    istiodAddress: topology.exposesIstiod(cluster) ? topology.istiodAddress(cluster) : undefined,
    eastWestGateway: topology.hasEastWestGateway(cluster)
      ? {
          network: cluster.network,
          serviceAnnotations: eastWestServiceAnnotations(cluster),
          ports: [
            { name: 'status-port', port: 15021, targetPort: 15021 },
            { name: 'tls', port: gateway?.port ?? 15443, targetPort: 15443 },
            { name: 'tls-istiod', port: 15012, targetPort: 15012 },
            { name: 'tls-webhook', port: 15017, targetPort: 15017 },
          ],
        }
      : undefined,
    ingressGateway: {
      enabled: cluster.ingressGateway.enabled,
      serviceAnnotations: sortedRecord(cluster.ingressGateway.annotations),
    },
  };
}
