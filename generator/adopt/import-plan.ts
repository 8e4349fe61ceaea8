/**
 * `meshops import`, without I/O: IstioOperator documents in, a MeshEnvironment out, with what could
 * not be carried over and what meshops adds. Each cluster's documents are merged as istioctl merges
 * `-f a -f b`; what meshops models is inferred from the merged IstioOperator, what it does not model
 * goes into the `istio.values` / `istio.meshConfig` overlays, and the result is rendered once and
 * compared with the merged input, so every report below is a difference the render really makes.
 */
import path from 'node:path';
import type { FieldPath } from '../findings.js';
import { modelFromSource } from '../load/environments.js';
import type { InputRule } from '../model/input-rule.js';
import { API_VERSION, KIND } from '../model/mesh-environment.js';
import { checkOverlay, type OverlayKind } from '../model/overlays.js';
import { fieldsToFill, toFill } from '../model/to-fill.js';
import { renderEnvironment } from '../render/environment.js';
import { EAST_WEST_GATEWAY, INGRESS_GATEWAY } from '../istio/names.js';
import { ISTIO_OPERATOR_FILE } from '../layout.js';
import { providerFromAnnotations } from '../istio/providers.js';
import { isMap, overlayIstioOperator, type PlainMap } from './istioctl-merge.js';
import { leafKey, leaves, resolve, sameValue, setPath, type Leaf } from './leaves.js';

export interface IopDocument {
  /** The file as the user named it. */
  file: string;
  data: PlainMap;
  /** The line of a field of this document in its file. */
  line(path: FieldPath): number | undefined;
}

/** One thing import reports: where it comes from (file:line) and what happened to it. */
export interface ImportNote {
  cluster?: string;
  file?: string;
  line?: number;
  message: string;
}

export interface InferenceOptions {
  env: string;
  /** The input rules the rendered environment must pass (the registry's; the caller hands them in). */
  rules: readonly InputRule[];
  istioVersion?: string;
  install: 'helm' | 'istioctl';
}

export interface ImportPlan {
  /** The MeshEnvironment, as plain data in the model's field order. */
  environment: PlainMap;
  /** Settings the files hold that the rendered IstioOperators will not (and why). */
  notCarried: ImportNote[];
  /** What the rendered IstioOperators hold that the files did not. */
  added: ImportNote[];
  /** Fields left for the user to fill in. */
  toFill: ImportNote[];
}

export type ImportOutcome = { ok: true; plan: ImportPlan } | { ok: false; errors: ImportNote[] };

interface ClusterInput {
  name: string;
  docs: IopDocument[];
  merged: PlainMap;
}

