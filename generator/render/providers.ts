/**
 * Cloud provider presets: the Service annotations that make a provider's load balancer internal or
 * attach it to an existing one. The model's rules (model/rules.ts) refuse fields a provider ignores.
 */
import type { ClusterSpec } from '../model/mesh-environment.js';
import { sortedRecord } from './types.js';

type LoadBalancer = NonNullable<NonNullable<ClusterSpec['eastWestGateway']>['loadBalancer']>;

const PRESETS: Record<ClusterSpec['provider'], (lb: LoadBalancer) => Record<string, string | undefined>> = {
  generic: () => ({}),
  tke: (lb) => ({
    'service.kubernetes.io/tke-existed-lbid': lb.existingId,
    'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid': lb.subnetId,
  }),
  ack: (lb) => ({
    'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': lb.internal ? 'intranet' : undefined,
    'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id': lb.existingId,
  }),
  metallb: (lb) => ({ 'metallb.universe.tf/address-pool': lb.addressPool }),
  aws: (lb) => ({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': lb.internal ? 'internal' : undefined }),
  gcp: (lb) => ({ 'networking.gke.io/load-balancer-type': lb.internal ? 'Internal' : undefined }),
  azure: (lb) => ({ 'service.beta.kubernetes.io/azure-load-balancer-internal': lb.internal ? 'true' : undefined }),
};

/** The east-west gateway Service's annotations: the provider preset, then raw annotations last. */
export function eastWestServiceAnnotations(cluster: ClusterSpec): Record<string, string> {
  const gateway = cluster.eastWestGateway;
  const preset = PRESETS[cluster.provider](gateway?.loadBalancer ?? { internal: true });
  const defined = Object.entries(preset).filter((e): e is [string, string] => e[1] !== undefined);
  return sortedRecord({ ...Object.fromEntries(defined), ...(gateway?.annotations ?? {}) });
}
