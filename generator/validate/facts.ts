/**
 * What a rendered (or hand-written) cluster directory says about the mesh, read once and shared by
 * the policies: its IstioOperator, role, network as each object states it, east-west gateway,
 * istiod address, mesh objects and remote secrets; and, across clusters, which primary a remote
 * uses. Policies must work on trees meshops did not write, so nothing here assumes meshops' file
 * names, and no policy derives these facts on its own.
 */
import type { FieldPath } from '../load/yaml-source.js';
import { REQUESTED_NETWORK_VIEW } from '../istio/env-vars.js';
import {
  CONTROL_PLANE_CLUSTERS_ANNOTATION,
  EAST_WEST_GATEWAY_SELECTOR,
  ISTIOD_ADDRESS_ANNOTATION,
  MULTI_CLUSTER_LABEL,
  NETWORK_LABEL,
  REMOTE_CLUSTER_ANNOTATION,
} from '../istio/labels.js';
import { DEFAULT_TRUST_DOMAIN, EAST_WEST_GATEWAY, ISTIO_NAMESPACE } from '../istio/names.js';
import { CROSS_NETWORK_PORT, ISTIOD_XDS_PORT } from '../istio/ports.js';
import type { ClusterTree, EnvironmentTree, JsonObject, ManifestDoc } from './manifests.js';

