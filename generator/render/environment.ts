/**
 * Rendering: a validated MeshEnvironment in, the files of rendered/<env>/ out. Pure: no I/O, and
 * the same model always gives the same files in the same order.
 */
import { clusterDir, ISTIO_OPERATOR_FILE, KUSTOMIZATION_FILE } from '../layout.js';
import type { ClusterSpec, MeshEnvironment } from '../model/mesh-environment.js';
import { renderChoices } from '../schemas/istio-render-choices.js';
import { topologyOf, type Topology } from '../model/topology.js';
import { keptOnDelete, renderArgoCd } from './argocd.js';
import { asmFiles, egressObjects } from './asm.js';
import { planClusterInstall } from './install-plan.js';
import { istioOperator } from './istio-operator.js';
import { caCertsSecret, crossNetworkGateway, istioSystemNamespace, istiodGateway, istiodVirtualService, remoteSecrets } from './mesh-objects.js';
import { planningSheetFiles } from './planning-sheet.js';
import { runbookFiles } from './runbook.js';
import type { Manifest, RenderedEnvironment, RenderedFile } from './types.js';
import { renderVmFiles } from './vm-files.js';
import { vmClusterObjects } from './vms.js';


export function renderEnvironment(model: MeshEnvironment, sourceFile: string): RenderedEnvironment {
  const topology = topologyOf(model);
  const files = [...model.spec.clusters.flatMap((cluster) => renderCluster(model, topology, cluster.name)), ...renderVmFiles(model, topology)];
  files.push(...renderArgoCd(model, topology, files), ...asmFiles(model, topology), ...runbookFiles(model, topology), ...planningSheetFiles(model, topology, sourceFile));
  return { env: model.metadata.name, sourceFile, files: files.sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

function renderCluster(model: MeshEnvironment, topology: Topology, name: string): RenderedFile[] {
  const cluster = topology.byName.get(name)!;
  const plan = planClusterInstall(model, topology, cluster);
  const networking = renderChoices(model.spec.istio.version).networking;
  const objects: Manifest[] = [model.spec.argocd ? keptOnDelete(istioSystemNamespace(plan)) : istioSystemNamespace(plan)];
  // Istio configuration goes to primaries only: istiod reads it from its own cluster, and a remote
  // may have no Istio CRDs. A primary's Gateways also configure its remotes' east-west gateways.
  if (cluster.role === 'primary') {
    if (plan.exposesIstiod) objects.push(istiodGateway(networking), istiodVirtualService(networking, plan.revision));
    if (topology.multiNetwork && servesEastWestGateway(topology, cluster)) objects.push(crossNetworkGateway(networking));
    objects.push(...remoteSecrets(model, topology, plan), ...caCertsSecret(model, plan));
    objects.push(...egressObjects(model, networking));
  }
  objects.push(...vmClusterObjects(model, topology, cluster));

  const dir = clusterDir(cluster.name);
  const byKind = groupByKind(objects);
  const resources = byKind.map(([fileName]) => fileName);
  return [
    { path: `${dir}/${ISTIO_OPERATOR_FILE}`, documents: [istioOperator(plan)] },
    { path: `${dir}/${KUSTOMIZATION_FILE}`, documents: [kustomization(resources)] },
    ...byKind.map(([fileName, documents]) => ({ path: `${dir}/${fileName}`, documents })),
  ];
}

/** Whether a primary's istiod configures an east-west gateway: its own, or one of its remotes'. */
function servesEastWestGateway(topology: Topology, primary: ClusterSpec): boolean {
  return [primary, ...topology.remotesOf(primary)].some((c) => topology.hasEastWestGateway(c));
}

/** One file per kind (namespace.yaml, gateway.yaml, ...), objects sorted by namespace and name. */
function groupByKind(objects: readonly Manifest[]): [string, Manifest[]][] {
  const groups = new Map<string, Manifest[]>();
  for (const object of objects) {
    const fileName = `${object.kind.toLowerCase()}.yaml`;
    groups.set(fileName, [...(groups.get(fileName) ?? []), object]);
  }
  const key = (m: Manifest) => `${m.metadata.namespace ?? ''}/${m.metadata.name}`;
  return [...groups.entries()]
    .map(([fileName, docs]): [string, Manifest[]] => [fileName, docs.sort((a, b) => (key(a) < key(b) ? -1 : 1))])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * The cluster directory is a kustomize root: what Argo CD syncs. The IstioOperator is beside it but
 * not a resource (it is istioctl's input, and modern clusters no longer serve its CRD).
 */
function kustomization(resources: string[]): object {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources };
}