const get = (object: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((n, k) => (isMap(n) ? n[k] : undefined), object);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const CLUSTER_NAME = ['spec', 'values', 'global', 'multiCluster', 'clusterName'];
const MESH_ID = ['spec', 'values', 'global', 'meshID'];
const NETWORK = ['spec', 'values', 'global', 'network'];

/** A field of a document, and where it is. */
function at(doc: IopDocument, fieldPath: string[]): ImportNote & { value: unknown } {
  return { file: doc.file, line: doc.line(fieldPath), value: get(doc.data, ...fieldPath), message: '' };
}
const where = (n: { file?: string; line?: number }) => `${n.file}${n.line !== undefined ? `:${n.line}` : ''}`;

/**
 * Documents are grouped by clusterName. One without it (seed 001's eastwest-gateway.yaml) belongs
 * to the cluster its file, or else its directory, names, when that is exactly one.
 */
function groupByCluster(docs: readonly IopDocument[]): { ok: true; clusters: ClusterInput[] } | { ok: false; errors: ImportNote[] } {
  const named = (d: IopDocument) => str(get(d.data, ...CLUSTER_NAME));
  const namesWhere = (same: (d: IopDocument) => boolean) => [...new Set(docs.filter(same).map(named).filter((n): n is string => n !== undefined))];
  const byCluster = new Map<string, IopDocument[]>();
  const errors: ImportNote[] = [];
  for (const doc of docs) {
    let name = named(doc);
    if (name === undefined) {
      const inFile = namesWhere((d) => d.file === doc.file);
      const inDir = namesWhere((d) => path.dirname(d.file) === path.dirname(doc.file));
      name = inFile.length === 1 ? inFile[0] : inFile.length === 0 && inDir.length === 1 ? inDir[0] : undefined;
      if (name === undefined) {
        errors.push({
          file: doc.file,
          line: doc.line(['spec']),
          message: `cannot tell which cluster this IstioOperator is for: set values.global.multiCluster.clusterName in it, or keep it in a directory with its cluster's other files${inDir.length > 1 ? ` (that directory holds ${inDir.join(', ')})` : ''}`,
        });
        continue;
      }
    }
    byCluster.set(name, [...(byCluster.get(name) ?? []), doc]);
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    clusters: [...byCluster.entries()].map(([name, clusterDocs]) => ({
      name,
      docs: clusterDocs,
      merged: clusterDocs.reduce<PlainMap>((m, d) => overlayIstioOperator(m, d.data), {}),
    })),
  };
}

/** Two files stating one fact differently: istioctl would silently take the last one. */
function contradictions(clusters: readonly ClusterInput[]): ImportNote[] {
  const errors: ImportNote[] = [];
  const firstMeshID: (ImportNote & { value: unknown; cluster: string })[] = [];
  for (const cluster of clusters) {
    for (const [field, what] of [[MESH_ID, 'meshID'], [NETWORK, 'network']] as const) {
      const stated = cluster.docs.map((d) => at(d, [...field])).filter((s) => s.value !== undefined);
      const differing = stated.find((s) => !sameValue(s.value, stated[0]!.value));
      if (differing) {
        errors.push({
          cluster: cluster.name,
          file: differing.file,
          line: differing.line,
          message: `cluster "${cluster.name}" has ${what} ${JSON.stringify(differing.value)} here but ${JSON.stringify(stated[0]!.value)} in ${where(stated[0]!)}; one cluster has one ${what}`,
        });
      }
      if (field === MESH_ID && stated[0]) firstMeshID.push({ ...stated[0], cluster: cluster.name });
    }
  }
  const other = firstMeshID.find((m) => !sameValue(m.value, firstMeshID[0]!.value));
  if (other) {
    const first = firstMeshID[0]!;
    errors.push({
      cluster: other.cluster,
      file: other.file,
      line: other.line,
      message: `cluster "${other.cluster}" has meshID ${JSON.stringify(other.value)} here but cluster "${first.cluster}" has ${JSON.stringify(first.value)} in ${where(first)}; one mesh has one meshID`,
    });
  }
  return errors;
}

const isRemote = (iop: PlainMap) =>
  get(iop, 'spec', 'profile') === 'remote' || str(get(iop, 'spec', 'values', 'global', 'remotePilotAddress')) !== undefined || get(iop, 'spec', 'values', 'istiodRemote', 'enabled') === true;

function gatewayComponents(iop: PlainMap): PlainMap[] {
  const list = get(iop, 'spec', 'components', 'ingressGateways');
  return Array.isArray(list) ? list.filter(isMap) : [];
}
const isEastWest = (g: PlainMap) => g.name === EAST_WEST_GATEWAY || get(g, 'label', 'istio') === 'eastwestgateway';

/** Where a remote reaches a primary's istiod; a primary's east-west gateway with tls-istiod carries it. */
function servesIstiodThroughGateway(gateway: PlainMap | undefined): boolean {
  const ports = get(gateway, 'k8s', 'service', 'ports');
  return !Array.isArray(ports) || ports.some((p) => isMap(p) && p.port === 15012);
}

/** The environment-level setting all clusters share, or the first with a note naming the others. */
function shared(clusters: readonly ClusterInput[], fieldPath: string[], what: string, notes: ImportNote[]): string | undefined {
  const stated = clusters.flatMap((c) => {
    const v = str(get(c.merged, ...fieldPath));
    return v === undefined ? [] : [{ cluster: c.name, value: v }];
  });
  const distinct = [...new Set(stated.map((s) => s.value))];
  if (distinct.length > 1) {
    notes.push({
      message: `${what} differs between clusters (${stated.map((s) => `${s.cluster}: ${s.value}`).join(', ')}); meshops gives the mesh one ${what}, ${distinct[0]} is used`,
    });
  }
  return distinct[0];
}

function inferEnvironment(clusters: readonly ClusterInput[], options: InferenceOptions, notes: ImportNote[]): PlainMap {
  const meshID = shared(clusters, MESH_ID, 'meshID', notes);
  const tag = shared(clusters, ['spec', 'tag'], 'Istio version (spec.tag)', notes);
  if (tag !== undefined && options.istioVersion !== undefined && tag !== options.istioVersion) {
    notes.push({ message: `--istio-version ${options.istioVersion} is used; the files say ${tag}` });
  }
  const version = options.istioVersion ?? tag ?? toFill('the Istio version the clusters run, x.y.z (no file states spec.tag; or import again with --istio-version)');
  const hub = shared(clusters, ['spec', 'hub'], 'hub', notes);
  const revision = shared(clusters, ['spec', 'revision'], 'revision', notes);
  const trustDomain = shared(clusters, ['spec', 'meshConfig', 'trustDomain'], 'trustDomain', notes);

  const primaries = clusters.filter((c) => !isRemote(c.merged));
  // A remote's remotePilotAddress is its primary's istiod address: with one primary it is that one.
  const pilotAddresses = new Map<string, string[]>();
  for (const c of clusters.filter((c) => isRemote(c.merged))) {
    const address = str(get(c.merged, 'spec', 'values', 'global', 'remotePilotAddress'));
    if (address !== undefined) pilotAddresses.set(address, [...(pilotAddresses.get(address) ?? []), c.name]);
  }
  const meshNetworks = clusters.map((c) => get(c.merged, 'spec', 'values', 'global', 'meshNetworks')).find(isMap);
  const networkGatewayAddress = (network: string): string | undefined => {
    const gateways = get(meshNetworks, network, 'gateways');
    const addresses = Array.isArray(gateways) ? gateways.map((g) => str(get(g, 'address'))).filter((a) => a !== undefined) : [];
    return addresses.length === 1 ? addresses[0] : undefined;
  };
  const networks = new Set(clusters.map((c) => str(get(c.merged, ...NETWORK))));
  const multiNetwork = networks.size > 1;

  const istiodAddressOf = (primary: ClusterInput): string | undefined => {
    const annotated = str(get(primary.merged, 'metadata', 'annotations', 'meshops.dev/istiod-address'));
    if (annotated !== undefined) return annotated;
    if (primaries.length === 1 && pilotAddresses.size === 1) return [...pilotAddresses.keys()][0];
    return undefined;
  };

  const clusterSpecs = clusters.map((c) => {
    const remote = isRemote(c.merged);
    const network = str(get(c.merged, ...NETWORK)) ?? toFill(`the network of cluster ${c.name}'s pods (no file states values.global.network)`);
    const components = gatewayComponents(c.merged);
    const eastWest = components.find((g) => isEastWest(g) && g.enabled !== false);
    const ingress = components.find((g) => g.name === INGRESS_GATEWAY);
    const spec: PlainMap = { name: c.name, role: remote ? 'remote' : 'primary', network };

    if (remote && primaries.length > 1) {
      const address = str(get(c.merged, 'spec', 'values', 'global', 'remotePilotAddress'));
      const primary = primaries.find((p) => address !== undefined && istiodAddressOf(p) === address);
      spec.controlPlane = primary?.name ?? toFill(`the primary whose istiod cluster ${c.name} uses (its remotePilotAddress ${address ?? 'is not set'} matches no primary's istiod address)`);
    }
    const annotations = (get(eastWest, 'k8s', 'serviceAnnotations') ?? {}) as Record<string, string>;
    const preset = providerFromAnnotations(Object.fromEntries(Object.entries(annotations).map(([k, v]) => [k, String(v)])));
    if (eastWest) spec.provider = preset.provider;

    const istiodAddress = remote ? undefined : istiodAddressOf(c);
    const servesRemotes = !remote && (primaries.length === 1 ? pilotAddresses.size > 0 : [...pilotAddresses.keys()].includes(istiodAddress ?? ''));
    let gatewayAddress = eastWest ? networkGatewayAddress(String(network)) : undefined;
    if (istiodAddress !== undefined) {
      // Remotes reach istiod through the east-west gateway unless the files say it has another address.
      const throughGateway = eastWest !== undefined && servesIstiodThroughGateway(eastWest) && (gatewayAddress === undefined || gatewayAddress === istiodAddress);
      if (throughGateway) gatewayAddress = istiodAddress;
      else spec.istiodAddress = istiodAddress;
    } else if (servesRemotes) spec.istiodAddress = toFill(`where remotes reach istiod of ${c.name} (its load balancer's address)`);
    if (eastWest) {
      const tls = (get(eastWest, 'k8s', 'service', 'ports') as unknown[] | undefined)?.find((p) => isMap(p) && p.name === 'tls');
      const needsAddress = multiNetwork || (servesRemotes && spec.istiodAddress === undefined);
      spec.eastWestGateway = {
        ...(gatewayAddress !== undefined
          ? { address: gatewayAddress }
          : needsAddress
            ? { address: toFill(`the address of ${c.name}'s east-west gateway load balancer (kubectl -n istio-system get svc ${EAST_WEST_GATEWAY})`) }
            : {}),
        ...(isMap(tls) && typeof tls.port === 'number' && tls.port !== 15443 ? { port: tls.port } : {}),
        ...(preset.loadBalancer && Object.keys(preset.loadBalancer).length > 0 ? { loadBalancer: preset.loadBalancer } : {}),
        ...(Object.keys(preset.annotations).length > 0 ? { annotations: preset.annotations } : {}),
      };
    }
    const profile = get(c.merged, 'spec', 'profile');
    // Istio's default profile installs the ingress gateway unless a file turns it off.
    const ingressEnabled = ingress?.enabled !== undefined ? ingress.enabled === true : !remote && (profile === undefined || profile === 'default');
    const ingressAnnotations = get(ingress, 'k8s', 'serviceAnnotations');
    spec.ingressGateway = { enabled: ingressEnabled, ...(ingressEnabled && isMap(ingressAnnotations) ? { annotations: ingressAnnotations } : {}) };
    return spec;
  });

  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: options.env },
    spec: {
      meshID: meshID ?? toFill('the meshID, the same in every cluster (no file states values.global.meshID)'),
      ...(trustDomain !== undefined ? { trustDomain } : {}),
      istio: { version, ...(hub !== undefined ? { hub } : {}), ...(revision !== undefined ? { revision } : {}), install: options.install },
      clusters: clusterSpecs,
    },
  };
}

