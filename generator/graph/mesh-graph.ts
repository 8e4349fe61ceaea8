/**
 * The mesh topology as a graph, independent of how it is drawn (Mermaid for GitHub, dot for
 * Graphviz): clusters grouped by network, which primary's istiod serves which remote, east-west
 * gateways with their addresses and ports, VMs, multi-primary peering, and the mesh being migrated
 * from or to. Pure and deterministic: node ids are positional over sorted names, so the same model
 * always gives the same picture.
 */
import type { ClusterSpec, MeshEnvironment } from '../model/mesh-environment.js';
import { topologyOf, type Topology } from '../model/topology.js';
import { eastWestGatewayPorts } from '../render/install-plan.js';
import { ISTIOD_XDS_PORT } from '../istio/ports.js';

export type NodeKind = 'primary' | 'remote' | 'gateway' | 'vm' | 'external';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** Lines of the label, unescaped. */
  label: string[];
}

export interface GraphGroup {
  id: string;
  label: string;
  nodes: GraphNode[];
}

/**
 * control: a primary's istiod serves a remote or VM; peer: two primaries discover each other's
 * endpoints (multi-primary); gateway: a cluster and its east-west gateway; migration: the mesh a
 * migration leaves or enters.
 */
export type EdgeKind = 'control' | 'peer' | 'gateway' | 'migration';

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
}

export interface MeshGraph {
  title: string;
  groups: GraphGroup[];
  edges: GraphEdge[];
}

export function meshGraph(model: MeshEnvironment, topology: Topology = topologyOf(model)): MeshGraph {
  const { revision } = model.spec.istio;
  const clusters = [...topology.clusters].sort((a, b) => (a.name < b.name ? -1 : 1));
  const clusterId = new Map(clusters.map((c, i) => [c.name, `cluster${i}`] as const));
  const vms = [...model.spec.vms].sort((a, b) => (a.name < b.name ? -1 : 1));
  const edges: GraphEdge[] = [];

  const groups: GraphGroup[] = topology.networks.map((network, n) => ({ id: `network${n}`, label: `network ${network}`, nodes: [] }));
  const groupOf = new Map(topology.networks.map((network, n) => [network, groups[n]!] as const));

  for (const cluster of clusters) {
    const id = clusterId.get(cluster.name)!;
    const istiodAddress = topology.exposesIstiod(cluster) ? topology.istiodAddress(cluster) : undefined;
    groupOf.get(cluster.network)!.nodes.push({ id, kind: cluster.role, label: clusterLabel(cluster, revision, istiodAddress) });
    if (topology.hasEastWestGateway(cluster)) {
      const gatewayId = `${id}_eastwest`;
      const address = cluster.eastWestGateway?.address ?? 'no address';
      const ports = eastWestGatewayPorts(cluster).filter((p) => p.name !== 'status-port').map((p) => `${p.port} ${p.name}`);
      groupOf.get(cluster.network)!.nodes.push({ id: gatewayId, kind: 'gateway', label: [`east-west gateway of ${cluster.name}`, address, ports.join(', ')] });
      edges.push({ from: id, to: gatewayId, kind: 'gateway' });
    }
    const primary = topology.primaryOf(cluster);
    if (primary) edges.push({ from: clusterId.get(primary.name)!, to: id, kind: 'control', label: istiodLabel(topology.istiodAddress(primary)) });
  }

  vms.forEach((vm, i) => {
    const id = `vm${i}`;
    const network = topology.vmNetwork(vm)!;
    groupOf.get(network)!.nodes.push({ id, kind: 'vm', label: [`VM ${vm.name}`, `${vm.namespace}/${vm.serviceAccount}`] });
    const cluster = topology.byName.get(vm.cluster);
    const controlPlane = cluster && topology.controlPlaneOf(cluster);
    if (controlPlane) edges.push({ from: clusterId.get(controlPlane.name)!, to: id, kind: 'control', label: istiodLabel(topology.istiodAddress(controlPlane)) });
  });

  // Several primaries: each istiod watches every other cluster's API server (remote secrets), so
  // every pair of primaries peers.
  const primaries = clusters.filter((c) => c.role === 'primary');
  primaries.forEach((a, i) => {
    for (const b of primaries.slice(i + 1)) edges.push({ from: clusterId.get(a.name)!, to: clusterId.get(b.name)!, kind: 'peer', label: 'multi-primary: endpoint discovery' });
  });

  const { asm, tcm } = model.spec.migration ?? {};
  if (tcm) {
    const source: GraphGroup = { id: 'tcm', label: 'Tencent Cloud Mesh (being left)', nodes: [] };
    source.nodes.push({ id: 'tcm_istiod', kind: 'external', label: ['TCM managed istiod', ...(tcm.sourceVersion ? [`Istio ${tcm.sourceVersion}`] : [])] });
    [...tcm.sourceClusters].sort().forEach((name, i) => {
      source.nodes.push({ id: `tcm_cluster${i}`, kind: 'remote', label: [name, 'in TCM'] });
      edges.push({ from: 'tcm_istiod', to: `tcm_cluster${i}`, kind: 'control' });
    });
    groups.push(source);
    for (const p of primaries) edges.push({ from: 'tcm_istiod', to: clusterId.get(p.name)!, kind: 'migration', label: 'workloads move to' });
  }
  if (asm) {
    groups.push({
      id: 'asm',
      label: 'Alibaba Cloud ASM (migrating to)',
      nodes: [{ id: 'asm_control_plane', kind: 'external', label: [`ASM control plane${asm.destination ? ` ${asm.destination}` : ''}`, `desiredState ${asm.desiredState}`] }],
    });
    for (const p of primaries) edges.push({ from: clusterId.get(p.name)!, to: 'asm_control_plane', kind: 'migration', label: `in-place migration (${asm.desiredState})` });
  }

  return { title: `mesh ${model.spec.meshID} (environment ${model.metadata.name})`, groups, edges };
}

function clusterLabel(cluster: ClusterSpec, revision: string, istiodAddress: string | undefined): string[] {
  if (cluster.role === 'remote') return [cluster.name, 'remote'];
  const istiod = `istiod${revision ? `-${revision}` : ''}`;
  return [cluster.name, `primary: ${istiod}${istiodAddress ? ` at ${istiodAddress}` : ''}`];
}

function istiodLabel(address: string | undefined): string {
  return address ? `istiod ${address}:${ISTIOD_XDS_PORT}` : 'istiod';
}
