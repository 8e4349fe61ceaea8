/**
 * Cloud providers' load-balancer settings: one table from which the generator renders a provider's
 * preset, the model refuses loadBalancer fields a provider ignores, and the validator recognises an
 * internal load balancer (the presets plus older spellings hand-written trees use) and the settings
 * that take effect only together (east-west-load-balancer). Attaching to an existing load balancer
 * or a MetalLB pool counts as internal: its placement was chosen when it was created.
 */
export const PROVIDERS = ['generic', 'tke', 'ack', 'metallb', 'aws', 'gcp', 'azure'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** The loadBalancer fields of the input that a provider turns into an annotation. */
export const LOAD_BALANCER_FIELDS = ['existingId', 'subnetId', 'addressPool'] as const;
export type LoadBalancerField = (typeof LOAD_BALANCER_FIELDS)[number];

/**
 * EKS's in-tree controller ignores the scheme and builds a public classic load balancer; type
 * `external` hands the Service to the AWS Load Balancer Controller, which builds an NLB, here with
 * pod IP targets (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/nlb/).
 */
export const AWS_LOAD_BALANCER_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';
export const AWS_LOAD_BALANCER_SCHEME = 'service.beta.kubernetes.io/aws-load-balancer-scheme';
export const ACK_LOAD_BALANCER_ID = 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id';
/**
 * Reusing an SLB, ACK's cloud controller manager creates no listeners unless told to override them
 * (https://www.alibabacloud.com/help/id/cs/user-guide/load-balancing-configuration-considerations-for-service).
 */
export const ACK_FORCE_OVERRIDE_LISTENERS = 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners';

export interface LoadBalancerAnnotation {
  provider: Provider;
  key: string;
  /** The value the preset writes (and, for `keepsPrivate`, the value that counts); the source's own value when absent. */
  value?: string;
  /**
   * What the preset fills it from: a loadBalancer field (written when set), `internal` (written
   * with internal: true, `otherwise` with internal: false), `always`, the east-west `address` when
   * it is an IP, that address when it is `ipv4`, or nothing (`recognised`: an older spelling
   * meshops only recognises).
   */
  from: LoadBalancerField | 'internal' | 'always' | 'address' | 'ipv4' | 'recognised';
  /** With `from: 'internal'`: the value written for internal: false. */
  otherwise?: string;
  /** Whether the annotation keeps the load balancer off the internet (east-west-gateway-internal accepts it). */
  keepsPrivate: boolean;
}

export const LOAD_BALANCER_ANNOTATIONS: readonly LoadBalancerAnnotation[] = [
  // An existing CLB keeps its address (tke-existed-lbid).
  { provider: 'tke', key: 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid', from: 'subnetId', keepsPrivate: true },
  { provider: 'tke', key: 'service.kubernetes.io/tke-existed-lbid', from: 'existingId', keepsPrivate: true },
  { provider: 'ack', key: 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', value: 'intranet', from: 'internal', keepsPrivate: true },
  { provider: 'ack', key: ACK_LOAD_BALANCER_ID, from: 'existingId', keepsPrivate: true },
  { provider: 'ack', key: ACK_FORCE_OVERRIDE_LISTENERS, value: 'true', from: 'existingId', keepsPrivate: false },
  { provider: 'metallb', key: 'metallb.universe.tf/address-pool', from: 'addressPool', keepsPrivate: true },
  // MetalLB assigns the requested IP from the pool (https://metallb.universe.tf/usage/).
  { provider: 'metallb', key: 'metallb.universe.tf/loadBalancerIPs', from: 'address', keepsPrivate: false },
  { provider: 'aws', key: AWS_LOAD_BALANCER_TYPE, value: 'external', from: 'always', keepsPrivate: false },
  { provider: 'aws', key: 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type', value: 'ip', from: 'always', keepsPrivate: false },
  { provider: 'aws', key: AWS_LOAD_BALANCER_SCHEME, value: 'internal', from: 'internal', otherwise: 'internet-facing', keepsPrivate: true },
  { provider: 'aws', key: 'service.beta.kubernetes.io/aws-load-balancer-internal', value: 'true', from: 'recognised', keepsPrivate: true },
  { provider: 'gcp', key: 'networking.gke.io/load-balancer-type', value: 'Internal', from: 'internal', keepsPrivate: true },
  { provider: 'gcp', key: 'cloud.google.com/load-balancer-type', value: 'Internal', from: 'recognised', keepsPrivate: true },
  { provider: 'azure', key: 'service.beta.kubernetes.io/azure-load-balancer-internal', value: 'true', from: 'internal', keepsPrivate: true },
  // cloud-provider-azure's replacement for the deprecated spec.loadBalancerIP
  // (https://kubernetes-sigs.github.io/cloud-provider-azure/topics/loadbalancer/).
  { provider: 'azure', key: 'service.beta.kubernetes.io/azure-load-balancer-ipv4', from: 'ipv4', keepsPrivate: false },
];

/**
 * The providers that take the east-west address as the Service's spec.loadBalancerIP: GKE creates
 * its passthrough load balancer at that address (https://cloud.google.com/kubernetes-engine/docs/how-to/service-parameters).
 */
const LOAD_BALANCER_IP_PROVIDERS: readonly Provider[] = ['gcp'];

export type LoadBalancerSettings = Partial<Record<LoadBalancerField, string>> & { internal: boolean };

/** The east-west address when it is an IP (a hostname cannot be requested), and when it is an IPv4 one. */
export interface EastWestIP {
  ip?: string;
  ipv4?: string;
}

/** A provider's preset: the annotations its loadBalancer settings and the east-west address turn into. */
export function loadBalancerPreset(provider: Provider, lb: LoadBalancerSettings, address: EastWestIP = {}): Record<string, string> {
  const source = (a: LoadBalancerAnnotation): string | undefined => {
    switch (a.from) {
      case 'recognised':
        return undefined;
      case 'always':
        return a.value;
      case 'internal':
        return lb.internal ? a.value : a.otherwise;
      case 'address':
        return address.ip;
      case 'ipv4':
        return address.ipv4;
      default:
        return lb[a.from] !== undefined ? (a.value ?? lb[a.from]) : undefined;
    }
  };
  const preset: Record<string, string> = {};
  for (const a of LOAD_BALANCER_ANNOTATIONS) {
    if (a.provider !== provider) continue;
    const value = source(a);
    if (value !== undefined) preset[a.key] = value;
  }
  return preset;
}

/** The east-west address as the Service's spec.loadBalancerIP, for a provider that takes it there. */
export function loadBalancerIP(provider: Provider, address: EastWestIP): string | undefined {
  return LOAD_BALANCER_IP_PROVIDERS.includes(provider) ? address.ip : undefined;
}

/** The loadBalancer fields a provider uses. */
export function loadBalancerFieldsOf(provider: string): LoadBalancerField[] {
  return LOAD_BALANCER_FIELDS.filter((field) => LOAD_BALANCER_ANNOTATIONS.some((a) => a.provider === provider && a.from === field));
}

/**
 * The table read backwards (`meshops import`): the provider whose preset writes some of these
 * annotations, the loadBalancer settings that write them again, and the annotations left over.
 * With no preset annotation present the provider is generic.
 */
export function providerFromAnnotations(annotations: Readonly<Record<string, string>>): {
  provider: Provider;
  loadBalancer?: Partial<LoadBalancerSettings>;
  annotations: Record<string, string>;
} {
  for (const provider of PROVIDERS) {
    // The east-west address is read back from elsewhere; what the preset fills from it stays a raw annotation.
    const written = LOAD_BALANCER_ANNOTATIONS.filter((a) => a.provider === provider && a.from !== 'recognised' && a.from !== 'address' && a.from !== 'ipv4');
    const present = written.filter((a) => {
      const stated = annotations[a.key];
      return stated !== undefined && (a.value === undefined || stated === a.value || stated === a.otherwise);
    });
    if (present.length === 0) continue;
    const lb: Partial<LoadBalancerSettings> = {};
    for (const a of present) {
      // A field's own value; an annotation with a fixed value (force-override-listeners) only follows the field.
      if ((LOAD_BALANCER_FIELDS as readonly string[]).includes(a.from) && a.value === undefined) lb[a.from as LoadBalancerField] = annotations[a.key];
    }
    // The preset's default is internal: a provider with an internal annotation that lacks it (or says otherwise) is public.
    if (written.some((a) => a.from === 'internal') && !present.some((a) => a.from === 'internal' && annotations[a.key] === a.value)) lb.internal = false;
    const used = new Set(present.map((a) => a.key));
    return { provider, loadBalancer: lb, annotations: Object.fromEntries(Object.entries(annotations).filter(([k]) => !used.has(k))) };
  }
  return { provider: 'generic', annotations: { ...annotations } };
}