export function get(object: unknown, fieldPath: FieldPath): unknown {
  let value: unknown = object;
  for (const segment of fieldPath) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A YAML scalar as the text it states (`port: 15443` and `port: "15443"` alike); undefined when absent or empty. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Path of a field under the IstioOperator's spec.values.global. */
export function globalPath(...rest: (string | number)[]): FieldPath {
  return ['spec', 'values', 'global', ...rest];
}

export interface EastWestGatewayFacts {
  /** Index of the component in spec.components.ingressGateways. */
  index: number;
  component: JsonObject;
  labels: JsonObject;
  networkLabel: unknown;
  /** ISTIO_META_REQUESTED_NETWORK_VIEW in k8s.env, and its index there. */
  requestedNetworkView: { value: unknown; index: number } | undefined;
  servicePorts: { name?: unknown; port?: unknown; targetPort?: unknown }[];
  serviceAnnotations: JsonObject;
  /** k8s.service.type; Istio's default for gateways is LoadBalancer. */
  serviceType: string;
  loadBalancerIP: string | undefined;
}

/** A Secret, or an ExternalSecret producing one, that gives istiod a remote cluster's API server. */
export interface RemoteSecretFacts {
  doc: ManifestDoc;
  /** The remote's clusterName (annotation networking.istio.io/cluster). */
  remote: string;
}

/** An address where remotes and VMs reach a primary's istiod, and which field of the tree says so. */
export interface IstiodAddress {
  address: string;
  via: 'annotation' | 'loadBalancerIP' | 'meshNetworks';
  /** The field, as a message names it. */
  source: string;
}

export interface ClusterFacts {
  cluster: ClusterTree;
  /** The cluster's name in the mesh: multiCluster.clusterName, else the directory name. */
  name: string;
  istioOperators: ManifestDoc[];
  /** The cluster's IstioOperator when it has exactly one. */
  iop: ManifestDoc | undefined;
  role: 'primary' | 'remote' | undefined;
  clusterName: unknown;
  meshID: unknown;
  network: unknown;
  trustDomain: unknown;
  trustDomainAliases: string[];
  version: unknown;
  remotePilotAddress: unknown;
  meshNetworks: JsonObject | undefined;
  /** A primary's istiod addresses as the tree states them (empty for remotes). */
  istiodAddresses: IstiodAddress[];
  istioSystemNamespace: ManifestDoc | undefined;
  /** Clusters named by the istio-system Namespace annotation topology.istio.io/controlPlaneClusters. */
  controlPlaneClusters: string[];
  eastWestGateway: EastWestGatewayFacts | undefined;
  /** Istio networking objects (Gateway, VirtualService, ...) of the istio-system namespace. */
  meshObjects: ManifestDoc[];
  remoteSecrets: RemoteSecretFacts[];
  /** VMs joining the mesh through this cluster (seed 004), and the service accounts they may use. */
  workloadGroups: ManifestDoc[];
  serviceAccounts: ManifestDoc[];
}

export function isIstioOperator(doc: ManifestDoc): boolean {
  return doc.kind === 'IstioOperator' && doc.apiVersion.startsWith('install.istio.io/');
}

/** A v1 Secret (core group). */
export function isSecret(doc: ManifestDoc): boolean {
  return doc.kind === 'Secret' && doc.apiVersion === 'v1';
}

/** Hand-written manifests applied with `kubectl apply -n istio-system` often omit the namespace. */
function inIstioNamespace(doc: ManifestDoc): boolean {
  return doc.namespace === undefined || doc.namespace === ISTIO_NAMESPACE;
}

/** The cluster's east-west gateway component: Istio's name for it, or its `istio: eastwestgateway` label. */
function findEastWestGateway(spec: JsonObject): EastWestGatewayFacts | undefined {
  const gateways = asArray(get(spec, ['components', 'ingressGateways']));
  const index = gateways.findIndex((g) => asObject(g)?.name === EAST_WEST_GATEWAY || get(g, ['label', 'istio']) === EAST_WEST_GATEWAY_SELECTOR.istio);
  const component = index >= 0 ? asObject(gateways[index]) : undefined;
  if (!component || component.enabled === false) return undefined;
  const envVars = asArray(get(component, ['k8s', 'env']));
  const viewIndex = envVars.findIndex((e) => asObject(e)?.name === REQUESTED_NETWORK_VIEW);
  const labels = asObject(component.label) ?? {};
  return {
    index,
    component,
    labels,
    networkLabel: labels[NETWORK_LABEL],
    requestedNetworkView: viewIndex >= 0 ? { value: asObject(envVars[viewIndex])?.value, index: viewIndex } : undefined,
    servicePorts: asArray(get(component, ['k8s', 'service', 'ports'])).map((p) => asObject(p) ?? {}),
    serviceAnnotations: asObject(get(component, ['k8s', 'serviceAnnotations'])) ?? {},
    serviceType: scalarText(get(component, ['k8s', 'service', 'type'])) ?? 'LoadBalancer',
    loadBalancerIP: scalarText(get(component, ['k8s', 'service', 'loadBalancerIP'])),
  };
}

function remoteSecretOf(doc: ManifestDoc): RemoteSecretFacts | undefined {
  const metadata = isSecret(doc)
    ? asObject(doc.object.metadata)
    : doc.kind === 'ExternalSecret' && doc.apiVersion.startsWith('external-secrets.io/')
      ? asObject(get(doc.object, ['spec', 'target', 'template', 'metadata']))
      : undefined;
  if (scalarText(get(metadata, ['labels', MULTI_CLUSTER_LABEL])) !== 'true') return undefined;
  const remote = scalarText(get(metadata, ['annotations', REMOTE_CLUSTER_ANNOTATION]));
  return remote === undefined ? undefined : { doc, remote };
}

function istiodAddressesOf(iop: ManifestDoc, network: unknown, meshNetworks: JsonObject | undefined, eastWest: EastWestGatewayFacts | undefined): IstiodAddress[] {
  const out: IstiodAddress[] = [];
  const annotated = scalarText(get(iop.object, ['metadata', 'annotations', ISTIOD_ADDRESS_ANNOTATION]));
  if (annotated) out.push({ address: annotated, via: 'annotation', source: `IstioOperator annotation ${ISTIOD_ADDRESS_ANNOTATION}` });
  if (eastWest?.loadBalancerIP) out.push({ address: eastWest.loadBalancerIP, via: 'loadBalancerIP', source: 'east-west gateway k8s.service.loadBalancerIP' });
  const net = scalarText(network);
  if (net !== undefined) {
    for (const gateway of asArray(get(meshNetworks, [net, 'gateways']))) {
      const address = scalarText(asObject(gateway)?.address);
      if (address) out.push({ address, via: 'meshNetworks', source: `meshNetworks.${net} gateway address` });
    }
  }
  return out;
}

export function clusterFacts(cluster: ClusterTree): ClusterFacts {
  const istioOperators = cluster.docs.filter(isIstioOperator);
  const iop = istioOperators.length === 1 ? istioOperators[0] : undefined;
  const spec = asObject(iop?.object.spec) ?? {};
  const global = asObject(get(spec, ['values', 'global'])) ?? {};
  const meshConfig = asObject(spec.meshConfig) ?? {};
  const remote = spec.profile === 'remote' || get(spec, ['values', 'istiodRemote', 'enabled']) === true;
  const role = iop ? (remote ? 'remote' : 'primary') : undefined;
  const clusterName = get(global, ['multiCluster', 'clusterName']);
  const meshNetworks = asObject(global.meshNetworks);
  const eastWestGateway = iop ? findEastWestGateway(spec) : undefined;
  const istioSystemNamespace = cluster.docs.find((d) => d.kind === 'Namespace' && d.apiVersion === 'v1' && d.name === ISTIO_NAMESPACE);
  const controlPlaneClusters = scalarText(get(istioSystemNamespace?.object, ['metadata', 'annotations', CONTROL_PLANE_CLUSTERS_ANNOTATION]));
  return {
    cluster,
    name: scalarText(clusterName) ?? cluster.name,
    istioOperators,
    iop,
    role,
    clusterName,
    meshID: global.meshID,
    network: global.network,
    trustDomain: meshConfig.trustDomain ?? DEFAULT_TRUST_DOMAIN,
    trustDomainAliases: asArray(meshConfig.trustDomainAliases).flatMap((a) => scalarText(a) ?? []),
    version: spec.tag,
    remotePilotAddress: global.remotePilotAddress,
    meshNetworks,
    istiodAddresses: iop && role === 'primary' ? istiodAddressesOf(iop, global.network, meshNetworks, eastWestGateway) : [],
    istioSystemNamespace,
    controlPlaneClusters: controlPlaneClusters ? controlPlaneClusters.split(',').map((s) => s.trim()).filter(Boolean) : [],
    eastWestGateway,
    meshObjects: cluster.docs.filter((d) => d.apiVersion.startsWith('networking.istio.io/') && inIstioNamespace(d)),
    remoteSecrets: cluster.docs.flatMap((d) => remoteSecretOf(d) ?? []),
    workloadGroups: cluster.docs.filter((d) => d.kind === 'WorkloadGroup' && d.apiVersion.startsWith('networking.istio.io/')),
    serviceAccounts: cluster.docs.filter((d) => d.kind === 'ServiceAccount' && d.apiVersion === 'v1'),
  };
}

/** Facts of every cluster of an environment, computed once per validation run. */
export function environmentFacts(env: EnvironmentTree): ClusterFacts[] {
  return env.clusters.map(clusterFacts);
}

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
    primaryAt,
    remotesOf,
    exposesIstiod: (primary) =>
      primary.role === 'primary' && (remotesOf(primary).length > 0 || primary.istiodAddresses.some((a) => a.via === 'annotation')),
  };
}

