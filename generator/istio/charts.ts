/** Istio's Helm charts (base, istiod, gateway): where they are published and what each release can express. */

/** Istio's official Helm repository: publishes base, istiod and gateway for every x.y.z release. */
export const ISTIO_CHART_REPO = 'https://istio-release.storage.googleapis.com/charts';
/** The base and istiod charts have a `remote` profile from Istio 1.24 (before, only istioctl can install a remote). */
export const HELM_REMOTE_PROFILE_SINCE: [number, number] = [1, 24];
/** Before 1.30 the gateway chart's networkGateway mode hard-codes the Service ports (15443 for cross-network mTLS). */
export const HELM_NETWORK_GATEWAY_PORTS_SINCE: [number, number] = [1, 30];
/** The chart of istiod (Istio's manifests/charts/istio-control/istio-discovery, published as `istiod`): its version is the control plane's. */
export const ISTIOD_CHART = 'istiod';

/**
 * The value of pilot.env.EXTERNAL_ISTIOD beside global.externalIstiod. Istio 1.23.0's istiod chart
 * compared it with a string (`eq .Values.env.EXTERNAL_ISTIOD ""`), which fails with "incompatible
 * types for comparison" on a boolean; 1.23.1 fixed the template (istio/istio#52400). The string
 * "true" works in both, and istiod reads the variable as text either way.
 */
export function externalIstiodEnv(version: string): boolean | string {
  return /^1\.23\.0(-|$)/.test(version) ? 'true' : true;
}
