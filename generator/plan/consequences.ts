/**
 * The table of consequences: what a change of one MeshEnvironment field means for the running
 * mesh, beyond Argo CD applying the new objects. Each row names the field, the change, what to do
 * or expect, and the clusters (and VMs) it touches.
 *
 * Why these fields: the sidecar injector writes the cluster, network, mesh ID and trust domain into
 * every injected proxy (ISTIO_META_CLUSTER_ID, ISTIO_META_NETWORK, ISTIO_META_MESH_ID, TRUST_DOMAIN;
 * ../shared/istio/1.22/charts/istio-discovery/files/injection-template.yaml), so running pods keep
 * the old values until restarted. A remote's proxies reach istiod at remotePilotAddress (the
 * istiod-remote chart's Endpoints, ../shared/istio/1.22/charts/istiod-remote/templates/endpoints.yaml),
 * and a revision names the istiod proxies dial (discoveryAddress istiod-<revision>,
 * ../shared/istio/1.22/charts/istiod-remote/templates/configmap.yaml).
 */
import type { ClusterSpec, MeshEnvironment } from '../model/mesh-environment.js';
import { nextAsmState } from '../istio/asm.js';
import { topologyOf, type Topology } from '../model/topology.js';

export interface Consequence {
  /** The MeshEnvironment field, e.g. spec.clusters[c1].network. */
  field: string;
  /** "old -> new", "added", "removed". */
  change: string;
  consequence: string;
  /** Clusters (and VMs, as "vm <name>") it touches, sorted. */
  clusters: string[];
}

const shown = (v: unknown) => (v === undefined || v === '' ? '(none)' : String(v));
const arrow = (a: unknown, b: unknown) => `${shown(a)} -> ${shown(b)}`;
const names = (clusters: readonly ClusterSpec[]) => clusters.map((c) => c.name).sort();
const list = (items: readonly string[]) => items.join(', ');

/**
 * The consequences of moving from `before` to `after`; `before` undefined is a new environment,
 * `after` undefined one that is removed.
 */
export function consequences(before: MeshEnvironment | undefined, after: MeshEnvironment | undefined): Consequence[] {
  if (!before && !after) return [];
  if (!before) {
    return [
      {
        field: 'environment',
        change: 'added',
        consequence: `a new mesh: register its clusters in Argo CD and apply rendered/${after!.metadata.name}/argocd/root-application.yaml once`,
        clusters: names(after!.spec.clusters),
      },
    ];
  }
  if (!after) {
    return [
      {
        field: 'environment',
        change: 'removed',
        consequence: 'rendered/ no longer holds this mesh: Argo CD prunes its Applications, but Istio stays installed in its clusters (no cascade delete) until uninstalled by hand',
        clusters: names(before.spec.clusters),
      },
    ];
  }
  const [a, b] = [topologyOf(before), topologyOf(after)];
  const kept = b.clusters.filter((c) => a.byName.has(c.name));
  const out: Consequence[] = [];
  const restartAll = (why: string) => `${why}; restart every workload (kubectl rollout restart) in each cluster listed so its proxy is injected anew`;

  if (before.spec.meshID !== after.spec.meshID) {
    out.push({ field: 'spec.meshID', change: arrow(before.spec.meshID, after.spec.meshID), consequence: restartAll('running proxies keep the old ISTIO_META_MESH_ID'), clusters: names(kept) });
  }
  if (before.spec.trustDomain !== after.spec.trustDomain) {
    out.push({
      field: 'spec.trustDomain',
      change: arrow(before.spec.trustDomain, after.spec.trustDomain),
      consequence: restartAll('workload identities (spiffe://<trustDomain>/...) change and running proxies keep the old TRUST_DOMAIN; AuthorizationPolicies naming the old domain stop matching'),
      clusters: names(kept),
    });
  }
  if (before.spec.istio.revision !== after.spec.istio.revision) {
    out.push({
      field: 'spec.istio.revision',
      change: arrow(before.spec.istio.revision, after.spec.istio.revision),
      consequence:
        'a new istiod revision: remotes and VMs reconnect to it; workloads stay on the old revision until their namespaces are relabelled (istio.io/rev) and they are restarted',
      clusters: [...names(kept), ...after.spec.vms.map((vm) => `vm ${vm.name}`)].sort(),
    });
  }
  for (const cluster of kept) {
    const old = a.byName.get(cluster.name)!;
    const field = (f: string) => `spec.clusters[${cluster.name}].${f}`;
    if (old.network !== cluster.network) {
      out.push({
        field: field('network'),
        change: arrow(old.network, cluster.network),
        consequence: restartAll('running proxies keep the old ISTIO_META_NETWORK') + (a.multiNetwork || b.multiNetwork ? '; every primary\'s meshNetworks changes with it' : ''),
        clusters: [cluster.name],
      });
    }
    if (old.role !== cluster.role || a.primaryOf(old)?.name !== b.primaryOf(cluster)?.name) {
      out.push({
        field: field(old.role !== cluster.role ? 'role' : 'controlPlane'),
        change: old.role !== cluster.role ? arrow(old.role, cluster.role) : arrow(a.primaryOf(old)?.name, b.primaryOf(cluster)?.name),
        consequence: 'the cluster changes control plane: reinstall Istio on it (profile, remotePilotAddress) and restart its workloads so they are injected by the new istiod',
        clusters: [cluster.name],
      });
    }
    if (cluster.role === 'primary' && old.role === 'primary') out.push(...istiodAddressChange(a, b, old, cluster));
    out.push(...eastWestChange(a, b, old, cluster));
  }
  out.push(...membershipChange(before, after, a, b));
  out.push(...migrationChange(before, after));
  return out;
}

