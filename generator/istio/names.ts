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
/** IstioOperator profiles of a cluster without istiod (profiles/remote.yaml; 1.15's external.yaml is its older name). */
export const REMOTE_PROFILES: readonly string[] = ['remote', 'external'];
/** Istio's plug-in CA: istiod signs workload certificates with the CA in istio-system/cacerts when it exists. */
export const CACERTS_SECRET = 'cacerts';
/** The files of cacerts, as Istio's plug-in CA task creates it (kubectl create secret generic cacerts --from-file=...). */
export const CACERTS_KEYS = ['ca-cert.pem', 'ca-key.pem', 'root-cert.pem', 'cert-chain.pem'] as const;
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

/** The expose-istiod VirtualService of a revision: istiod-vs, or istiod-vs-<revision> (expose-istiod-rev.yaml.tmpl). */
export function istiodVirtualServiceName(revision: string): string {
  return revision ? `${ISTIOD_VIRTUAL_SERVICE}-${revision}` : ISTIOD_VIRTUAL_SERVICE;
}

/** The SNI names a revision's istiod is reached by through the east-west gateway (its certificate's names). */
export function istiodSniHosts(revision: string): string[] {
  const service = `${istiodService(revision)}.${ISTIO_NAMESPACE}.svc`;
  return [service, `${service}.cluster.local`];
}

/** The in-cluster host of a Service in istio-system. */
export function istioSystemHost(service: string): string {
  return `${service}.${ISTIO_NAMESPACE}.svc.cluster.local`;
}
