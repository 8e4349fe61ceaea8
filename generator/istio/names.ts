/**
 * Istio's names for the objects a multi-cluster mesh is made of, as its installation profiles and
 * samples/multicluster spell them. Generator and validator both read them from here.
 */

/** The control plane's namespace. */
export const ISTIO_NAMESPACE = 'istio-system';
/** The gateway component names of an IstioOperator (Istio's gen-eastwest-gateway.sh, the default profile). */
export const EAST_WEST_GATEWAY = 'istio-eastwestgateway';
export const INGRESS_GATEWAY = 'istio-ingressgateway';
export const EGRESS_GATEWAY = 'istio-egressgateway';
/** The expose-istiod sample's Gateway and VirtualService (samples/multicluster/expose-istiod.yaml). */
export const ISTIOD_GATEWAY = 'istiod-gateway';
export const ISTIOD_VIRTUAL_SERVICE = 'istiod-vs';
/** The expose-services sample's Gateway (samples/multicluster/expose-services.yaml). */
export const CROSS_NETWORK_GATEWAY = 'cross-network-gateway';
/** Istio's clusterName when multiCluster.clusterName is not set. */
export const DEFAULT_CLUSTER_NAME = 'Kubernetes';
/** meshConfig.trustDomain when not set. */
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

/** istiod's Service: `istiod`, or `istiod-<revision>` for a revisioned control plane (Istio's expose-istiod-rev sample). */
export function istiodService(revision: string): string {
  return revision ? `istiod-${revision}` : 'istiod';
}

/** The in-cluster host of a Service in istio-system. */
export function istioSystemHost(service: string): string {
  return `${service}.${ISTIO_NAMESPACE}.svc.cluster.local`;
}
