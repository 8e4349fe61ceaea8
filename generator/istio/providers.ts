/**
 * Cloud providers' load-balancer annotations: one table from which the generator renders a
 * provider's preset, the model refuses loadBalancer fields a provider ignores, and the validator
 * recognises an internal load balancer (the presets plus older spellings hand-written trees use).
 * Attaching to an existing load balancer or a MetalLB pool counts as internal: its placement was
 * chosen when it was created.
 */

export const PROVIDERS = ['generic', 'tke', 'ack', 'metallb', 'aws', 'gcp', 'azure'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** The loadBalancer fields of the input that a provider turns into an annotation. */
export const LOAD_BALANCER_FIELDS = ['existingId', 'subnetId', 'addressPool'] as const;
export type LoadBalancerField = (typeof LOAD_BALANCER_FIELDS)[number];

export interface LoadBalancerAnnotation {
  provider: Provider;
  key: string;
  /** The value the annotation must have; any value when absent. */
  value?: string;
  /** What the preset fills it from: a loadBalancer field, `internal: true`, or nothing (an older spelling meshops only recognises). */
  from: LoadBalancerField | 'internal' | 'recognised';
}

export const LOAD_BALANCER_ANNOTATIONS: readonly LoadBalancerAnnotation[] = [
  { provider: 'tke', key: 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid', from: 'subnetId' },
  { provider: 'tke', key: 'service.kubernetes.io/tke-existed-lbid', from: 'existingId' },
  { provider: 'ack', key: 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', value: 'intranet', from: 'internal' },
  { provider: 'ack', key: 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id', from: 'existingId' },
  { provider: 'metallb', key: 'metallb.universe.tf/address-pool', from: 'addressPool' },
  { provider: 'aws', key: 'service.beta.kubernetes.io/aws-load-balancer-scheme', value: 'internal', from: 'internal' },
  { provider: 'aws', key: 'service.beta.kubernetes.io/aws-load-balancer-internal', value: 'true', from: 'recognised' },
  { provider: 'gcp', key: 'networking.gke.io/load-balancer-type', value: 'Internal', from: 'internal' },
  { provider: 'gcp', key: 'cloud.google.com/load-balancer-type', value: 'Internal', from: 'recognised' },
  { provider: 'azure', key: 'service.beta.kubernetes.io/azure-load-balancer-internal', value: 'true', from: 'internal' },
];

export type LoadBalancerSettings = Partial<Record<LoadBalancerField, string>> & { internal: boolean };

/** A provider's preset: the annotations its loadBalancer settings turn into. */
export function loadBalancerPreset(provider: Provider, lb: LoadBalancerSettings): Record<string, string> {
  const preset: Record<string, string> = {};
  for (const a of LOAD_BALANCER_ANNOTATIONS) {
    if (a.provider !== provider || a.from === 'recognised') continue;
    const value = a.from === 'internal' ? (lb.internal ? a.value : undefined) : lb[a.from];
    if (value !== undefined) preset[a.key] = value;
  }
  return preset;
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
    const written = LOAD_BALANCER_ANNOTATIONS.filter((a) => a.provider === provider && a.from !== 'recognised');
    const present = written.filter((a) => annotations[a.key] !== undefined && (a.value === undefined || annotations[a.key] === a.value));
    if (present.length === 0) continue;
    const lb: Partial<LoadBalancerSettings> = {};
    for (const a of present) if (a.from !== 'internal' && a.from !== 'recognised') lb[a.from] = annotations[a.key];
    // The preset's default is internal: a provider with an internal annotation that lacks it is public.
    if (written.some((a) => a.from === 'internal') && !present.some((a) => a.from === 'internal')) lb.internal = false;
    const used = new Set(present.map((a) => a.key));
    return { provider, loadBalancer: lb, annotations: Object.fromEntries(Object.entries(annotations).filter(([k]) => !used.has(k))) };
  }
  return { provider: 'generic', annotations: { ...annotations } };
}
