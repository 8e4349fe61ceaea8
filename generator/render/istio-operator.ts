/**
 * The cluster's single IstioOperator (seed 000: one IstioOperator per cluster, because istioctl
 * treats each file as the whole installation and a second one deletes or overwrites the first's
 * components). The east-west gateway is a component of it, not a second file.
 */
import { externalIstiodEnv } from '../istio/charts.js';
import type { ClusterInstallPlan } from './install-plan.js';
import { EXTERNAL_ISTIOD, REQUESTED_NETWORK_VIEW } from '../istio/env-vars.js';
import {
  EAST_WEST_GATEWAY_SELECTOR,
  ISTIOD_ADDRESS_ANNOTATION,
  NETWORK_LABEL,
  TCM_SOURCE_CLUSTERS_ANNOTATION,
  TCM_SOURCE_VERSION_ANNOTATION,
} from '../istio/labels.js';
import { EAST_WEST_GATEWAY, EGRESS_GATEWAY, INGRESS_GATEWAY, ISTIO_NAMESPACE } from '../istio/names.js';
import { deepMerge } from './merge.js';
import type { Manifest } from './types.js';

/**
 * values.global's mesh identity: what the IstioOperator's values and the istiod chart's values
 * share key for key (istioctl renders that very chart from them).
 */
export function meshGlobalValues(plan: ClusterInstallPlan): Record<string, unknown> {
  const global: Record<string, unknown> = {
    meshID: plan.meshID,
    multiCluster: { clusterName: plan.clusterName },
    network: plan.network,
  };
  if (plan.meshNetworks) global.meshNetworks = plan.meshNetworks;
  if (plan.remotePilotAddress !== undefined) global.remotePilotAddress = plan.remotePilotAddress;
  if (plan.externalIstiod) global.externalIstiod = true;
  return global;
}

/** meshConfig as meshops derives it; the IstioOperator and the istiod chart both start from it. */
export function derivedMeshConfig(plan: ClusterInstallPlan): Record<string, unknown> {
  return {
    trustDomain: plan.trustDomain,
    ...(Object.keys(plan.proxyMetadata).length > 0 ? { defaultConfig: { proxyMetadata: plan.proxyMetadata } } : {}),
  };
}

export function istioOperator(plan: ClusterInstallPlan): Manifest {
  const ingressGateways: object[] = [
    {
      name: INGRESS_GATEWAY,
      enabled: plan.ingressGateway.enabled,
      ...(plan.ingressGateway.enabled && Object.keys(plan.ingressGateway.serviceAnnotations).length > 0
        ? { k8s: { serviceAnnotations: plan.ingressGateway.serviceAnnotations } }
        : {}),
    },
  ];
  const eastWest = plan.eastWestGateway;
  if (eastWest) {
    ingressGateways.push({
      name: EAST_WEST_GATEWAY,
      enabled: true,
      // IstioOperator gateway labels go to the Service too.
      label: { ...EAST_WEST_GATEWAY_SELECTOR, app: EAST_WEST_GATEWAY, [NETWORK_LABEL]: eastWest.network, ...eastWest.labels },
      k8s: {
        // Traffic arriving through this gateway is routed inside its own network.
        env: [{ name: REQUESTED_NETWORK_VIEW, value: eastWest.network }],
        ...(Object.keys(eastWest.serviceAnnotations).length > 0 ? { serviceAnnotations: eastWest.serviceAnnotations } : {}),
        service: { ...(eastWest.loadBalancerIP !== undefined ? { loadBalancerIP: eastWest.loadBalancerIP } : {}), ports: eastWest.ports },
      },
    });
  }

  // The IstioOperator is the whole installation: an egress gateway it does not list is removed.
  const egressGateways = plan.egressGateway
    ? [{ name: EGRESS_GATEWAY, enabled: true, k8s: { service: { ports: plan.egressGateway.ports } } }]
    : undefined;

  const values: Record<string, unknown> = { global: meshGlobalValues(plan) };
  if (plan.externalIstiod) values.pilot = { env: { [EXTERNAL_ISTIOD]: externalIstiodEnv(plan.version) } };
  if (plan.injectionPath !== undefined) values.istiodRemote = { injectionPath: plan.injectionPath };
  // Gateways are injected from the "gateway" template (Istio's gen-eastwest-gateway does the same).
  if (eastWest) values.gateways = { [INGRESS_GATEWAY]: { injectionTemplate: 'gateway' } };

  const annotations: Record<string, string> = {};
  if (plan.istiodAddress !== undefined) annotations[ISTIOD_ADDRESS_ANNOTATION] = plan.istiodAddress;
  if (plan.tcmSource?.version !== undefined) annotations[TCM_SOURCE_VERSION_ANNOTATION] = plan.tcmSource.version;
  if (plan.tcmSource && plan.tcmSource.clusters.length > 0) annotations[TCM_SOURCE_CLUSTERS_ANNOTATION] = plan.tcmSource.clusters.join(',');

  return {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    metadata: {
      name: plan.revision ? `istio-${plan.revision}` : 'istio',
      namespace: ISTIO_NAMESPACE,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      profile: plan.profile,
      ...(plan.hub ? { hub: plan.hub } : {}),
      tag: plan.version,
      ...(plan.revision ? { revision: plan.revision } : {}),
      meshConfig: deepMerge(derivedMeshConfig(plan), plan.overlay.meshConfig),
      components: { ingressGateways, ...(egressGateways ? { egressGateways } : {}) },
      values: deepMerge(values, plan.overlay.values),
    },
  };
}
