/**
 * The ports of Istio's east-west gateway and istiod, as Istio's gen-eastwest-gateway.sh exposes
 * them and the multicluster samples route them.
 */

/** The gateway's readiness (status) port. */
export const STATUS_PORT = 15021;
/** Cross-network mTLS, forwarded by SNI (tls.mode AUTO_PASSTHROUGH). */
export const CROSS_NETWORK_PORT = 15443;
/** istiod's XDS and CA port. */
export const ISTIOD_XDS_PORT = 15012;
/** istiod's webhook port on the gateway; istiod's Service serves it on 443. */
export const ISTIOD_WEBHOOK_PORT = 15017;
export const ISTIOD_WEBHOOK_SERVICE_PORT = 443;
