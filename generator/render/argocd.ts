/**
 * rendered/<env>/argocd/: what Argo CD needs to deliver the mesh, all Kubernetes objects (Argo CD
 * reads the directory as a plain directory source): the AppProject fencing this mesh's repositories
 * and clusters, one Application per cluster, and the root Application (app of apps) that an
 * operator applies once by hand and that keeps everything else here in sync, itself included.
 *
 * `install: helm` Applications install Istio from its charts (base, istiod, gateway) with values
 * from helm-values.ts, plus the cluster's kustomize root from Git; `install: istioctl` Applications
 * sync only the kustomize root, Istio itself being installed with `istioctl install -f`.
 */
import { ARGOCD_DIR, ASM_DIR, renderedClusterDir, renderedEnvironmentDir } from '../layout.js';
import { applicationName, asmApplicationName, asmDestinationOf, destinationOf, type ArgoCdDestination } from '../model/delivery.js';
import type { ClusterSpec, MeshEnvironment } from '../model/mesh-environment.js';
import type { Topology } from '../model/topology.js';
import { ASM_MIGRATION_API_VERSION, ASM_MIGRATION_KIND } from '../istio/asm.js';
import { CLUSTER_LABEL, ENVIRONMENT_LABEL, ROLE_LABEL } from '../istio/labels.js';
import { ISTIO_NAMESPACE } from '../istio/names.js';
import { helmReleases } from './helm-values.js';
import { planClusterInstall } from './install-plan.js';
import type { Manifest, RenderedFile } from './types.js';

const API_VERSION = 'argoproj.io/v1alpha1';
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/** Where the root Application deploys to: the cluster Argo CD itself runs in. */
const IN_CLUSTER = 'https://kubernetes.default.svc';


/**
 * Sync waves of the root Application: the AppProject before the Applications that name it, and
 * primaries before remotes (a remote's proxies and webhooks need its primary's istiod), and an ASM
 * migration's state after the clusters whose installation that state changes.
 */
const WAVES = { project: '-1', primary: '0', remote: '1', asm: '2' } as const;