/** Path of the east-west gateway component inside its IstioOperator. */
export function eastWestPath(facts: EastWestGatewayFacts, ...rest: (string | number)[]): FieldPath {
  return ['spec', 'components', 'ingressGateways', facts.index, ...rest];
}

/** Whether a Gateway's spec.selector picks the east-west gateway's pods (an empty selector picks none). */
export function selectsEastWestGateway(gateway: ManifestDoc, eastWest: EastWestGatewayFacts): boolean {
  const selector = Object.entries(asObject(get(gateway.object, ['spec', 'selector'])) ?? {});
  return selector.length > 0 && selector.every(([k, v]) => scalarText(eastWest.labels[k]) === scalarText(v));
}

/** Labels for a message: "istio=eastwestgateway, app=istio-eastwestgateway". */
export function labelList(labels: JsonObject): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

/** The Istio networking object of a kind and name in a cluster's istio-system namespace. */
export function meshObject(facts: ClusterFacts, kind: string, name: string): ManifestDoc | undefined {
  return facts.meshObjects.find((d) => d.kind === kind && d.name === name);
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

/** Names for a message: "a", "a and b", "a, b and c". */
export function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** "a" uses / "a" and "b" use: who holds the value the others are compared with. */
export function namesUse(names: readonly string[]): string {
  return `${listNames(names)} ${names.length === 1 ? 'uses' : 'use'}`;
}

/** A server of an Istio Gateway that selects the cluster's east-west gateway. */
export interface EastWestServer {
  gateway: ManifestDoc;
  index: number;
  port: string | undefined;
  tlsMode: string | undefined;
}

/** The servers of an Istio Gateway, with the port and TLS mode the rules look at. */
export function gatewayServers(gateway: ManifestDoc): EastWestServer[] {
  return asArray(get(gateway.object, ['spec', 'servers'])).map((server, index) => ({
    gateway,
    index,
    port: scalarText(get(server, ['port', 'number'])),
    tlsMode: scalarText(get(server, ['tls', 'mode'])),
  }));
}

/** What the cluster's east-west gateway serves, by the Gateways in istio-system that select it. */
export function eastWestServers(facts: ClusterFacts): EastWestServer[] {
  const eastWest = facts.eastWestGateway;
  if (!eastWest) return [];
  return facts.meshObjects.filter((d) => d.kind === 'Gateway' && selectsEastWestGateway(d, eastWest)).flatMap(gatewayServers);
}

/**
 * Whether remotes and VMs can reach the cluster's istiod XDS and CA port through its east-west
 * gateway: a Gateway passing 15012 through, and a VirtualService of that Gateway routing it.
 */
export function istiodReachable(facts: ClusterFacts): boolean {
  const gateways = eastWestServers(facts)
    .filter((s) => s.port === String(ISTIOD_XDS_PORT) && s.tlsMode === 'PASSTHROUGH')
    .map((s) => s.gateway.name);
  return facts.meshObjects.some(
    (vs) =>
      vs.kind === 'VirtualService' &&
      asArray(get(vs.object, ['spec', 'gateways'])).some((g) => gateways.some((name) => g === name || g === `${ISTIO_NAMESPACE}/${name}`)) &&
      asArray(get(vs.object, ['spec', 'tls'])).some((route) =>
        asArray(get(route, ['match'])).some((m) => scalarText(get(m, ['port'])) === String(ISTIOD_XDS_PORT)),
      ),
  );
}

/** A cross-network server: 15443 with TLS AUTO_PASSTHROUGH (Istio's expose-services). */
export function servesCrossNetwork(server: EastWestServer): boolean {
  return server.port === String(CROSS_NETWORK_PORT) && server.tlsMode === 'AUTO_PASSTHROUGH';
}

/** The east-west gateway's cross-network server. */
export function crossNetworkServer(facts: ClusterFacts): EastWestServer | undefined {
  return eastWestServers(facts).find(servesCrossNetwork);
}
