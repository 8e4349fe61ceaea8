/**
 * What a rendered (or hand-written) cluster directory says about the mesh, read once and shared by
 * the policies: its IstioOperator, role, network as each object states it, east-west gateway.
 * Policies must work on trees meshops did not write, so nothing here assumes meshops' file names.
 */
import type { FieldPath } from '../load/yaml-source.js';
import type { ClusterTree, EnvironmentTree, JsonObject, ManifestDoc } from './manifests.js';

export const NETWORK_LABEL = 'topology.istio.io/network';
export const EAST_WEST_GATEWAY = 'istio-eastwestgateway';

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

export interface EastWestGatewayFacts {
  /** Index of the component in spec.components.ingressGateways. */
  index: number;
  component: JsonObject;
  networkLabel: unknown;
  /** ISTIO_META_REQUESTED_NETWORK_VIEW in k8s.env, and its index there. */
  requestedNetworkView: { value: unknown; index: number } | undefined;
  servicePorts: { name?: unknown; port?: unknown; targetPort?: unknown }[];
  serviceAnnotations: JsonObject;
}

export interface ClusterFacts {
  cluster: ClusterTree;
  istioOperators: ManifestDoc[];
  /** The cluster's IstioOperator when it has exactly one. */
  iop: ManifestDoc | undefined;
  role: 'primary' | 'remote' | undefined;
  clusterName: unknown;
  meshID: unknown;
  network: unknown;
  trustDomain: unknown;
  version: unknown;
  remotePilotAddress: unknown;
  meshNetworks: JsonObject | undefined;
  istioSystemNamespace: ManifestDoc | undefined;
  eastWestGateway: EastWestGatewayFacts | undefined;
}

export function ofKind(docs: readonly ManifestDoc[], kind: string): ManifestDoc[] {
  return docs.filter((d) => d.kind === kind);
}

export function isIstioOperator(doc: ManifestDoc): boolean {
  return doc.kind === 'IstioOperator' && doc.apiVersion.startsWith('install.istio.io/');
}

export function clusterFacts(cluster: ClusterTree): ClusterFacts {
  const istioOperators = cluster.docs.filter(isIstioOperator);
  const iop = istioOperators.length === 1 ? istioOperators[0] : undefined;
  const spec = asObject(iop?.object.spec) ?? {};
  const global = asObject(get(spec, ['values', 'global'])) ?? {};
  const profile = spec.profile;
  const gateways = asArray(get(spec, ['components', 'ingressGateways']));
  const ewIndex = gateways.findIndex((g) => asObject(g)?.name === EAST_WEST_GATEWAY);
  const ew = ewIndex >= 0 ? asObject(gateways[ewIndex]) : undefined;
  const envVars = asArray(get(ew, ['k8s', 'env']));
  const viewIndex = envVars.findIndex((e) => asObject(e)?.name === 'ISTIO_META_REQUESTED_NETWORK_VIEW');
  return {
    cluster,
    istioOperators,
    iop,
    role: iop ? (profile === 'remote' ? 'remote' : 'primary') : undefined,
    clusterName: get(global, ['multiCluster', 'clusterName']),
    meshID: global.meshID,
    network: global.network,
    trustDomain: get(spec, ['meshConfig', 'trustDomain']) ?? 'cluster.local',
    version: spec.tag,
    remotePilotAddress: global.remotePilotAddress,
    meshNetworks: asObject(global.meshNetworks),
    istioSystemNamespace: cluster.docs.find((d) => d.kind === 'Namespace' && d.apiVersion === 'v1' && d.name === 'istio-system'),
    eastWestGateway:
      ew && ew.enabled !== false
        ? {
            index: ewIndex,
            component: ew,
            networkLabel: asObject(ew.label)?.[NETWORK_LABEL],
            requestedNetworkView: viewIndex >= 0 ? { value: asObject(envVars[viewIndex])?.value, index: viewIndex } : undefined,
            servicePorts: asArray(get(ew, ['k8s', 'service', 'ports'])).map((p) => asObject(p) ?? {}),
            serviceAnnotations: asObject(get(ew, ['k8s', 'serviceAnnotations'])) ?? {},
          }
        : undefined,
  };
}

/** Facts of every cluster of an environment, computed once per validation run. */
export function environmentFacts(env: EnvironmentTree): ClusterFacts[] {
  return env.clusters.map(clusterFacts);
}

/** Path of the east-west gateway component inside its IstioOperator. */
export function eastWestPath(facts: EastWestGatewayFacts, ...rest: (string | number)[]): FieldPath {
  return ['spec', 'components', 'ingressGateways', facts.index, ...rest];
}