function istiodAddressChange(a: Topology, b: Topology, old: ClusterSpec, now: ClusterSpec): Consequence[] {
  const [from, to] = [a.exposesIstiod(old) ? a.istiodAddress(old) : undefined, b.exposesIstiod(now) ? b.istiodAddress(now) : undefined];
  if (from === to || from === undefined || to === undefined) return [];
  const users = [...names(b.remotesOf(now)), ...b.vmsOf(now).map((vm) => `vm ${vm.name}`)].sort();
  return [
    {
      field: `spec.clusters[${now.name}].${now.istiodAddress !== undefined || old.istiodAddress !== undefined ? 'istiodAddress' : 'eastWestGateway.address'}`,
      change: arrow(from, to),
      consequence:
        `istiod of ${now.name} moves: its remotes reconnect once their remotePilotAddress is re-applied (${list(names(b.remotesOf(now))) || 'none'}); ` +
        'each VM needs its new hosts file (rendered/<env>/vms/<vm>/) installed and istio restarted; keep the old address serving until they have moved',
      clusters: users,
    },
  ];
}

function eastWestChange(a: Topology, b: Topology, old: ClusterSpec, now: ClusterSpec): Consequence[] {
  const [had, has] = [a.hasEastWestGateway(old), b.hasEastWestGateway(now)];
  const describe = (t: Topology, c: ClusterSpec) =>
    t.hasEastWestGateway(c) ? `${shown(c.eastWestGateway?.address)}:${c.eastWestGateway?.port ?? 15443}${c.eastWestGateway?.loadBalancer ? ` ${JSON.stringify(c.eastWestGateway.loadBalancer)}` : ''}` : 'none';
  const [from, to] = [describe(a, old), describe(b, now)];
  const annotations = JSON.stringify(old.eastWestGateway?.annotations ?? {}) !== JSON.stringify(now.eastWestGateway?.annotations ?? {});
  if (from === to && !annotations) return [];
  const crossNetwork = b.multiNetwork || a.multiNetwork;
  const consequence = !has
    ? 'the east-west gateway is removed: cross-network traffic into this cluster and istiod exposed through it stop'
    : !had
      ? 'a new east-west gateway: its load balancer must get its address before other networks and remotes use it'
      : `the east-west gateway's load balancer changes: ${crossNetwork ? `cross-network traffic to network ${now.network} is interrupted until the new address serves and every primary's meshNetworks has it` : 'remotes and VMs reaching istiod through it reconnect'}`;
  return [{ field: `spec.clusters[${now.name}].eastWestGateway`, change: annotations && from === to ? 'annotations changed' : arrow(from, to), consequence, clusters: [now.name] }];
}

