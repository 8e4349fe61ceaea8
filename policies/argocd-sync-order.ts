import { APPLICATION_HEALTH_KEY, SYNC_WAVE } from '../generator/istio/argocd.js';
import { asObject, get } from '../generator/json.js';
import { applicationCluster, applicationSources, isApplication } from '../generator/validate/helm-charts.js';
import type { ManifestDoc } from '../generator/validate/manifests.js';
import type { Policy } from '../generator/validate/policy.js';

const WAVE_PATH = ['metadata', 'annotations', SYNC_WAVE];

function waveOf(app: ManifestDoc): number {
  const wave = Number(get(app.object, WAVE_PATH) ?? 0);
  return Number.isFinite(wave) ? wave : 0;
}

function charts(app: ManifestDoc): string[] {
  return applicationSources(app).flatMap(({ source }) => (typeof source.chart === 'string' ? [source.chart] : []));
}

/** The Application syncing a cluster's kustomize root (a Git source .../clusters/<cluster>). */
function rootApplication(apps: readonly ManifestDoc[], cluster: string): ManifestDoc | undefined {
  return apps.find((app) =>
    applicationSources(app).some(({ source }) => typeof source.path === 'string' && /(^|\/)clusters\/([^/]+)\/?$/.exec(source.path)?.[2] === cluster),
  );
}

/**
 * The order the root Application's sync waves must keep for a mesh to come up (istio/istio#53290
 * and Istio's multicluster install guides); the waves only wait with argocd-cm's Application health
 * check (Argo CD docs/operator-manual/health.md).
 */
export const argocdSyncOrder: Policy = {
  id: 'argocd-sync-order',
  description:
    "The Applications' sync waves sync each remote's istio-system (its controlPlaneClusters annotation) before the remote secret on its primary, and gateway charts after their cluster's istiod chart, in a later Application.",
  severity: 'error',
  docs: {
    rationale:
      "istiod reads a remote's topology.istio.io/controlPlaneClusters annotation once, when the remote's secret arrives: if the secret wins, istiod never patches the remote's injector caBundle and every injection there fails (failurePolicy Fail) until istiod restarts. Gateway pods are injected (image: auto) by their istiod's webhook; in one sync Argo CD applies Deployments before MutatingWebhookConfigurations (istio/istio#53290), so a gateway chart in the istiod chart's Application starts uninjected pods while the sync reports success. A remote's gateways also need the primary to hold the remote's secret. Waves between Applications only wait when argocd-cm declares a health check for argoproj.io/Application (removed from Argo CD's built-ins in 1.8): a tree that carries argocd-cm must declare it.",
    bad: `# argocd/application-c1.yaml: the gateway chart in the istiod chart's Application
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c1, namespace: argocd, labels: {meshops.dev/cluster: c1}}
spec:
  sources:
  - {repoURL: https://istio-release.storage.googleapis.com/charts, chart: istiod}
  - {repoURL: https://istio-release.storage.googleapis.com/charts, chart: gateway}
# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}`,
    good: `# argocd/application-c1.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c1, namespace: argocd, labels: {meshops.dev/cluster: c1}, annotations: {argocd.argoproj.io/sync-wave: "0"}}
spec: {sources: [{repoURL: https://istio-release.storage.googleapis.com/charts, chart: istiod}]}
# argocd/application-c1.gateways.yaml: a later wave, once istiod's webhook is in place
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c1.gateways, namespace: argocd, labels: {meshops.dev/cluster: c1}, annotations: {argocd.argoproj.io/sync-wave: "1"}}
spec: {sources: [{repoURL: https://istio-release.storage.googleapis.com/charts, chart: gateway}]}
# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}`,
  },
  check({ env, mesh, report }) {
    const apps = env.shared.flatMap((f) => f.docs).filter(isApplication);
    if (apps.length === 0) return;
    for (const remote of mesh.remotes) {
      const primary = mesh.primaryOf(remote);
      if (!primary || !primary.remoteSecretFor.has(remote.name) || !remote.istioSystemNamespace) continue;
      const remoteApp = rootApplication(apps, remote.cluster.name);
      const primaryApp = rootApplication(apps, primary.cluster.name);
      if (!remoteApp || !primaryApp || waveOf(remoteApp) < waveOf(primaryApp)) continue;
      report({
        doc: primaryApp,
        path: WAVE_PATH,
        message:
          `Application "${primaryApp.name}" syncs the remote secret of "${remote.name}" in wave ${waveOf(primaryApp)}, not after Application "${remoteApp.name}" ` +
          `(wave ${waveOf(remoteApp)}) annotates that remote's istio-system with its control plane: istiod reads the annotation only when the secret arrives; give the remote's Application a lower wave`,
      });
    }
    for (const cluster of env.clusters) {
      const own = apps.filter((app) => applicationCluster(app) === cluster.name);
      const istiod = own.find((app) => charts(app).includes('istiod'));
      if (!istiod) continue;
      // A remote's gateways also wait for its primary's Application, which holds the remote's secret.
      const facts = mesh.clusters.find((c) => c.cluster === cluster);
      const primary = facts?.role === 'remote' ? mesh.primaryOf(facts) : undefined;
      const primaryApp = primary ? rootApplication(apps, primary.cluster.name) : undefined;
      for (const app of own.filter((a) => charts(a).includes('gateway'))) {
        const after = primaryApp && waveOf(primaryApp) > waveOf(istiod) ? primaryApp : istiod;
        if (app !== istiod && waveOf(app) > waveOf(after)) continue;
        report({
          doc: app,
          path: app === istiod ? ['spec', 'sources'] : WAVE_PATH,
          message:
            app === istiod
              ? `Application "${app.name}" installs the gateway chart with the istiod chart: in one sync Argo CD applies the gateway's Deployment before istiod's injection webhook, and its pods start uninjected (image: auto); move the gateway charts to an Application in a later wave`
              : `Application "${app.name}" syncs gateway charts in wave ${waveOf(app)}, not after Application "${after.name}" (wave ${waveOf(after)}) that ${after === istiod ? "installs the cluster's istiod and its injection webhook" : "holds the cluster's remote secret on its primary"}: give it a later wave`,
        });
      }
    }
    for (const cm of env.shared.flatMap((f) => f.docs).filter((d) => d.kind === 'ConfigMap' && d.name === 'argocd-cm')) {
      if (asObject(get(cm.object, ['data']))?.[APPLICATION_HEALTH_KEY] !== undefined) continue;
      report({
        doc: cm,
        path: ['data'],
        message:
          `argocd-cm declares no ${APPLICATION_HEALTH_KEY}: without it Argo CD counts a child Application healthy at once, and the sync waves between Applications do not wait`,
      });
    }
  },
};
