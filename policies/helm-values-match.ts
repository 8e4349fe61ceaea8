import { loadKubernetesYaml } from '../generator/validate/kubernetes-yaml.js';
import type { FieldPath } from '../generator/findings.js';
import { CLUSTERS_DIR } from '../generator/layout.js';
import { CLUSTER_LABEL } from '../generator/istio/labels.js';
import { globalPath, type ClusterFacts } from '../generator/validate/cluster-facts.js';
import { asObject, get, scalarText } from '../generator/json.js';
import { applicationSources, isApplication } from '../generator/validate/helm-charts.js';
import type { JsonObject, ManifestDoc } from '../generator/validate/manifests.js';
import type { Policy } from '../generator/validate/policy.js';

/** A chart source of an Application and its Helm values (valuesObject, or a `values` YAML string). */
interface ChartValues {
  chart: string;
  values: JsonObject;
  /** Where the values are; for a `values` string, its key (the string's own lines are not the file's). */
  path: FieldPath;
  inline: boolean;
}

/** What the istiod chart and the IstioOperator must both say, as value path -> IstioOperator path. */
const ISTIOD_FIELDS: { name: string; values: FieldPath; iop: FieldPath; fact: (c: ClusterFacts) => unknown }[] = [
  { name: 'global.meshID', values: ['global', 'meshID'], iop: globalPath('meshID'), fact: (c) => c.meshID },
  { name: 'global.multiCluster.clusterName', values: ['global', 'multiCluster', 'clusterName'], iop: globalPath('multiCluster', 'clusterName'), fact: (c) => c.clusterName },
  { name: 'global.network', values: ['global', 'network'], iop: globalPath('network'), fact: (c) => c.network },
  { name: 'global.remotePilotAddress', values: ['global', 'remotePilotAddress'], iop: globalPath('remotePilotAddress'), fact: (c) => c.remotePilotAddress },
];

/** The Application deploys the cluster: one of its sources is `.../clusters/<name>`, or it carries meshops' cluster label. */
function deploysCluster(app: ManifestDoc, cluster: string): boolean {
  if (asObject(get(app.object, ['metadata', 'labels']))?.[CLUSTER_LABEL] === cluster) return true;
  return applicationSources(app).some(({ source }) => {
    const segments = typeof source.path === 'string' ? source.path.split('/').filter((s) => s !== '' && s !== '.') : [];
    return segments.length >= 2 && segments[segments.length - 2] === CLUSTERS_DIR && segments[segments.length - 1] === cluster;
  });
}

function chartValues(source: JsonObject, sourcePath: FieldPath): ChartValues | undefined {
  if (typeof source.chart !== 'string') return undefined;
  const helm = asObject(source.helm);
  const object = asObject(helm?.valuesObject);
  if (object) return { chart: source.chart, values: object, path: [...sourcePath, 'helm', 'valuesObject'], inline: false };
  if (typeof helm?.values !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = loadKubernetesYaml(helm.values);
  } catch {
    return undefined; // not YAML: Argo CD's own sync reports it, and schema rules are not this rule's business
  }
  return asObject(parsed) ? { chart: source.chart, values: asObject(parsed)!, path: [...sourcePath, 'helm', 'values'], inline: true } : undefined;
}

const shown = (value: unknown) => (scalarText(value) === undefined ? 'nothing' : `"${scalarText(value)}"`);

/**
 * The GitOps install path (Argo CD, Istio's Helm charts) and the istioctl path (the IstioOperator)
 * are two projections of one model; a hand edit of either makes them install different meshes.
 */
export const helmValuesMatch: Policy = {
  id: 'helm-values-match',
  description:
    "The Helm values of each cluster's Argo CD Application agree with its IstioOperator on meshID, clusterName, network and remotePilotAddress.",
  severity: 'error',
  docs: {
    rationale:
      "With install: helm, Argo CD installs Istio from its charts with the values in the cluster's Application, while istioctl (upgrades, disaster recovery, the policies of this validator) reads the IstioOperator beside it. When the two disagree on the mesh's identity, whichever installs last decides which mesh the cluster joins: a different meshID or network splits the mesh, a different clusterName breaks endpoint discovery, a different remotePilotAddress points the remote at the wrong istiod.",
    bad: `# argocd/application-cls-ne1cw84b.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: cls-ne1cw84b, labels: {meshops.dev/cluster: cls-ne1cw84b}}
spec:
  sources:
  - {repoURL: https://istio-release.storage.googleapis.com/charts, chart: istiod, helm: {valuesObject: {global: {meshID: mesh2, network: main}}}}
# clusters/cls-ne1cw84b/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {meshID: mesh1, network: main}}}`,
    good: `# argocd/application-cls-ne1cw84b.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: cls-ne1cw84b, labels: {meshops.dev/cluster: cls-ne1cw84b}}
spec:
  sources:
  - {repoURL: https://istio-release.storage.googleapis.com/charts, chart: istiod, helm: {valuesObject: {global: {meshID: mesh1, network: main}}}}
# clusters/cls-ne1cw84b/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {meshID: mesh1, network: main}}}`,
  },
  check({ env, clusters, report }) {
    const applications = env.shared.flatMap((f) => f.docs).filter(isApplication);
    for (const facts of clusters) {
      const iop = facts.iop;
      if (!iop) continue; // single-istiooperator reports it
      const cluster = facts.cluster.name;
      const where = (path: FieldPath) => `${iop.file.path}${iop.file.lineOf(iop.index, path) !== undefined ? `:${iop.file.lineOf(iop.index, path)}` : ''}`;
      for (const app of applications.filter((a) => deploysCluster(a, cluster))) {
        const differ = (chart: ChartValues, name: string, valuesPath: FieldPath, helmValue: unknown, iopValue: unknown, iopPath: FieldPath) => {
          if (scalarText(helmValue) === scalarText(iopValue)) return;
          report({
            doc: app,
            cluster,
            path: chart.inline ? chart.path : [...chart.path, ...valuesPath],
            message:
              `Application "${app.name}" installs the ${chart.chart} chart with ${name} ${shown(helmValue)}, but the IstioOperator of cluster "${cluster}" ` +
              `(${where(iopPath)}) says ${shown(iopValue)}: Argo CD and istioctl would install different meshes; change the environment and re-render`,
          });
        };
        for (const { source, path } of applicationSources(app)) {
          const chart = chartValues(source, path);
          if (chart?.chart === 'istiod') {
            for (const field of ISTIOD_FIELDS) differ(chart, field.name, field.values, get(chart.values, field.values), field.fact(facts), field.iop);
          } else if (chart?.chart === 'gateway' && chart.values.networkGateway !== undefined) {
            // The east-west gateway's network must be the cluster's (network-match checks the IstioOperator side).
            differ(chart, 'networkGateway', ['networkGateway'], chart.values.networkGateway, facts.network, globalPath('network'));
          }
        }
      }
    }
  },
};
