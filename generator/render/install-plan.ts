/**
 * The install plan of one cluster: every Istio installation setting meshops derives from the model.
 * The IstioOperator (and the Helm values of the GitOps path) are both projections of this plan,
 * so the two install paths cannot drift apart.
 */
import type { ClusterSpec, MeshEnvironment } from '../model/mesh-environment.js';
import { EGRESS_GATEWAY_DEFAULT_PORTS, egressGatewayTargetPort, needsXdsAgent } from '../model/migration.js';
import type { Topology } from '../model/topology.js';
import { renderChoices, type RenderChoices } from '../schemas/istio-render-choices.js';
import { GATEWAY_PORT_LABEL } from '../istio/labels.js';
import { deepMerge, type PlainMap } from './merge.js';
import { eastWestLoadBalancerIP, eastWestServiceAnnotations } from './providers.js';
import { sortedRecord } from './types.js';
import { PROXY_CONFIG_XDS_AGENT } from '../istio/env-vars.js';
import { CROSS_NETWORK_PORT, ISTIOD_WEBHOOK_PORT, ISTIOD_XDS_PORT, STATUS_PORT } from '../istio/ports.js';


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
  /**
   * Labels of the gateway's Service (and pods) besides Istio's own: with a cross-network port other
   * than 15443, networking.istio.io/gatewayPort, from which istiod takes the port of a network
   * gateway it discovers from a Service (pilot/pkg/serviceregistry/kube/controller:
   * DefaultNetworkGatewayPort is used "if not otherwise specified by meshNetworks or
   * networking.istio.io/gatewayPort").
   */
  labels: Record<string, string>;
  /** spec.loadBalancerIP where the provider pins the address there (providers.ts). */
  loadBalancerIP?: string;
  /** Service ports: status, cross-network mTLS, istiod XDS, istiod webhook (Istio's gen-eastwest-gateway). */
  ports: { name: string; port: number; targetPort: number }[];
}

/** Istio's egress gateway, kept installed while ASM migration egress entries route through it (seed 002). */
export interface EgressGatewayPlan {
  /** Service ports: Istio's defaults plus one per egress port. */
  ports: { name: string; port: number; targetPort: number }[];
}

/** The TCM mesh this one replaces (seeds 000/001), stated on the install so policies can check it from the tree. */
export interface TcmSourcePlan {
  version?: string;
  clusters: string[];
}

export interface ClusterInstallPlan {
  cluster: ClusterSpec;
  /** The IstioOperator profile: default on a primary, the remote profile of the version's minor on a remote. */
  profile: 'default' | RenderChoices['remoteProfile'];
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
  /**
   * Remote only: the path its injection webhook calls on the primary's istiod, naming the remote's
   * cluster and network so injected proxies are labelled for where they run, not for the primary.
   */
  injectionPath?: string;
  /** The primary of a remote (its controlPlaneClusters). */
  controlPlane?: string;
  /** A primary whose istiod serves remotes: EXTERNAL_ISTIOD and global.externalIstiod. */
  externalIstiod: boolean;
  exposesIstiod: boolean;
  /** A primary exposing istiod: the address remotes and VMs use (stated so validators can check remotes). */
  istiodAddress?: string;
  eastWestGateway?: EastWestGatewayPlan;
  ingressGateway: { enabled: boolean; serviceAnnotations: Record<string, string> };
  egressGateway?: EgressGatewayPlan;
  /** meshConfig.defaultConfig.proxyMetadata (sorted): PROXY_CONFIG_XDS_AGENT during an ASM migration. */
  proxyMetadata: Record<string, string>;
  tcmSource?: TcmSourcePlan;
  /** The overlays of Istio's Values and MeshConfig: the environment's, then the cluster's. */
  overlay: { values: PlainMap; meshConfig: PlainMap };
}

