/**
 * What a rendered (or hand-written) cluster directory says about the mesh, read once and shared by
 * the policies: its IstioOperator, role, network as each object states it, east-west gateway,
 * istiod address, mesh objects, Istio configuration, remote secrets and plug-in CA (mesh-facts.ts reads across clusters). Policies
 * must work on trees meshops did not write, so nothing here assumes meshops' file
 * names, and no policy derives these facts on its own.
 */
import { REQUESTED_NETWORK_VIEW } from '../istio/env-vars.js';
import {
  CONTROL_PLANE_CLUSTERS_ANNOTATION,
  EAST_WEST_GATEWAY_SELECTOR,
  ISTIOD_ADDRESS_ANNOTATION,
  MULTI_CLUSTER_LABEL,
  NETWORK_LABEL,
  REMOTE_CLUSTER_ANNOTATION,
} from '../istio/labels.js';
import { CACERTS_SECRET, DEFAULT_TRUST_DOMAIN, EAST_WEST_GATEWAY, ISTIO_NAMESPACE, REMOTE_PROFILES } from '../istio/names.js';
import type { FieldPath } from '../findings.js';
import { asArray, asObject, get, scalarText } from '../json.js';
import type { ClusterTree, EnvironmentTree, JsonObject, ManifestDoc } from './manifests.js';

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
  /**
   * The data keys of the Secret, each of which istiod takes as a cluster ID, and the field stating
   * them; `keys` is undefined when the tree cannot tell (an ExternalSecret's dataFrom copies the
   * store's property names; a Secret whose data is filled elsewhere states none).
   */
  keys: string[] | undefined;
  keysPath: FieldPath;
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
  /** Istio configuration objects in any namespace: `*.istio.io` kinds other than IstioOperator (what istiod reads). */
  istioConfig: ManifestDoc[];
  remoteSecrets: RemoteSecretFacts[];
  /** The clusters this cluster holds a remote secret for: a primary of a large multi-primary mesh holds one per other cluster. */
  remoteSecretFor: ReadonlySet<string>;
  /** Istio's plug-in CA in istio-system (a cacerts Secret or an ExternalSecret producing it): the cluster's intermediate of a shared root. */
  caCerts: ManifestDoc[];
  /** VMs joining the mesh through this cluster (seed 004), and the service accounts they may use. */
  workloadGroups: ManifestDoc[];
  serviceAccounts: ManifestDoc[];
}

export function isIstioOperator(doc: ManifestDoc): boolean {
  return doc.kind === 'IstioOperator' && doc.apiVersion.startsWith('install.istio.io/');
}

/** Istio configuration: a kind of an `*.istio.io` API group (networking, security, telemetry, extensions, ...), IstioOperator aside. */
function isIstioConfig(doc: ManifestDoc): boolean {
  const group = doc.apiVersion.includes('/') ? doc.apiVersion.slice(0, doc.apiVersion.indexOf('/')) : '';
  return group.endsWith('.istio.io') && !isIstioOperator(doc);
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

function isExternalSecret(doc: ManifestDoc): boolean {
  return doc.kind === 'ExternalSecret' && doc.apiVersion.startsWith('external-secrets.io/');
}

/** The data keys an ExternalSecret produces: its template's data, else data[].secretKey; undefined when dataFrom adds the store's. */
function externalSecretKeys(doc: ManifestDoc): { keys: string[] | undefined; keysPath: FieldPath } {
  const templateData = asObject(get(doc.object, ['spec', 'target', 'template', 'data']));
  if (templateData) return { keys: Object.keys(templateData), keysPath: ['spec', 'target', 'template', 'data'] };
  if (asArray(get(doc.object, ['spec', 'dataFrom'])).length > 0) return { keys: undefined, keysPath: ['spec', 'dataFrom'] };
  const data = asArray(get(doc.object, ['spec', 'data']));
  return { keys: data.flatMap((d) => scalarText(asObject(d)?.secretKey) ?? []), keysPath: ['spec', 'data'] };
}

function remoteSecretOf(doc: ManifestDoc): RemoteSecretFacts | undefined {
  const metadata = isSecret(doc) ? asObject(doc.object.metadata) : isExternalSecret(doc) ? asObject(get(doc.object, ['spec', 'target', 'template', 'metadata'])) : undefined;
  if (scalarText(get(metadata, ['labels', MULTI_CLUSTER_LABEL])) !== 'true') return undefined;
  const remote = scalarText(get(metadata, ['annotations', REMOTE_CLUSTER_ANNOTATION]));
  if (remote === undefined) return undefined;
  if (!isSecret(doc)) return { doc, remote, ...externalSecretKeys(doc) };
  const stated = [...Object.keys(asObject(doc.object.data) ?? {}), ...Object.keys(asObject(doc.object.stringData) ?? {})];
  return { doc, remote, keys: stated.length > 0 ? [...new Set(stated)] : undefined, keysPath: [doc.object.data !== undefined ? 'data' : 'stringData'] };
}

/** Istio's plug-in CA secret (istio-system/cacerts), or an ExternalSecret producing it. */
function caCertsOf(doc: ManifestDoc): boolean {
  if (!inIstioNamespace(doc)) return false;
  if (isSecret(doc)) return doc.name === CACERTS_SECRET;
  return isExternalSecret(doc) && (scalarText(get(doc.object, ['spec', 'target', 'name'])) ?? doc.name) === CACERTS_SECRET;
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

function clusterFacts(cluster: ClusterTree): ClusterFacts {
  const istioOperators = cluster.docs.filter(isIstioOperator);
  const iop = istioOperators.length === 1 ? istioOperators[0] : undefined;
  const spec = asObject(iop?.object.spec) ?? {};
  const global = asObject(get(spec, ['values', 'global'])) ?? {};
  const meshConfig = asObject(spec.meshConfig) ?? {};
  // The remote profile was called `external` before Istio 1.16 (../shared/istio/1.15/profiles/external.yaml).
  const remote = REMOTE_PROFILES.includes(String(spec.profile)) || get(spec, ['values', 'istiodRemote', 'enabled']) === true;
  const role = iop ? (remote ? 'remote' : 'primary') : undefined;
  const clusterName = get(global, ['multiCluster', 'clusterName']);
  const meshNetworks = asObject(global.meshNetworks);
  const eastWestGateway = iop ? findEastWestGateway(spec) : undefined;
  const istioSystemNamespace = cluster.docs.find((d) => d.kind === 'Namespace' && d.apiVersion === 'v1' && d.name === ISTIO_NAMESPACE);
  const remoteSecrets = cluster.docs.flatMap((d) => remoteSecretOf(d) ?? []);
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
    istioConfig: cluster.docs.filter(isIstioConfig),
    remoteSecrets,
    remoteSecretFor: new Set(remoteSecrets.map((s) => s.remote)),
    caCerts: cluster.docs.filter(caCertsOf),
    workloadGroups: cluster.docs.filter((d) => d.kind === 'WorkloadGroup' && d.apiVersion.startsWith('networking.istio.io/')),
    serviceAccounts: cluster.docs.filter((d) => d.kind === 'ServiceAccount' && d.apiVersion === 'v1'),
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
