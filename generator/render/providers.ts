/**
 * The east-west gateway Service's load-balancer settings: the provider's preset (the table in
 * generator/istio/providers.ts), then the raw annotations of the input.
 */
import { isIP } from 'node:net';
import { loadBalancerIP, loadBalancerPreset, type EastWestIP } from '../istio/providers.js';
import type { ClusterSpec } from '../model/mesh-environment.js';
import { sortedRecord } from './types.js';

/** The east-west address as a provider can request it: only an IP (a hostname is the load balancer's, not asked for). */
function eastWestIP(cluster: ClusterSpec): EastWestIP {
  const address = cluster.eastWestGateway?.address;
  const family = address === undefined ? 0 : isIP(address);
  return { ip: family !== 0 ? address : undefined, ipv4: family === 4 ? address : undefined };
}

/** The east-west gateway Service's annotations: the provider preset, then raw annotations last. */
export function eastWestServiceAnnotations(cluster: ClusterSpec): Record<string, string> {
  const gateway = cluster.eastWestGateway;
  const preset = loadBalancerPreset(cluster.provider, gateway?.loadBalancer ?? { internal: true }, eastWestIP(cluster));
  return sortedRecord({ ...preset, ...(gateway?.annotations ?? {}) });
}

/** The east-west address as spec.loadBalancerIP, for the provider that creates its load balancer there. */
export function eastWestLoadBalancerIP(cluster: ClusterSpec): string | undefined {
  return loadBalancerIP(cluster.provider, eastWestIP(cluster));
}
