/**
 * Queries over a cluster's Istio Gateways and VirtualServices: which select its east-west gateway,
 * what they serve, whether istiod and cross-network traffic get through.
 */
import { ISTIO_NAMESPACE } from '../istio/names.js';
import { CROSS_NETWORK_PORT, ISTIOD_XDS_PORT } from '../istio/ports.js';
import type { ClusterFacts, EastWestGatewayFacts } from './cluster-facts.js';
import { asArray, asObject, get, scalarText } from '../json.js';
import type { ManifestDoc } from './manifests.js';

/** Whether a Gateway's spec.selector picks the east-west gateway's pods (an empty selector picks none). */
export function selectsEastWestGateway(gateway: ManifestDoc, eastWest: EastWestGatewayFacts): boolean {
  const selector = Object.entries(asObject(get(gateway.object, ['spec', 'selector'])) ?? {});
  return selector.length > 0 && selector.every(([k, v]) => scalarText(eastWest.labels[k]) === scalarText(v));
}

/** The Istio networking object of a kind and name in a cluster's istio-system namespace. */
export function meshObject(facts: ClusterFacts, kind: string, name: string): ManifestDoc | undefined {
  return facts.meshObjects.find((d) => d.kind === kind && d.name === name);
}

/** A server of an Istio Gateway that selects the cluster's east-west gateway. */
export interface EastWestServer {
  gateway: ManifestDoc;
  index: number;
  port: string | undefined;
  tlsMode: string | undefined;
}

/** The servers of an Istio Gateway, with the port and TLS mode the rules look at. */
export function gatewayServers(gateway: ManifestDoc): EastWestServer[] {
  return asArray(get(gateway.object, ['spec', 'servers'])).map((server, index) => ({
    gateway,
    index,
    port: scalarText(get(server, ['port', 'number'])),
    tlsMode: scalarText(get(server, ['tls', 'mode'])),
  }));
}

/**
 * What the cluster's east-west gateway serves, by the Gateways in istio-system that select it;
 * they live in `config`, the cluster whose istiod configures the gateway (the primary of a remote).
 */
function eastWestServers(facts: ClusterFacts, config: ClusterFacts = facts): EastWestServer[] {
  const eastWest = facts.eastWestGateway;
  if (!eastWest) return [];
  return config.meshObjects.filter((d) => d.kind === 'Gateway' && selectsEastWestGateway(d, eastWest)).flatMap(gatewayServers);
}

/**
 * Whether remotes and VMs can reach the cluster's istiod XDS and CA port through its east-west
 * gateway: a Gateway passing 15012 through, and a VirtualService of that Gateway routing it.
 */
export function istiodReachable(facts: ClusterFacts): boolean {
  const gateways = eastWestServers(facts)
    .filter((s) => s.port === String(ISTIOD_XDS_PORT) && s.tlsMode === 'PASSTHROUGH')
    .map((s) => s.gateway.name);
  return facts.meshObjects.some(
    (vs) =>
      vs.kind === 'VirtualService' &&
      asArray(get(vs.object, ['spec', 'gateways'])).some((g) => gateways.some((name) => g === name || g === `${ISTIO_NAMESPACE}/${name}`)) &&
      asArray(get(vs.object, ['spec', 'tls'])).some((route) =>
        asArray(get(route, ['match'])).some((m) => scalarText(get(m, ['port'])) === String(ISTIOD_XDS_PORT)),
      ),
  );
}

/** A cross-network server: 15443 with TLS AUTO_PASSTHROUGH (Istio's expose-services). */
export function servesCrossNetwork(server: EastWestServer): boolean {
  return server.port === String(CROSS_NETWORK_PORT) && server.tlsMode === 'AUTO_PASSTHROUGH';
}

/** The east-west gateway's cross-network server, from the Gateways of `config` (see eastWestServers). */
export function crossNetworkServer(facts: ClusterFacts, config: ClusterFacts = facts): EastWestServer | undefined {
  return eastWestServers(facts, config).find(servesCrossNetwork);
}