/** Cluster-scoped kinds Istio's charts install (CRDs, RBAC, webhooks, admission policies) and the Namespaces of the kustomize roots. */
const HELM_CLUSTER_RESOURCES = [
  { group: '', kind: 'Namespace' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];

/**
 * istiod patches the caBundle of its webhooks and flips the validating webhook's failurePolicy once
 * it is ready; without these Argo CD shows every cluster OutOfSync, and selfHeal would fight istiod.
 */
const ISTIOD_MANAGED_FIELDS = [
  {
    group: 'admissionregistration.k8s.io',
    kind: 'ValidatingWebhookConfiguration',
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle', '.webhooks[]?.failurePolicy'],
  },
  {
    group: 'admissionregistration.k8s.io',
    kind: 'MutatingWebhookConfiguration',
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
  },
];

export function projectName(model: MeshEnvironment): string {
  return model.spec.argocd?.project ?? `mesh-${model.metadata.name}`;
}

/** The files of rendered/<env>/argocd/, or none without spec.argocd. `clusterFiles` are the rendered cluster directories. */
export function renderArgoCd(model: MeshEnvironment, topology: Topology, clusterFiles: readonly RenderedFile[]): RenderedFile[] {
  if (!model.spec.argocd) return [];
  const env = model.metadata.name;
  return [
    { path: `${ARGOCD_DIR}/appproject.yaml`, documents: [appProject(model, topology, clusterFiles)] },
    { path: `${ARGOCD_DIR}/root-application.yaml`, documents: [rootApplication(model)] },
    ...topology.clusters.map((cluster) => ({
      path: `${ARGOCD_DIR}/application-${cluster.name}.yaml`,
      documents: [clusterApplication(model, topology, cluster, env)],
    })),
    ...(model.spec.migration?.asm ? [{ path: `${ARGOCD_DIR}/asm-application.yaml`, documents: [asmApplication(model)] }] : []),
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The path of a cluster's kustomize root in the mesh's Git repository. */
export function clusterSourcePath(env: string, cluster: string): string {
  return renderedClusterDir(env, cluster);
}

function appProject(model: MeshEnvironment, topology: Topology, clusterFiles: readonly RenderedFile[]): Manifest {
  const argocd = model.spec.argocd!;
  const helm = model.spec.istio.install === 'helm';
  const asm = asmDestinationOf(model);
  const clusterResources = helm ? HELM_CLUSTER_RESOURCES : HELM_CLUSTER_RESOURCES.filter((r) => r.kind === 'Namespace');
  return {
    apiVersion: API_VERSION,
    kind: 'AppProject',
    metadata: { name: projectName(model), namespace: argocd.namespace, annotations: { [SYNC_WAVE]: WAVES.project } },
    spec: {
      description: `Istio mesh ${model.spec.meshID} of environment ${model.metadata.name}, rendered by meshops`,
      sourceRepos: helm ? [argocd.repoURL, argocd.chartRepoURL] : [argocd.repoURL],
      destinations: [
        ...topology.clusters.flatMap((cluster) =>
          namespacesOf(cluster.name, clusterFiles).map((namespace) => ({ ...destinationOf(model, cluster), namespace })),
        ),
        ...(asm ? [{ ...asm, namespace: ISTIO_NAMESPACE }] : []),
      ],
      clusterResourceWhitelist: asm ? [...clusterResources, { group: ASM_MIGRATION_API_VERSION.split('/')[0]!, kind: ASM_MIGRATION_KIND }] : clusterResources,
    },
  };
}

/**
 * The namespaces a cluster's Application writes to: istio-system (where the charts install) and
 * every namespace the objects of its kustomize root name or create, sorted.
 */
function namespacesOf(cluster: string, clusterFiles: readonly RenderedFile[]): string[] {
  const kustomizeRoot = `clusters/${cluster}/`;
  const namespaces = new Set([ISTIO_NAMESPACE]);
  for (const file of clusterFiles) {
    if (!file.path.startsWith(kustomizeRoot)) continue;
    for (const doc of (file.documents ?? []) as Manifest[]) {
      if (doc.kind === 'Namespace' && doc.apiVersion === 'v1') namespaces.add(doc.metadata.name);
      else if (doc.metadata?.namespace) namespaces.add(doc.metadata.namespace);
    }
  }
  return [...namespaces].sort();
}

function rootApplication(model: MeshEnvironment): Manifest {
  const argocd = model.spec.argocd!;
  const env = model.metadata.name;
  return {
    apiVersion: API_VERSION,
    kind: 'Application',
    metadata: { name: env, namespace: argocd.namespace, labels: { [ENVIRONMENT_LABEL]: env } },
    spec: {
      // Argo CD's own project: the mesh's AppProject is one of the objects this Application creates.
      project: 'default',
      source: { repoURL: argocd.repoURL, targetRevision: argocd.targetRevision, path: `${renderedEnvironmentDir(env)}/${ARGOCD_DIR}` },
      destination: { server: IN_CLUSTER, namespace: argocd.namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}

/**
 * Seed 002: ASM creates ASMMigrateFromIstio default itself when the clusters join it; this
 * Application then drives its spec from Git. Server-side apply takes over only the fields rendered
 * (ASM keeps the rest and the status), and nothing is ever pruned: the object is ASM's.
 */
function asmApplication(model: MeshEnvironment): Manifest {
  const argocd = model.spec.argocd!;
  const env = model.metadata.name;
  return {
    apiVersion: API_VERSION,
    kind: 'Application',
    metadata: {
      name: asmApplicationName(env),
      namespace: argocd.namespace,
      labels: { [ENVIRONMENT_LABEL]: env },
      annotations: { [SYNC_WAVE]: WAVES.asm },
    },
    spec: {
      project: projectName(model),
      // The object is cluster-scoped; the namespace only has to be one the AppProject permits.
      destination: { ...asmDestinationOf(model)!, namespace: ISTIO_NAMESPACE },
      source: { repoURL: argocd.repoURL, targetRevision: argocd.targetRevision, path: `${renderedEnvironmentDir(env)}/${ASM_DIR}` },
      syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
    },
  };
}

function clusterApplication(model: MeshEnvironment, topology: Topology, cluster: ClusterSpec, env: string): Manifest {
  const argocd = model.spec.argocd!;
  const helm = model.spec.istio.install === 'helm';
  const git = { repoURL: argocd.repoURL, targetRevision: argocd.targetRevision, path: clusterSourcePath(env, cluster.name) };
  const destination: ArgoCdDestination & { namespace: string } = { ...destinationOf(model, cluster), namespace: ISTIO_NAMESPACE };
  const sources = helm
    ? {
        sources: [
          ...helmReleases(planClusterInstall(model, topology, cluster)).map((release) => ({
            repoURL: argocd.chartRepoURL,
            chart: release.chart,
            targetRevision: model.spec.istio.version,
            helm: {
              releaseName: release.releaseName,
              ...(Object.keys(release.values).length > 0 ? { valuesObject: release.values } : {}),
            },
          })),
          git,
        ],
      }
    : { source: git };
  return {
    apiVersion: API_VERSION,
    kind: 'Application',
    metadata: {
      name: applicationName(env, cluster.name),
      namespace: argocd.namespace,
      labels: { [ENVIRONMENT_LABEL]: env, [CLUSTER_LABEL]: cluster.name, [ROLE_LABEL]: cluster.role },
      annotations: { [SYNC_WAVE]: WAVES[cluster.role] },
    },
    spec: {
      project: projectName(model),
      destination,
      ...sources,
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: helm
          ? [
              'CreateNamespace=true',
              // Client-side apply keeps each object in a last-applied annotation capped at 256 KiB,
              // which large CRDs outgrow; server-side apply keeps none.
              'ServerSideApply=true',
              // Keep istiod's webhook fields (ignoreDifferences) at sync too, not only in the diff.
              'RespectIgnoreDifferences=true',
            ]
          : ['CreateNamespace=true'],
        // A remote's first sync can precede its primary's istiod being reachable: retry, do not give up.
        retry: { limit: 5, backoff: { duration: '30s', factor: 2, maxDuration: '5m' } },
      },
      ...(helm ? { ignoreDifferences: ISTIOD_MANAGED_FIELDS } : {}),
    },
  };
}