function membershipChange(before: MeshEnvironment, after: MeshEnvironment, a: Topology, b: Topology): Consequence[] {
  const added = b.clusters.filter((c) => !a.byName.has(c.name));
  const removed = a.clusters.filter((c) => !b.byName.has(c.name));
  const primaries = names(b.primaries);
  const out: Consequence[] = [];
  const secrets = after.spec.remoteSecrets ? 'its kubeconfig in the secret store (the primaries\' ExternalSecrets fetch it)' : '`istioctl create-remote-secret` applied on every primary that must discover it';
  // A rename reads as one cluster removed and one added with the same settings.
  const renamed = removed.length === 1 && added.length === 1 && sameApartFromName(removed[0]!, added[0]!);
  if (renamed) {
    return [
      {
        field: 'spec.clusters[].name',
        change: arrow(removed[0]!.name, added[0]!.name),
        consequence: `the clusterName changes: running proxies keep the old ISTIO_META_CLUSTER_ID, so restart every workload in it; primaries need its remote secret under the new name (${secrets}) and drop the old one`,
        clusters: [added[0]!.name],
      },
    ];
  }
  for (const c of added) {
    out.push({
      field: `spec.clusters[${c.name}]`,
      change: 'added',
      consequence:
        `a new ${c.role}: register it in Argo CD; it needs ${secrets}` +
        (b.multiNetwork ? '; every primary\'s meshNetworks gains its network\'s entry' : '') +
        (c.role === 'remote' ? `; it uses istiod of ${shown(b.primaryOf(c)?.name)}` : ''),
      clusters: [...new Set([c.name, ...primaries])].sort(),
    });
  }
  for (const c of removed) {
    out.push({
      field: `spec.clusters[${c.name}]`,
      change: 'removed',
      consequence:
        'the cluster leaves the mesh: its Application is pruned but Istio stays installed there until uninstalled by hand; remove its remote secret from the primaries' +
        (a.multiNetwork ? '; every primary\'s meshNetworks loses its entry' : ''),
      clusters: [...new Set([c.name, ...names(a.primaries).filter((p) => b.byName.has(p))])].sort(),
    });
  }
  return out;
}

function sameApartFromName(x: ClusterSpec, y: ClusterSpec): boolean {
  return JSON.stringify({ ...x, name: '' }) === JSON.stringify({ ...y, name: '' });
}

function migrationChange(before: MeshEnvironment, after: MeshEnvironment): Consequence[] {
  const out: Consequence[] = [];
  const [x, y] = [before.spec.migration?.asm, after.spec.migration?.asm];
  const clusters = names(after.spec.clusters);
  if (y && (x?.desiredState !== y.desiredState || x?.retryCounter !== y.retryCounter)) {
    const retry = x !== undefined && x.desiredState === y.desiredState;
    const next = nextAsmState(y.desiredState);
    out.push({
      field: retry ? 'spec.migration.asm.retryCounter' : 'spec.migration.asm.desiredState',
      change: retry ? arrow(x.retryCounter, y.retryCounter) : arrow(x?.desiredState, y.desiredState),
      consequence:
        (retry ? `ASM retries ${y.desiredState}` : `ASM moves the mesh to ${y.desiredState}`) +
        `; the runbook's next step (rendered/${after.metadata.name}/MIGRATION.md): ` +
        (next ? `once ASM reports status.state ${y.desiredState}, do that state's steps, then set desiredState: ${next}` : 'none: the migration is finished once ASM reports status.state Finished'),
      clusters,
    });
  }
  const [s, t] = [before.spec.migration?.tcm, after.spec.migration?.tcm];
  const [sx, tx] = [[...(s?.sourceClusters ?? [])].sort(), [...(t?.sourceClusters ?? [])].sort()];
  if (t && sx.join() !== tx.join()) {
    const left = sx.filter((n) => !tx.includes(n));
    out.push({
      field: 'spec.migration.tcm.sourceClusters',
      change: arrow(list(sx), list(tx)),
      consequence: left.length
        ? `${list(left)} left Tencent Cloud Mesh; the runbook's next step (rendered/${after.metadata.name}/MIGRATION.md): move the remaining workloads, then retire the TCM clusters`
        : `more clusters in Tencent Cloud Mesh to move; follow rendered/${after.metadata.name}/MIGRATION.md`,
      clusters,
    });
  }
  return out;
}
