/**
 * Facts derived from a MeshEnvironment that both the cross-field rules and the renderers need:
 * which primary serves which remote, which networks exist, where east-west gateways are required.
 * Pure functions over the parsed model, so rules and renderers cannot disagree.
 */
import type { ClusterSpec, MeshEnvironment, VmSpec } from './mesh-environment.js';

export interface Topology {
  clusters: readonly ClusterSpec[];
  byName: ReadonlyMap<string, ClusterSpec>;
  primaries: readonly ClusterSpec[];
  /** Sorted network names of the clusters and VMs. */
  networks: readonly string[];
  multiNetwork: boolean;
  /** The primary whose istiod a remote uses (undefined for primaries, or when it cannot be resolved). */
  primaryOf(cluster: ClusterSpec): ClusterSpec | undefined;
  /** The cluster whose control plane a cluster or VM uses: itself for a primary. */
  controlPlaneOf(cluster: ClusterSpec): ClusterSpec | undefined;
  remotesOf(primary: ClusterSpec): readonly ClusterSpec[];
  vmsOf(primary: ClusterSpec): readonly VmSpec[];
  vmNetwork(vm: VmSpec): string | undefined;
  /** A primary whose istiod must be reachable from outside its cluster (remotes or VMs use it). */
  exposesIstiod(cluster: ClusterSpec): boolean;
  needsEastWestGateway(cluster: ClusterSpec): boolean;
  hasEastWestGateway(cluster: ClusterSpec): boolean;
  /** Where remotes and VMs reach a primary's istiod. */
  istiodAddress(primary: ClusterSpec): string | undefined;
}

export function topologyOf(env: MeshEnvironment): Topology {
  const { clusters, vms } = env.spec;
  const byName = new Map(clusters.map((c) => [c.name, c] as const));
  const primaries = clusters.filter((c) => c.role === 'primary');
  const primaryOf = (cluster: ClusterSpec): ClusterSpec | undefined => {
    if (cluster.role === 'primary') return undefined;
    if (cluster.controlPlane !== undefined) {
      const named = byName.get(cluster.controlPlane);
      return named?.role === 'primary' ? named : undefined;
    }
    return primaries.length === 1 ? primaries[0] : undefined;
  };
  const controlPlaneOf = (cluster: ClusterSpec) => (cluster.role === 'primary' ? cluster : primaryOf(cluster));
  const vmNetwork = (vm: VmSpec) => vm.network ?? byName.get(vm.cluster)?.network;
  const networks = [
    ...new Set([...clusters.map((c) => c.network), ...vms.map(vmNetwork).filter((n): n is string => n !== undefined)]),
  ].sort();
  const multiNetwork = networks.length > 1;
  // Indexed once, in input order: rules and renderers ask for every cluster's remotes and VMs,
  // and scanning all clusters per question is quadratic in a large environment.
  const remotesByPrimary = new Map<ClusterSpec, ClusterSpec[]>();
  for (const c of clusters) {
    const primary = primaryOf(c);
    if (!primary) continue;
    const list = remotesByPrimary.get(primary);
    if (list) list.push(c);
    else remotesByPrimary.set(primary, [c]);
  }
  const vmsByControlPlane = new Map<ClusterSpec, VmSpec[]>();
  for (const vm of vms) {
    const cluster = byName.get(vm.cluster);
    const controlPlane = cluster && controlPlaneOf(cluster);
    if (!controlPlane) continue;
    const list = vmsByControlPlane.get(controlPlane);
    if (list) list.push(vm);
    else vmsByControlPlane.set(controlPlane, [vm]);
  }
  const remotesOf = (primary: ClusterSpec): readonly ClusterSpec[] => remotesByPrimary.get(primary) ?? [];
  const vmsOf = (primary: ClusterSpec): readonly VmSpec[] => vmsByControlPlane.get(primary) ?? [];
  const exposesIstiod = (cluster: ClusterSpec) =>
    cluster.role === 'primary' && (remotesOf(cluster).length > 0 || vmsOf(cluster).length > 0);
  const needsEastWestGateway = (cluster: ClusterSpec) => multiNetwork || exposesIstiod(cluster);
  const hasEastWestGateway = (cluster: ClusterSpec) => cluster.eastWestGateway?.enabled ?? needsEastWestGateway(cluster);
  const istiodAddress = (primary: ClusterSpec) => primary.istiodAddress ?? primary.eastWestGateway?.address;
  return {
    clusters,
    byName,
    primaries,
    networks,
    multiNetwork,
    primaryOf,
    controlPlaneOf,
    remotesOf,
    vmsOf,
    vmNetwork,
    exposesIstiod,
    needsEastWestGateway,
    hasEastWestGateway,
    istiodAddress,
  };
}
