import { DEFAULT_CLUSTER_NAME } from '../generator/istio/names.js';
import type { ClusterFacts } from '../generator/validate/cluster-facts.js';
import { asArray, asObject, get, scalarText } from '../generator/json.js';
import type { ChartRender, JsonObject, ManifestDoc } from '../generator/validate/manifests.js';
import type { Policy } from '../generator/validate/policy.js';
import { loadKubernetesYaml } from '../generator/validate/kubernetes-yaml.js';

interface Stated {
  what: string;
  rendered: unknown;
  expected: unknown;
}

function parsed(text: unknown, json: boolean): JsonObject | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return asObject(json ? JSON.parse(text) : loadKubernetesYaml(text));
  } catch {
    return undefined;
  }
}

function containerEnv(doc: ManifestDoc): Map<string, unknown> {
  const env = new Map<string, unknown>();
  for (const container of asArray(get(doc.object, ['spec', 'template', 'spec', 'containers']))) {
    for (const e of asArray(asObject(container)?.env)) {
      const entry = asObject(e);
      if (typeof entry?.name === 'string') env.set(entry.name, entry.value);
    }
  }
  return env;
}

/** Canonical JSON (keys sorted), so two maps compare by content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as JsonObject)[k])}`).join(',')}}`;
  }
  return JSON.stringify(scalarText(value) ?? null);
}

/** What the istiod chart renders about the mesh, beside what the cluster's IstioOperator says. */
function statements(render: ChartRender, facts: ClusterFacts): Stated[] {
  const out: Stated[] = [];
  const iopValues = asObject(get(facts.iop!.object, ['spec', 'values'])) ?? {};
  for (const doc of render.docs) {
    if (doc.kind === 'ConfigMap' && doc.name.startsWith('istio-sidecar-injector')) {
      // The injector's copy of the values: what every injected proxy is told.
      const global = asObject(parsed(get(doc.object, ['data', 'values']), true)?.global) ?? {};
      const what = (field: string) => `ConfigMap ${doc.name} values global.${field}`;
      out.push({ what: what('meshID'), rendered: global.meshID, expected: facts.meshID });
      out.push({ what: what('network'), rendered: global.network, expected: facts.network });
      out.push({ what: what('multiCluster.clusterName'), rendered: get(global, ['multiCluster', 'clusterName']), expected: facts.clusterName });
      if (facts.remotePilotAddress !== undefined) out.push({ what: what('remotePilotAddress'), rendered: global.remotePilotAddress, expected: facts.remotePilotAddress });
    } else if (doc.kind === 'Deployment' && doc.name.startsWith('istiod')) {
      const env = containerEnv(doc);
      out.push({ what: `Deployment ${doc.name} env CLUSTER_ID`, rendered: env.get('CLUSTER_ID'), expected: facts.clusterName ?? DEFAULT_CLUSTER_NAME });
      const external = get(iopValues, ['pilot', 'env', 'EXTERNAL_ISTIOD']) ?? get(iopValues, ['global', 'externalIstiod']);
      out.push({ what: `Deployment ${doc.name} env EXTERNAL_ISTIOD`, rendered: env.get('EXTERNAL_ISTIOD') ?? false, expected: external ?? false });
    } else if (doc.kind === 'ConfigMap' && /^istio(-[a-z0-9-]+)?$/.test(doc.name) && facts.meshNetworks !== undefined) {
      const networks = parsed(get(doc.object, ['data', 'meshNetworks']), false)?.networks;
      if (canonical(networks ?? {}) !== canonical(facts.meshNetworks)) {
        out.push({ what: `ConfigMap ${doc.name} meshNetworks`, rendered: canonical(networks ?? {}), expected: canonical(facts.meshNetworks) });
      }
    }
  }
  return out;
}

/**
 * With --helm: istiod as the istiod chart renders it (its Deployment's env, the injector's values,
 * the mesh ConfigMap's meshNetworks) is the istiod the cluster's IstioOperator describes.
 */
export const helmIstiodValues: Policy = {
  id: 'helm-istiod-values',
  description:
    "With --helm: the istiod chart's rendered objects (istiod's CLUSTER_ID and EXTERNAL_ISTIOD env, the injector's meshID, network, clusterName and remotePilotAddress, meshNetworks) say what the cluster's IstioOperator says.",
  severity: 'error',
  docs: {
    rationale:
      "helm-values-match compares the values an Application passes with the IstioOperator, but what istiod runs with is what the chart makes of those values: a value under the wrong key, a profile or a chart version that reads it elsewhere, and istiod starts with another cluster ID, without EXTERNAL_ISTIOD, or tells injected proxies another network. This rule compares the rendered objects with the IstioOperator, so the two install paths describe one mesh in fact, not only on paper.",
    bad: `# argocd/application-c1.yaml: clusterName one level too high, where the chart does not read it
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c1, labels: {meshops.dev/cluster: c1}}
spec:
  sources:
  - repoURL: https://istio-release.storage.googleapis.com/charts
    chart: istiod
    helm: {valuesObject: {global: {meshID: mesh1}, clusterName: c1}}
# helm template argocd/application-c1.yaml: what the chart renders, in part
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system}
spec: {template: {spec: {containers: [{name: discovery, env: [{name: CLUSTER_ID, value: Kubernetes}]}]}}}
# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {meshID: mesh1, multiCluster: {clusterName: c1}}}}`,
    good: `# argocd/application-c1.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c1, labels: {meshops.dev/cluster: c1}}
spec:
  sources:
  - repoURL: https://istio-release.storage.googleapis.com/charts
    chart: istiod
    helm: {valuesObject: {global: {meshID: mesh1, multiCluster: {clusterName: c1}}}}
# helm template argocd/application-c1.yaml: what the chart renders, in part
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system}
spec: {template: {spec: {containers: [{name: discovery, env: [{name: CLUSTER_ID, value: c1}]}]}}}
# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {meshID: mesh1, multiCluster: {clusterName: c1}}}}`,
  },
  check({ env, clusters, report }) {
    for (const render of env.charts ?? []) {
      const { source } = render;
      if (source.chart !== 'istiod') continue;
      const facts = clusters.find((c) => c.cluster.name === source.cluster);
      if (!facts?.iop) continue; // single-istiooperator reports it
      for (const stated of statements(render, facts)) {
        if ((scalarText(stated.rendered) ?? '') === (scalarText(stated.expected) ?? '')) continue;
        report({
          doc: source.app,
          cluster: facts.cluster.name,
          path: source.valuesPath,
          message:
            `the istiod chart (release ${source.releaseName}) renders ${stated.what} ${scalarText(stated.rendered) === undefined ? 'unset' : `"${scalarText(stated.rendered)}"`}, ` +
            `but the IstioOperator of cluster "${facts.cluster.name}" (${facts.iop.file.path}) says ${scalarText(stated.expected) === undefined ? 'nothing' : `"${scalarText(stated.expected)}"`}: ` +
            'Argo CD would run another istiod than the IstioOperator describes',
        });
      }
    }
  },
};
