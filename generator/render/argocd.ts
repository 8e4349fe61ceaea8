/**
 * rendered/<env>/argocd/: what Argo CD needs to deliver the mesh, all Kubernetes objects (Argo CD
 * reads the directory as a plain directory source): the AppProject fencing this mesh's repositories
 * and clusters, one Application per cluster, and the root Application (app of apps) that an
 * operator applies once by hand and that keeps everything else here in sync, itself included;
 * and, in settings/, the argocd-cm keys the waves depend on, applied once by hand too.
 *
 * `install: helm` Applications install Istio from its charts (base, istiod, gateway) with values
 * from helm-values.ts, plus the cluster's kustomize root from Git, the gateway charts in an
 * Application of their own; `install: istioctl` Applications sync only the kustomize root, Istio
 * itself being installed with `istioctl install -f`.
 */
import { isIP } from 'node:net';
import { stringify } from 'yaml';
import { APPLICATION_HEALTH_KEY, KEEP_ON_DELETE, SYNC_OPTIONS, SYNC_WAVE } from '../istio/argocd.js';
import { ASM_MIGRATION_API_VERSION, ASM_MIGRATION_KIND } from '../istio/asm.js';
import { CLUSTER_LABEL, ENVIRONMENT_LABEL, ROLE_LABEL } from '../istio/labels.js';
import { ISTIO_NAMESPACE } from '../istio/names.js';
import { ARGOCD_CM_FILE, ARGOCD_DIR, ASM_DIR, renderedClusterDir, renderedEnvironmentDir } from '../layout.js';
import { applicationName, asmApplicationName, asmDestinationOf, destinationOf, GATEWAYS_APPLICATION_SUFFIX, type ArgoCdDestination } from '../model/delivery.js';
import type { ClusterSpec, MeshEnvironment } from '../model/mesh-environment.js';
import type { Topology } from '../model/topology.js';
import { helmReleases, type HelmRelease } from './helm-values.js';
import { planClusterInstall } from './install-plan.js';
import type { Manifest, RenderedFile } from './types.js';

const API_VERSION = 'argoproj.io/v1alpha1';
/** Where the root Application deploys to: the cluster Argo CD itself runs in. */
const IN_CLUSTER = 'https://kubernetes.default.svc';


/**
 * Sync waves of the root Application. They only wait because argocd-cm declares a health check for
 * Application (see argocdConfigMap); each wave starts when every Application of the one before is
 * Healthy.
 * - project: the AppProject before the Applications that name it.
 * - remote: each remote's istio-system Namespace with its topology.istio.io/controlPlaneClusters
 *   annotation (and, with Helm, its remote-profile charts, which need nothing from the primary).
 *   istiod reads that annotation once, when the remote's secret arrives on the primary.
 * - primary: the primaries' istiod and mesh configuration, with the remote secrets.
 * - primaryGateways, remoteGateways: gateway pods are injected (`image: auto`) by the webhook of
 *   the cluster's istiod, which must exist first: in one sync Argo CD applies Deployments before
 *   MutatingWebhookConfigurations (istio/istio#53290). A remote's injector is served by its primary,
 *   and answers once the primary's east-west gateway is up and holds the remote's secret.
 * - asm: an ASM migration's state after the clusters whose installation that state changes.
 */
export const WAVES = { project: '-1', remote: '0', primary: '1', primaryGateways: '2', remoteGateways: '3', asm: '4' } as const;


/**
 * An object Argo CD leaves in place when its Application is deleted, `argocd app delete`'s default
 * cascade included (docs/user-guide/sync-options.md, "No Resource Deletion"): istio-system holds
 * what istioctl and istiod created, not only what Git declares.
 */
export function keptOnDelete(object: Manifest): Manifest {
  return { ...object, metadata: { ...object.metadata, annotations: { ...(object.metadata.annotations as Record<string, string> | undefined), [SYNC_OPTIONS]: KEEP_ON_DELETE } } };
}