function meshNetworksOf(topology: Topology): Record<string, MeshNetwork> {
  // Only cluster networks: a VM-only network has no gateway of its own; VMs reach the mesh through
  // their cluster's east-west gateway. Grouped in one pass: every primary carries this, and a scan of
  // all clusters per network made a large multi-network render quadratic.
  const byNetwork = new Map<string, ClusterSpec[]>();
  for (const c of topology.clusters) {
    const members = byNetwork.get(c.network);
    if (members) members.push(c);
    else byNetwork.set(c.network, [c]);
  }
  return Object.fromEntries(
    [...byNetwork.keys()].sort().map((network) => {
      const members = byNetwork.get(network)!.sort((a, b) => (a.name < b.name ? -1 : 1));
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

/** The east-west gateway's Service ports: status, cross-network mTLS, istiod XDS, istiod webhook (Istio's gen-eastwest-gateway). */
export function eastWestGatewayPorts(cluster: ClusterSpec): EastWestGatewayPlan['ports'] {
  return [
    { name: 'status-port', port: STATUS_PORT, targetPort: STATUS_PORT },
    { name: 'tls', port: cluster.eastWestGateway?.port ?? CROSS_NETWORK_PORT, targetPort: CROSS_NETWORK_PORT },
    { name: 'tls-istiod', port: ISTIOD_XDS_PORT, targetPort: ISTIOD_XDS_PORT },
    { name: 'tls-webhook', port: ISTIOD_WEBHOOK_PORT, targetPort: ISTIOD_WEBHOOK_PORT },
  ];
}

export function planClusterInstall(env: MeshEnvironment, topology: Topology, cluster: ClusterSpec): ClusterInstallPlan {
  const { istio } = env.spec;
  const isPrimary = cluster.role === 'primary';
  const primary = topology.primaryOf(cluster);
  const remotes = isPrimary ? topology.remotesOf(cluster) : [];
  const { asm, tcm } = env.spec.migration ?? {};
  return {
    cluster,
    profile: isPrimary ? 'default' : renderChoices(istio.version).remoteProfile,
    version: istio.version,
    hub: istio.hub,
    revision: istio.revision,
    meshID: env.spec.meshID,
    trustDomain: env.spec.trustDomain,
    clusterName: cluster.name,
    network: cluster.network,
    meshNetworks: isPrimary && topology.multiNetwork ? meshNetworksOf(topology) : undefined,
    remotePilotAddress: primary ? topology.istiodAddress(primary) : undefined,
    injectionPath: isPrimary ? undefined : `/inject/cluster/${cluster.name}/net/${cluster.network}`,
    controlPlane: primary?.name,
    externalIstiod: isPrimary && remotes.length > 0,
    exposesIstiod: topology.exposesIstiod(cluster),
    istiodAddress: topology.exposesIstiod(cluster) ? topology.istiodAddress(cluster) : undefined,
    eastWestGateway: topology.hasEastWestGateway(cluster)
      ? {
          network: cluster.network,
          serviceAnnotations: eastWestServiceAnnotations(cluster),
          loadBalancerIP: eastWestLoadBalancerIP(cluster),
          labels: (cluster.eastWestGateway?.port ?? CROSS_NETWORK_PORT) === CROSS_NETWORK_PORT ? {} : { [GATEWAY_PORT_LABEL]: String(cluster.eastWestGateway!.port) },
          ports: eastWestGatewayPorts(cluster),
        }
      : undefined,
    ingressGateway: {
      enabled: cluster.ingressGateway.enabled,
      serviceAnnotations: sortedRecord(cluster.ingressGateway.annotations),
    },
    egressGateway: asm && asm.egress.length > 0 ? { ports: egressGatewayPorts(asm.egress.map((e) => e.port)) } : undefined,
    proxyMetadata: asm && needsXdsAgent(asm.desiredState) ? { [PROXY_CONFIG_XDS_AGENT]: 'true' } : {},
    tcmSource: tcm ? { version: tcm.sourceVersion, clusters: [...tcm.sourceClusters].sort() } : undefined,
    overlay: {
      values: deepMerge(istio.values ?? {}, cluster.istio?.values ?? {}),
      meshConfig: deepMerge(istio.meshConfig ?? {}, cluster.istio?.meshConfig ?? {}),
    },
  };
}

/**
 * Istio's default egress gateway ports (80 as http2, 443 as https) stay, so egress routes meshops
 * does not manage keep working; each other egress port is added by number.
 */
function egressGatewayPorts(ports: readonly number[]): EgressGatewayPlan['ports'] {
  const names: Record<number, string> = { 80: 'http2', 443: 'https' };
  return [...new Set([...EGRESS_GATEWAY_DEFAULT_PORTS, ...ports])]
    .sort((a, b) => a - b)
    .map((port) => ({ name: names[port] ?? `http-${port}`, port, targetPort: egressGatewayTargetPort(port) }));
}