/** Stand-ins for fields to fill, only to render the environment for the comparison. */
function withStandIns(environment: PlainMap): PlainMap {
  const copy = structuredClone(environment);
  for (const { path: p } of fieldsToFill(copy)) {
    const key = String(p[p.length - 1]);
    const standIn = key === 'version' ? '1.30.0' : key === 'controlPlane' ? undefined : key === 'network' ? `network-${String(p[2])}` : '192.0.2.1';
    const parent = p.slice(0, -1).reduce<unknown>((n, s) => (n as Record<string | number, unknown>)[s], copy) as PlainMap;
    if (standIn === undefined) delete parent[key];
    else parent[key] = standIn;
  }
  return copy;
}

/** Each cluster's rendered IstioOperator, or the input findings that stop the render. */
function renderIstioOperators(environment: PlainMap, env: string, rules: readonly InputRule[]): { ok: true; iops: Map<string, PlainMap> } | { ok: false; messages: string[] } {
  const loaded = modelFromSource({ file: `environments/${env}/mesh.yaml`, data: withStandIns(environment), locate: () => undefined }, env, rules);
  if (!loaded.ok) return { ok: false, messages: loaded.findings.map((f) => f.message) };
  const rendered = renderEnvironment(loaded.env.model, loaded.env.file);
  const iops = new Map<string, PlainMap>();
  for (const file of rendered.files) {
    const match = /^clusters\/([^/]+)\/(.+)$/.exec(file.path);
    if (match && match[2] === ISTIO_OPERATOR_FILE) iops.set(match[1]!, file.documents![0] as PlainMap);
  }
  return { ok: true, iops };
}

