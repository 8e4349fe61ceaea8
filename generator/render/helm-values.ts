/**
 * The Helm releases of the GitOps install path (`install: helm`): Istio's charts base, istiod and
 * gateway, with values projected from the same ClusterInstallPlan as the IstioOperator
 * (istio-operator.ts), so the two install paths cannot describe different meshes.
 * Value names follow Istio's charts (manifests/charts/{base,istio-control/istio-discovery,gateway})
 * and its multicluster Helm guides; where the IstioOperator has `spec.values`, the istiod chart
 * takes the same keys, because istioctl renders that very chart from them.
 */
import { HELM_NETWORK_GATEWAY_PORTS_SINCE } from '../istio/charts.js';
import { EXTERNAL_ISTIOD } from '../istio/env-vars.js';
import { externalIstiodEnv } from '../istio/charts.js';
import { EAST_WEST_GATEWAY, EGRESS_GATEWAY, INGRESS_GATEWAY } from '../istio/names.js';
import { CROSS_NETWORK_PORT } from '../istio/ports.js';
import { atLeast } from '../istio/version.js';
import type { ClusterInstallPlan } from './install-plan.js';
import { derivedMeshConfig, meshGlobalValues } from './istio-operator.js';
import { deepMerge } from './merge.js';

export type IstioChart = 'base' | 'istiod' | 'gateway';

export interface HelmRelease {
  /** The release name; for the gateway chart also the gateway's name and its app/istio labels. */
  releaseName: string;
  chart: IstioChart;
  values: Record<string, unknown>;
}

/** In install order: CRDs (base), the control plane (istiod), then the gateways it injects. */
export function helmReleases(plan: ClusterInstallPlan): HelmRelease[] {
  const releases: HelmRelease[] = [
    { releaseName: 'istio-base', chart: 'base', values: baseValues(plan) },
    { releaseName: 'istiod', chart: 'istiod', values: istiodValues(plan) },
  ];
  if (plan.eastWestGateway) releases.push({ releaseName: EAST_WEST_GATEWAY, chart: 'gateway', values: eastWestGatewayValues(plan) });
  if (plan.ingressGateway.enabled) releases.push({ releaseName: INGRESS_GATEWAY, chart: 'gateway', values: ingressGatewayValues(plan) });
  if (plan.egressGateway) releases.push({ releaseName: EGRESS_GATEWAY, chart: 'gateway', values: egressGatewayValues(plan) });
  return releases;
}

function baseValues(plan: ClusterInstallPlan): Record<string, unknown> {
  return {
    ...(plan.cluster.role === 'remote' ? { profile: plan.profile } : {}),
    // The default-revision validating webhook must point at the one control plane this mesh runs.
    ...(plan.revision ? { defaultRevision: plan.revision } : {}),
  };
}

/**
 * The istiod chart: the IstioOperator's spec.values plus its hub, tag, revision and meshConfig, with
 * the same overlays (the chart's meshConfig is the IstioOperator's spec.meshConfig).
 */
export function istiodValues(plan: ClusterInstallPlan): Record<string, unknown> {
  const isRemote = plan.cluster.role === 'remote';
  const global = meshGlobalValues(plan);
  // Istio's primary-remote Helm guide installs a remote's istiod chart as its config cluster.
  if (isRemote) global.configCluster = true;
  if (plan.hub) global.hub = plan.hub;
  global.tag = plan.version;

  const derived = {
    ...(isRemote ? { profile: plan.profile } : {}),
    ...(plan.revision ? { revision: plan.revision } : {}),
    global,
    // The charts of 1.24 and later read pilot.* at the top level too (zzy_descope_legacy.yaml).
    ...(plan.externalIstiod ? { pilot: { env: { [EXTERNAL_ISTIOD]: externalIstiodEnv(plan.version) } } } : {}),
    ...(plan.injectionPath !== undefined ? { istiodRemote: { injectionPath: plan.injectionPath } } : {}),
  };
  const values = deepMerge(derived, plan.overlay.values);
  // istioctl hands the chart spec.meshConfig as values.meshConfig, over what values.meshConfig says.
  const valuesMeshConfig = (values.meshConfig ?? {}) as Record<string, unknown>;
  return { ...values, meshConfig: deepMerge(deepMerge(derivedMeshConfig(plan), valuesMeshConfig), plan.overlay.meshConfig) };
}

/**
 * The east-west gateway: `networkGateway` makes the chart label it and its pods with the network,
 * set ISTIO_META_REQUESTED_NETWORK_VIEW and expose 15021/15443/15012/15017 (Istio's
 * gen-eastwest-gateway, as the IstioOperator component states explicitly). The release name gives
 * the labels app: istio-eastwestgateway and istio: eastwestgateway the Gateways select.
 */
function eastWestGatewayValues(plan: ClusterInstallPlan): Record<string, unknown> {
  const gateway = plan.eastWestGateway!;
  const tls = gateway.ports.find((p) => p.name === 'tls')!;
  return {
    networkGateway: gateway.network,
    // The chart puts `labels` on the Service as well.
    ...(Object.keys(gateway.labels).length > 0 ? { labels: gateway.labels } : {}),
    ...(plan.revision ? { revision: plan.revision } : {}),
    ...(Object.keys(gateway.serviceAnnotations).length > 0 || gateway.loadBalancerIP !== undefined
      ? {
          service: {
            ...(Object.keys(gateway.serviceAnnotations).length > 0 ? { annotations: gateway.serviceAnnotations } : {}),
            ...(gateway.loadBalancerIP !== undefined ? { loadBalancerIP: gateway.loadBalancerIP } : {}),
          },
        }
      : {}),
    // Only from 1.30 can the chart move the cross-network port; the input rules refuse older versions.
    ...(tls.port !== CROSS_NETWORK_PORT && atLeast(plan.version, HELM_NETWORK_GATEWAY_PORTS_SINCE)
      ? { networkGatewayPorts: { tls: { port: tls.port, targetPort: tls.targetPort } } }
      : {}),
  };
}

function ingressGatewayValues(plan: ClusterInstallPlan): Record<string, unknown> {
  return {
    ...(plan.revision ? { revision: plan.revision } : {}),
    ...(Object.keys(plan.ingressGateway.serviceAnnotations).length > 0 ? { service: { annotations: plan.ingressGateway.serviceAnnotations } } : {}),
  };
}

/** Istio's egress gateway, kept while an ASM migration shifts egress traffic (seed 002): in-mesh only. */
function egressGatewayValues(plan: ClusterInstallPlan): Record<string, unknown> {
  return {
    ...(plan.revision ? { revision: plan.revision } : {}),
    service: {
      type: 'ClusterIP',
      ports: plan.egressGateway!.ports.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP', targetPort: p.targetPort })),
    },
  };
}
