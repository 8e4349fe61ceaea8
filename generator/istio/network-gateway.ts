/** Istio's names for a multi-network (east-west) gateway's cross-network port. */

/** Istio's cross-network (mTLS AUTO_PASSTHROUGH) port. */
export const NETWORK_GATEWAY_PORT = 15443;

/**
 * The Service label istiod reads a discovered network gateway's port from (istio/istio
 * pilot/pkg/serviceregistry/kube/controller: DefaultNetworkGatewayPort 15443 is used "if not
 * otherwise specified by meshNetworks or networking.istio.io/gatewayPort").
 */
export const GATEWAY_PORT_LABEL = 'networking.istio.io/gatewayPort';