const OVERLAY_KINDS: OverlayKind[] = ['values', 'meshConfig'];
const overlayKindOf = (leaf: Leaf): OverlayKind | undefined =>
  leaf.path[0] === 'spec' && OVERLAY_KINDS.includes(leaf.path[1] as OverlayKind) && leaf.path.slice(2).every((s) => typeof s === 'string')
    ? (leaf.path[1] as OverlayKind)
    : undefined;

/** Input leaves the render does not reproduce, and rendered leaves the input lacks. */
function difference(input: PlainMap, rendered: PlainMap): { missing: Leaf[]; added: Leaf[] } {
  const renderedLeaves = new Map(leaves(meaningOf(rendered)).map((l) => [leafKey(l.path), l]));
  const inputLeaves = new Map(leaves(meaningOf(input)).map((l) => [leafKey(l.path), l]));
  return {
    missing: [...inputLeaves.values()].filter((l) => !sameValue(renderedLeaves.get(leafKey(l.path))?.value, l.value)),
    added: [...renderedLeaves.values()].filter((l) => !inputLeaves.has(leafKey(l.path))),
  };
}

/** What Istio reads as nothing: an empty revision, the default profile. */
function meaningOf(iop: PlainMap): PlainMap {
  const copy = structuredClone(iop);
  const spec = copy.spec as PlainMap | undefined;
  if (spec?.revision === '') delete spec.revision;
  if (spec?.profile === 'default') delete spec.profile;
  return copy;
}

