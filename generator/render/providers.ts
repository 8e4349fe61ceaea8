/**
 * Cloud provider presets: the Service annotations that make a provider's load balancer internal,
 * attach it to an existing one, and pin the east-west address where the provider can. The model's
 * rules (model/rules.ts) refuse fields a provider ignores.
 */
import { isIP } from 'node:net';
import type { ClusterSpec } from '../model/mesh-environment.js';
import { sortedRecord } from './types.js';

type LoadBalancer = NonNullable<NonNullable<ClusterSpec['eastWestGateway']>['loadBalancer']>;

/** The load balancer's settings, and the east-west address when it is an IP a provider can be asked for. */
type Preset = (lb: LoadBalancer, address: { v4?: string; any?: string }) => Record<string, string | undefined>;

const PRESETS: Record<ClusterSpec['provider'], Preset> = {
  generic: () => ({}),
  // An existing CLB keeps its address (tke-existed-lbid).
  tke: (lb) => ({
    'service.kubernetes.io/tke-existed-lbid': lb.existingId,
    'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid': lb.subnetId,
  }),
  // Reusing an SLB, the cloud controller manager creates no listeners unless told to override them
  // (https://www.alibabacloud.com/help/id/cs/user-guide/load-balancing-configuration-considerations-for-service).
  ack: (lb) => ({
    'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': lb.internal ? 'intranet' : undefined,
    'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id': lb.existingId,
    'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners': lb.existingId !== undefined ? 'true' : undefined,
  }),
  // MetalLB assigns the requested IP from the pool (https://metallb.universe.tf/usage/).
  metallb: (lb, address) => ({ 'metallb.universe.tf/address-pool': lb.addressPool, 'metallb.universe.tf/loadBalancerIPs': address.any }),
  // EKS's in-tree controller ignores the scheme and builds a public classic LB; `external` hands the
  // Service to the AWS Load Balancer Controller, which builds an NLB with pod IP targets
  // (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/nlb/).
  aws: (lb) => ({
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': lb.internal ? 'internal' : 'internet-facing',
  }),
  gcp: (lb) => ({ 'networking.gke.io/load-balancer-type': lb.internal ? 'Internal' : undefined }),
  // cloud-provider-azure's replacement for the deprecated spec.loadBalancerIP
  // (https://kubernetes-sigs.github.io/cloud-provider-azure/topics/loadbalancer/).
  azure: (lb, address) => ({
    'service.beta.kubernetes.io/azure-load-balancer-internal': lb.internal ? 'true' : undefined,
    'service.beta.kubernetes.io/azure-load-balancer-ipv4': address.v4,
  }),
};

/** The east-west gateway Service's annotations: the provider preset, then raw annotations last. */
export function eastWestServiceAnnotations(cluster: ClusterSpec): Record<string, string> {
  const gateway = cluster.eastWestGateway;
  const address = gateway?.address;
  const family = address === undefined ? 0 : isIP(address);
  const preset = PRESETS[cluster.provider](gateway?.loadBalancer ?? { internal: true }, {
    v4: family === 4 ? address : undefined,
    any: family !== 0 ? address : undefined,
  });
  const defined = Object.entries(preset).filter((e): e is [string, string] => e[1] !== undefined);
  return sortedRecord({ ...Object.fromEntries(defined), ...(gateway?.annotations ?? {}) });
}


/**
 * The east-west address as spec.loadBalancerIP, for the provider that takes it there: GKE creates
 * its (internal) passthrough load balancer at that address
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/service-parameters).
 */
export function eastWestLoadBalancerIP(cluster: ClusterSpec): string | undefined {
  const address = cluster.eastWestGateway?.address;
  return cluster.provider === 'gcp' && address !== undefined && isIP(address) !== 0 ? address : undefined;
}
