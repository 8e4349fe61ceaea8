/**
 * The mesh as a whole environment's clusters state it: roles, networks, which primary serves which
 * remote, and the value most clusters agree on.
 */
import { environmentFacts, type ClusterFacts } from './cluster-facts.js';
import { scalarText } from '../json.js';
import type { EnvironmentTree, ManifestDoc } from './manifests.js';

/** The mesh as the whole environment states it: roles, networks, which primary serves which remote. */
export interface MeshFacts {
  clusters: readonly ClusterFacts[];
  /**
   * Every cluster has exactly one IstioOperator. When not, single-istiooperator reports it, and
   * rules that conclude from something being absent in the other clusters hold back.
   */
  complete: boolean;
  primaries: readonly ClusterFacts[];
  remotes: readonly ClusterFacts[];
  /** Sorted networks the clusters state (values.global.network and meshNetworks keys). */
  networks: readonly string[];
  multiNetwork: boolean;
  /** Every document of the environment: clusters and shared directories (argocd/, asm/). */
  docs: readonly ManifestDoc[];
  /** The primary a remote uses: named by controlPlaneClusters, else owner of its remotePilotAddress, else the only primary. */
  primaryOf(remote: ClusterFacts): ClusterFacts | undefined;
  /**
   * Where the Istio configuration that applies to a cluster lives: a primary's own directory, a
   * remote's primary (istiod reads configuration from its own cluster only).
   */
  configClusterOf(cluster: ClusterFacts): ClusterFacts | undefined;
  /** The primary whose stated istiod addresses include `address`. */
  primaryAt(address: string): ClusterFacts | undefined;
  remotesOf(primary: ClusterFacts): readonly ClusterFacts[];
  /** A primary remotes use, or that states an istiod address for remotes and VMs. */
  exposesIstiod(primary: ClusterFacts): boolean;
}

export function meshFacts(env: EnvironmentTree, clusters: readonly ClusterFacts[] = environmentFacts(env)): MeshFacts {
  const primaries = clusters.filter((c) => c.role === 'primary');
  const remotes = clusters.filter((c) => c.role === 'remote');
  const networks = [
    ...new Set(clusters.flatMap((c) => [...(scalarText(c.network) !== undefined ? [scalarText(c.network)!] : []), ...Object.keys(c.meshNetworks ?? {})])),
  ].sort();
  // Indexed once: rules ask per cluster, and a fleet has thousands of them.
  const byName = new Map<string, ClusterFacts>();
  const byAddress = new Map<string, ClusterFacts>();
  for (const p of primaries) {
    if (!byName.has(p.name)) byName.set(p.name, p);
    for (const a of p.istiodAddresses) if (!byAddress.has(a.address)) byAddress.set(a.address, p);
  }
  const primaryAt = (address: string) => byAddress.get(address);
  const resolve = (remote: ClusterFacts): ClusterFacts | undefined => {
    if (remote.controlPlaneClusters.length > 0) return remote.controlPlaneClusters.map((n) => byName.get(n)).find((p) => p !== undefined);
    const address = scalarText(remote.remotePilotAddress);
    return (address !== undefined ? primaryAt(address) : undefined) ?? (primaries.length === 1 ? primaries[0] : undefined);
  };
  const primaryOfRemote = new Map(remotes.map((r) => [r, resolve(r)] as const));
  const remotesOfPrimary = new Map<ClusterFacts, ClusterFacts[]>();
  for (const [remote, primary] of primaryOfRemote) {
    if (!primary) continue;
    const list = remotesOfPrimary.get(primary);
    if (list) list.push(remote);
    else remotesOfPrimary.set(primary, [remote]);
  }
  const primaryOf = (remote: ClusterFacts) => primaryOfRemote.get(remote);
  const remotesOf = (primary: ClusterFacts): readonly ClusterFacts[] => remotesOfPrimary.get(primary) ?? [];
  return {
    clusters,
    complete: clusters.every((c) => c.iop !== undefined),
    primaries,
    remotes,
    networks,
    multiNetwork: networks.length > 1,
    docs: [...env.clusters.flatMap((c) => c.docs), ...env.shared.flatMap((f) => f.docs)],
    primaryOf,
    configClusterOf: (cluster) => (cluster.role === 'remote' ? primaryOf(cluster) : cluster),
    primaryAt,
    remotesOf,
    exposesIstiod: (primary) =>
      primary.role === 'primary' && (remotesOf(primary).length > 0 || primary.istiodAddresses.some((a) => a.via === 'annotation')),
  };
}

/**
 * The value most clusters state (ties go to the first cluster stating it), with who states it:
 * cross-cluster rules report the clusters that differ from it, not every cluster.
 */
export function consensus<T>(items: readonly T[], valueOf: (item: T) => string): { value: string; holders: T[] } | undefined {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const value = valueOf(item);
    const group = groups.get(value);
    if (group) group.push(item);
    else groups.set(value, [item]);
  }
  let best: { value: string; holders: T[] } | undefined;
  for (const [value, holders] of groups) if (!best || holders.length > best.holders.length) best = { value, holders };
  return best;
}