/**
 * Overlay leaves: every cluster's, by kind. A setting all clusters state alike goes to spec.istio,
 * the rest to the cluster that states it.
 */
function placeOverlays(environment: PlainMap, perCluster: Map<string, Leaf[]>): void {
  const clusters = (environment.spec as PlainMap).clusters as PlainMap[];
  const count = new Map<string, { leaf: Leaf; clusters: Set<string> }>();
  for (const [cluster, list] of perCluster) {
    for (const leaf of list) {
      const key = `${leafKey(leaf.path)}=${JSON.stringify(leaf.value)}`;
      const entry = count.get(key) ?? { leaf, clusters: new Set<string>() };
      entry.clusters.add(cluster);
      count.set(key, entry);
    }
  }
  const istio = (environment.spec as PlainMap).istio as PlainMap;
  for (const { leaf, clusters: stating } of count.values()) {
    const [, kind, ...rest] = leaf.path as string[];
    const everywhere = stating.size === clusters.length;
    const targets = everywhere ? [istio] : clusters.filter((c) => stating.has(c.name as string)).map((c) => ((c.istio ??= {}) as PlainMap));
    for (const target of targets) setPath(target, [kind!, ...rest], leaf.value);
  }
}

/** Why a setting the files hold is not in the render. */
function whyNotCarried(leaf: Leaf, rendered: unknown, cluster: ClusterInput, version: string): string {
  const key = leafKey(leaf.path);
  const renderedValue = resolve(rendered, leaf.path) ? JSON.stringify(leafValue(rendered, leaf.path)) : undefined;
  const instead = renderedValue !== undefined ? `; meshops renders ${renderedValue}` : '';
  if (key === 'spec.profile') {
    return leaf.value === 'empty' && !isRemote(cluster.merged)
      ? `profile empty installs no istiod, yet this cluster runs the primary's (merged as istioctl merges ${cluster.docs.map((d) => d.file).join(' then ')}, the last file's profile wins)${instead}`
      : `the profile follows the cluster's role${instead}`;
  }
  if (key.startsWith('metadata.')) return `meshops names the cluster's one IstioOperator itself${instead}`;
  const kind = overlayKindOf(leaf);
  if (kind) {
    const refused = checkOverlay(version, kind, pathObject(leaf.path.slice(2) as string[], leaf.value))[0];
    if (refused) return `${refused.message.replace(/^.*?is derived by meshops; /, 'meshops derives it: ')}${instead}`;
  }
  return `meshops has no field for it${instead}`;
}

function leafValue(object: unknown, segments: Leaf['path']): unknown {
  const real = resolve(object, segments)!;
  return real.reduce<unknown>((n, s) => (n as any)[s], object);
}

function pathObject(keys: readonly string[], value: unknown): PlainMap {
  const root: PlainMap = {};
  setPath(root, keys, value);
  return root;
}

/** Where a merged leaf was last set: the last of the cluster's documents that has it. */
function origin(cluster: ClusterInput, leaf: Leaf): { file?: string; line?: number } {
  for (const doc of [...cluster.docs].reverse()) {
    const real = resolve(doc.data, leaf.path);
    if (real) return { file: doc.file, line: doc.line(real) };
  }
  return {};
}

