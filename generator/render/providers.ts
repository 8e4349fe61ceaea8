/**
 * The east-west gateway Service's annotations: the provider's load-balancer preset (the table in
 * generator/istio/providers.ts), then the raw annotations of the input.
 */
import { loadBalancerPreset } from '../istio/providers.js';
import type { ClusterSpec } from '../model/mesh-environment.js';
import { sortedRecord } from './types.js';

/** The east-west gateway Service's annotations: the provider preset, then raw annotations last. */
export function eastWestServiceAnnotations(cluster: ClusterSpec): Record<string, string> {
  const gateway = cluster.eastWestGateway;
  const preset = loadBalancerPreset(cluster.provider, gateway?.loadBalancer ?? { internal: true });
  return sortedRecord({ ...preset, ...(gateway?.annotations ?? {}) });
}
