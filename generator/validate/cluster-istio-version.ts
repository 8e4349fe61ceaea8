/**
 * The Istio version each cluster of a tree runs, for checking its Istio objects against that
 * version's CRDs: what the cluster states (its IstioOperator's spec.tag, else the targetRevision of
 * the istiod chart its Application installs), else what the environment states (the newest minor
 * any of its clusters states), else nothing (chooseMinor's newest).
 */
import { ISTIOD_CHART } from '../istio/charts.js';
import { asObject } from '../json.js';
import { chooseMinor, minorNumber, type VersionChoice } from '../schemas/istio-versions.js';
import { isIstioOperator } from './cluster-facts.js';
import { applicationCluster, applicationSources, isApplication } from './helm-charts.js';
import type { ClusterTree, EnvironmentTree } from './manifests.js';

export interface TreeIstioVersions {
  /** The version of a cluster's Istio objects. */
  of(cluster: ClusterTree): VersionChoice;
  /** The environment's, for its files outside the clusters (argocd/, asm/). */
  environment: VersionChoice;
}

/** A choice that names a version (known, newer or older), not the newest for want of one. */
function stated(version: unknown): VersionChoice | undefined {
  const choice = chooseMinor(version);
  return choice.relation === 'unstated' ? undefined : choice;
}

/** Oldest first; an older-than-known version is older than every known one. */
function rank(choice: VersionChoice): number {
  return choice.relation === 'older' ? -1 : minorNumber(choice.minor) + (choice.relation === 'newer' ? 1 : 0);
}

export function treeIstioVersions(env: EnvironmentTree): TreeIstioVersions {
  // Only a cluster without a tag needs the Applications: indexed on first use.
  let chartVersions: Map<string, VersionChoice> | undefined;
  const chartVersionOf = (cluster: ClusterTree) => {
    if (!chartVersions) {
      chartVersions = new Map();
      for (const app of env.shared.flatMap((f) => f.docs).filter(isApplication)) {
        const name = applicationCluster(app);
        const istiod = applicationSources(app).find(({ source }) => source.chart === ISTIOD_CHART);
        const choice = istiod ? stated(istiod.source.targetRevision) : undefined;
        if (name !== undefined && choice && !chartVersions.has(name)) chartVersions.set(name, choice);
      }
    }
    return chartVersions.get(cluster.name);
  };
  const own = new Map<ClusterTree, VersionChoice | undefined>();
  for (const cluster of env.clusters) {
    const spec = asObject(cluster.docs.find(isIstioOperator)?.object.spec);
    own.set(cluster, stated(spec?.tag) ?? chartVersionOf(cluster));
  }
  const newestStated = [...own.values()].reduce<VersionChoice | undefined>((best, c) => (c && (!best || rank(c) > rank(best)) ? c : best), undefined);
  const environment = newestStated ?? chooseMinor(undefined);
  return { of: (cluster) => own.get(cluster) ?? environment, environment };
}