/** Why meshops adds a setting the files did not have. */
function whyAdded(key: string): string {
  if (key === 'spec.tag') return 'the Istio version, pinned on every cluster';
  if (key === 'spec.hub' || key === 'spec.revision') return 'stated on every cluster';
  if (key.startsWith('metadata.annotations.')) return "lets meshops' validator check the tree on its own";
  if (key.startsWith('metadata.')) return "the cluster's one IstioOperator, named by meshops";
  if (key === 'spec.meshConfig.trustDomain') return "the trust domain stated explicitly (Istio's default is cluster.local)";
  if (key === 'spec.values.istiodRemote.injectionPath') return "a remote's injected proxies are labelled with its own cluster and network";
  if (key === 'spec.values.global.externalIstiod' || key === 'spec.values.pilot.env.EXTERNAL_ISTIOD') return 'a primary serving remotes is their external istiod';
  if (key === 'spec.values.global.meshNetworks' || key.startsWith('spec.values.global.meshNetworks.')) return 'every network and its gateway, on clusters running istiod';
  if (key.startsWith(`spec.components.ingressGateways[name=${INGRESS_GATEWAY}]`)) return 'the ingress gateway stated on or off explicitly';
  if (key.startsWith(`spec.components.ingressGateways[name=${EAST_WEST_GATEWAY}]`)) return "the east-west gateway as Istio's gen-eastwest-gateway.sh writes it";
  if (key.startsWith('spec.values.gateways.')) return "gateways injected from Istio's gateway template";
  return 'derived from the environment';
}

export function planImport(docs: readonly IopDocument[], options: InferenceOptions): ImportOutcome {
  if (docs.length === 0) return { ok: false, errors: [{ message: 'no IstioOperator in the files given' }] };
  const grouped = groupByCluster(docs);
  if (!grouped.ok) return grouped;
  const clusters = grouped.clusters;
  const errors = contradictions(clusters);
  if (errors.length > 0) return { ok: false, errors };

  const notCarried: ImportNote[] = [];
  const environment = inferEnvironment(clusters, options, notCarried);

  // First render: what meshops derives. Input settings it does not reproduce become overlays.
  const first = renderIstioOperators(environment, options.env, options.rules);
  if (!first.ok) {
    return { ok: true, plan: { environment, notCarried: [...notCarried, ...first.messages.map((m) => ({ message: `render will refuse this environment until fixed: ${m}` }))], added: [], toFill: toFillNotes(environment) } };
  }
  const version = String(get(environment, 'spec', 'istio', 'version'));
  const overlayLeaves = new Map<string, Leaf[]>();
  for (const cluster of clusters) {
    const { missing } = difference(cluster.merged, first.iops.get(cluster.name)!);
    const candidates = missing.filter((leaf) => {
      const kind = overlayKindOf(leaf);
      return kind !== undefined && checkOverlay(version, kind, pathObject(leaf.path.slice(2) as string[], leaf.value)).length === 0;
    });
    overlayLeaves.set(cluster.name, candidates);
  }
  placeOverlays(environment, overlayLeaves);

  // Second render, overlays included: what is still different is reported, not dropped.
  const second = renderIstioOperators(environment, options.env, options.rules);
  const added: ImportNote[] = [];
  if (second.ok) {
    for (const cluster of clusters) {
      const rendered = second.iops.get(cluster.name)!;
      const { missing, added: extra } = difference(cluster.merged, rendered);
      for (const leaf of missing) {
        notCarried.push({ cluster: cluster.name, ...origin(cluster, leaf), message: `${leafKey(leaf.path)}: ${JSON.stringify(leaf.value)} not carried over: ${whyNotCarried(leaf, rendered, cluster, version)}` });
      }
      for (const leaf of extra) {
        const key = leafKey(leaf.path);
        // The version may still be to fill in: the render used a stand-in, not worth showing.
        const shown = key === 'spec.tag' ? 'istio.version' : JSON.stringify(leaf.value);
        added.push({ cluster: cluster.name, message: `${key}: ${shown} (${whyAdded(key)})` });
      }
    }
  } else {
    notCarried.push(...second.messages.map((m) => ({ message: `render will refuse this environment until fixed: ${m}` })));
  }
  return { ok: true, plan: { environment, notCarried, added, toFill: toFillNotes(environment) } };
}

function toFillNotes(environment: PlainMap): ImportNote[] {
  return fieldsToFill(environment).map((f) => ({
    message: `${f.path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').slice(1)}: ${f.what}`,
  }));
}
