/** Environment variables of Istio's components and proxies that a multi-cluster mesh sets. */

/** On the east-west gateway: the network whose endpoints it is sent (gen-eastwest-gateway.sh). */
export const REQUESTED_NETWORK_VIEW = 'ISTIO_META_REQUESTED_NETWORK_VIEW';
/** On a primary's istiod (pilot.env): it serves remote clusters. */
export const EXTERNAL_ISTIOD = 'EXTERNAL_ISTIOD';
/** proxyMetadata during an ASM migration: Istio sidecars and ASM proxies talk mTLS. */
export const PROXY_CONFIG_XDS_AGENT = 'PROXY_CONFIG_XDS_AGENT';