/** The Applications' retry: a failed sync (e.g. a webhook not answering yet) is tried again with backoff. */
const RETRY = { limit: 5, backoff: { duration: '30s', factor: 2, maxDuration: '5m' } };

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
    { path: ARGOCD_CM_FILE, documents: [argocdConfigMap(model, topology)] },
    ...(model.spec.argocd.applicationSet
      ? [{ path: `${ARGOCD_DIR}/applicationset.yaml`, documents: [applicationSet(model, topology)] }]
      : // application-<cluster>.gateways.yaml: a cluster name has no dot, so no cluster's file is named so.
        topology.clusters.flatMap((cluster) =>
          clusterApplications(model, topology, cluster, env).map((app) => ({
            path: `${ARGOCD_DIR}/application-${app.metadata.name.slice(env.length + 1)}.yaml`,
            documents: [app],
          })),
        )),
    ...(model.spec.migration?.asm ? [{ path: `${ARGOCD_DIR}/asm-application.yaml`, documents: [asmApplication(model)] }] : []),
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * argocd-cm's settings the mesh needs, applied once by hand (README): Argo CD's own configuration,
 * shared by every Application of that Argo CD, so no environment's root Application owns it, and
 * the health check must be in place before the root's waves mean anything. It sits in a
 * subdirectory: the root Application's directory source does not recurse.
 */
const RESOURCE_EXCLUSIONS_KEY = 'resource.exclusions';

/**
 * Argo CD's documented health check for Application (docs/operator-manual/health.md, "Argocd App"):
 * built in until 1.8; without it a child Application counts as healthy at once and sync waves
 * between Applications do not wait.
 */
const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/**
 * Argo CD 3.0's default resource.exclusions (manifests/base/config/argocd-cm.yaml; upgrading
 * 2.14-3.0) without its first entry, Endpoints and EndpointSlice: a Helm-installed remote's istiod
 * chart (profile remote, remotePilotAddress an IP) reaches its primary through an Endpoints (Istio
 * 1.24-1.27, templates/remote-istiod-endpoints.yaml) or EndpointSlice (1.28 on,
 * remote-istiod-endpointslices.yaml) object, which Argo CD would otherwise never apply.
 */
const RESOURCE_EXCLUSIONS_WITH_ENDPOINTS = [
  { apiGroups: ['apiregistration.k8s.io'], kinds: ['APIService'] },
  { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'] },
  {
    apiGroups: ['authentication.k8s.io', 'authorization.k8s.io'],
    kinds: ['SelfSubjectReview', 'TokenReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
  },
  { apiGroups: ['certificates.k8s.io'], kinds: ['CertificateSigningRequest'] },
  { apiGroups: ['cert-manager.io'], kinds: ['CertificateRequest'] },
  { apiGroups: ['cilium.io'], kinds: ['CiliumIdentity', 'CiliumEndpoint', 'CiliumEndpointSlice'] },
  {
    apiGroups: ['kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'],
    kinds: [
      'PolicyReport',
      'ClusterPolicyReport',
      'EphemeralReport',
      'ClusterEphemeralReport',
      'AdmissionReport',
      'ClusterAdmissionReport',
      'BackgroundScanReport',
      'ClusterBackgroundScanReport',
      'UpdateRequest',
    ],
  },
];

/** Whether a cluster's charts render an Endpoints/EndpointSlice object: a Helm-installed remote whose istiod address is an IP. */
function needsEndpoints(model: MeshEnvironment, topology: Topology): boolean {
  if (model.spec.istio.install !== 'helm') return false;
  return topology.clusters.some((cluster) => {
    if (cluster.role !== 'remote') return false;
    const address = planClusterInstall(model, topology, cluster).remotePilotAddress;
    return address !== undefined && isIP(address) !== 0;
  });
}

function argocdConfigMap(model: MeshEnvironment, topology: Topology): Manifest {
  const argocd = model.spec.argocd!;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'argocd-cm',
      namespace: argocd.namespace,
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    },
    data: {
      [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA,
      ...(needsEndpoints(model, topology) ? { [RESOURCE_EXCLUSIONS_KEY]: stringify(RESOURCE_EXCLUSIONS_WITH_ENDPOINTS) } : {}),
    },
  };
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
      // No resources-finalizer: deleting the root Application leaves the clusters' Applications.
      syncPolicy: { automated: { prune: true, selfHeal: true }, retry: RETRY },
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

/**
 * `argocd.applicationSet` (install: istioctl): one ApplicationSet instead of an Application per
 * cluster. A Git directory generator per role (its `values` give the role label): the primaries'
 * directories by name, every other directory as a remote. The RollingSync strategy (progressive
 * syncs, docs/operator-manual/applicationset/Progressive-Syncs.md) syncs the remotes' step first,
 * so each remote's annotated istio-system precedes the primaries' remote secrets (WAVES), and
 * waits for every Application of a step to be Healthy. RollingSync turns automated sync off on
 * the Applications and syncs them itself, with their retry settings: the template has none.
 */
function applicationSet(model: MeshEnvironment, topology: Topology): Manifest {
  const argocd = model.spec.argocd!;
  const env = model.metadata.name;
  const primaries = topology.primaries.map((p) => renderedClusterDir(env, p.name));
  const generator = (directories: object[], role: ClusterSpec['role']) => ({
    git: { repoURL: argocd.repoURL, revision: argocd.targetRevision, directories, values: { role } },
  });
  const step = (role: ClusterSpec['role']) => ({ matchExpressions: [{ key: ROLE_LABEL, operator: 'In', values: [role] }] });
  return {
    apiVersion: API_VERSION,
    kind: 'ApplicationSet',
    metadata: { name: env, namespace: argocd.namespace, labels: { [ENVIRONMENT_LABEL]: env }, annotations: { [SYNC_WAVE]: WAVES.remote } },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [
        generator(primaries.map((path) => ({ path })), 'primary'),
        generator([{ path: renderedClusterDir(env, '*') }, ...primaries.map((path) => ({ path, exclude: true }))], 'remote'),
      ],
      strategy: { type: 'RollingSync', rollingSync: { steps: [step('remote'), step('primary')] } },
      template: {
        metadata: {
          name: applicationName(env, '{{.path.basename}}'),
          labels: { [ENVIRONMENT_LABEL]: env, [CLUSTER_LABEL]: '{{.path.basename}}', [ROLE_LABEL]: '{{.values.role}}' },
        },
        spec: {
          project: projectName(model),
          source: { repoURL: argocd.repoURL, targetRevision: argocd.targetRevision, path: '{{.path.path}}' },
          destination: { name: '{{.path.basename}}', namespace: ISTIO_NAMESPACE },
          syncPolicy: { syncOptions: ['CreateNamespace=true'], retry: RETRY },
        },
      },
    },
  };
}

/** The Application name of a cluster's gateway charts, synced after its istiod (WAVES). */
export function gatewaysApplicationName(env: string, cluster: string): string {
  return `${applicationName(env, cluster)}${GATEWAYS_APPLICATION_SUFFIX}`;
}

/**
 * A cluster's Applications: its control plane (base and istiod charts with `install: helm`) and
 * kustomize root, then, in a later wave, its gateway charts.
 */
function clusterApplications(model: MeshEnvironment, topology: Topology, cluster: ClusterSpec, env: string): Manifest[] {
  const argocd = model.spec.argocd!;
  const helm = model.spec.istio.install === 'helm';
  const git = { repoURL: argocd.repoURL, targetRevision: argocd.targetRevision, path: clusterSourcePath(env, cluster.name) };
  const releases = helm ? helmReleases(planClusterInstall(model, topology, cluster)) : [];
  const chartSource = (release: HelmRelease) => ({
    repoURL: argocd.chartRepoURL,
    chart: release.chart,
    targetRevision: model.spec.istio.version,
    helm: {
      releaseName: release.releaseName,
      ...(Object.keys(release.values).length > 0 ? { valuesObject: release.values } : {}),
    },
  });
  const controlPlane = releases.filter((r) => r.chart !== 'gateway');
  const gateways = releases.filter((r) => r.chart === 'gateway');
  const apps = [
    application(model, cluster, applicationName(env, cluster.name), WAVES[cluster.role], helm ? { sources: [...controlPlane.map(chartSource), git] } : { source: git }),
  ];
  if (gateways.length > 0) {
    const wave = cluster.role === 'primary' ? WAVES.primaryGateways : WAVES.remoteGateways;
    apps.push(application(model, cluster, gatewaysApplicationName(env, cluster.name), wave, { sources: gateways.map(chartSource) }));
  }
  return apps;
}

function application(model: MeshEnvironment, cluster: ClusterSpec, name: string, wave: string, sources: Record<string, unknown>): Manifest {
  const argocd = model.spec.argocd!;
  const env = model.metadata.name;
  const helm = model.spec.istio.install === 'helm';
  const destination: ArgoCdDestination & { namespace: string } = { ...destinationOf(model, cluster), namespace: ISTIO_NAMESPACE };
  return {
    apiVersion: API_VERSION,
    kind: 'Application',
    metadata: {
      name,
      namespace: argocd.namespace,
      labels: { [ENVIRONMENT_LABEL]: env, [CLUSTER_LABEL]: cluster.name, [ROLE_LABEL]: cluster.role },
      annotations: { [SYNC_WAVE]: wave },
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
        retry: RETRY,
      },
      ...(helm ? { ignoreDifferences: ISTIOD_MANAGED_FIELDS } : {}),
    },
  };
}
