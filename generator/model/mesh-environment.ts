/**
 * The MeshEnvironment input model: the one definition of its types, defaults and (through
 * `z.toJSONSchema`) the JSON Schema editors and `meshops schema` use. What a single field's type
 * cannot say is checked by the input rules in policies/ (model/input-rule.ts runs them).
 */
import { z } from 'zod';
import { ASM_STATES } from '../istio/asm.js';
import { ISTIO_CHART_REPO } from '../istio/charts.js';
import { CROSS_NETWORK_PORT } from '../istio/ports.js';
import { DEFAULT_TRUST_DOMAIN } from '../istio/names.js';
import { PROVIDERS } from '../istio/providers.js';

export const API_VERSION = 'meshops.dev/v1alpha1';
export const KIND = 'MeshEnvironment';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Label = (what: string) =>
  z
    .string()
    .max(63, { error: `${what} must be at most 63 characters (a DNS-1123 label)` })
    .regex(DNS1123_LABEL, {
      error: `${what} must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit`,
    });

// A network name is a label value (topology.istio.io/network) and a meshNetworks key.
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const networkName = z
  .string()
  .max(63, { error: 'a network name must be at most 63 characters (it is a Kubernetes label value)' })
  .regex(LABEL_VALUE, {
    error: "a network name must be a Kubernetes label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
  });

// A DNS name; an all-numeric dotted name (10.0.0.999) is a mistyped IP address, not a hostname.
const HOSTNAME = /^(?=.{1,253}$)(?![0-9.]+$)[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;
/** An IPv4/IPv6 address or a DNS name: what a load balancer or istiod is reached at. */
export const address = z.union([z.ipv4(), z.ipv6(), z.string().regex(HOSTNAME)], {
  error: 'must be an IP address or a DNS hostname',
});

const port = z.number()
  .int()
  .min(1, { error: 'a port must be between 1 and 65535' })
  .max(65535, { error: 'a port must be between 1 and 65535' });

const ISTIO_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z][-0-9A-Za-z.]*)?$/;

// zod's own CIDR patterns, as one `pattern` so the exported JSON Schema stays standard (no
// cidrv4/cidrv6 formats, which JSON Schema validators do not know).
const CIDR = new RegExp(`${z.regexes.cidrv4.source}|${z.regexes.cidrv6.source}`);

// A Kubernetes qualified name, what label and annotation keys are: an optional DNS-subdomain
// prefix and '/', then a name of at most 63 characters.
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const qualifiedName = (what: string) =>
  z
    .string()
    .regex(QUALIFIED_NAME, {
      error: `${what} must be [prefix/]name: name of letters, digits, '-', '_' and '.' starting and ending with a letter or digit; prefix a DNS subdomain`,
    })
    .refine((key) => {
      const slash = key.lastIndexOf('/');
      return key.slice(slash + 1).length <= 63 && slash <= 253;
    }, { error: `${what} has a name of at most 63 characters and a prefix of at most 253` });
const labelKey = qualifiedName('a label key');

const annotations = z.record(qualifiedName('an annotation key'), z.string()).describe('Raw Service annotations, applied after the provider preset');

const LoadBalancer = z
  .strictObject({
    existingId: z.string().min(1).optional().describe('tke: service.kubernetes.io/tke-existed-lbid; ack: the SLB id'),
    subnetId: z.string().min(1).optional().describe('tke: subnet for an automatically created internal CLB'),
    addressPool: z.string().min(1).optional().describe('metallb: the address pool'),
    internal: z.boolean().default(true).describe('an east-west gateway is not public; default true'),
  })
  .describe("How the provider's load balancer is chosen; turned into Service annotations");

const EastWestGateway = z
  .strictObject({
    enabled: z.boolean().optional().describe('default: true wherever the topology needs one'),
    address: address.optional().describe("the load balancer's IP or hostname"),
    port: port.default(CROSS_NETWORK_PORT).describe('the cross-network (mTLS AUTO_PASSTHROUGH) port'),
    loadBalancer: LoadBalancer.optional(),
    annotations: annotations.default({}),
  })
  .describe('The east-west gateway: exposes istiod to remotes and VMs, and services across networks');

const IngressGateway = z
  .strictObject({
    enabled: z.boolean().default(false).describe('install istio-ingressgateway on this cluster; default false'),
    annotations: annotations.default({}),
  })
  .describe('The north-south ingress gateway (seed 000 turns it off)');

const Locality = z
  .strictObject({
    region: z.string().min(1).describe('topology.kubernetes.io/region'),
    zone: z.string().min(1).optional().describe('topology.kubernetes.io/zone'),
    subzone: z.string().min(1).optional().describe('topology.istio.io/subzone'),
  })
  .describe("Where the cluster's nodes are, as Istio's locality labels state it");

// Istio's own APIs, for what meshops does not model; checked against istio.version by model/overlays.ts.
const overlayMap = (what: string) => z.record(z.string(), z.unknown()).describe(what);
const IstioOverlay = z
  .strictObject({
    values: overlayMap("merged into the IstioOperator's spec.values and the istiod chart's values (Istio's Values API), e.g. pilot.resources").optional(),
    meshConfig: overlayMap("merged into the IstioOperator's spec.meshConfig and the istiod chart's meshConfig (Istio's MeshConfig), e.g. accessLogFile").optional(),
  })
  .describe("Istio settings meshops does not model; fields meshops derives are refused, naming the field to use");

export const Cluster = z
  .strictObject({
    name: dns1123Label('a cluster name').describe('multiCluster.clusterName and the rendered directory name'),
    role: z.enum(['primary', 'remote']).describe('primary runs istiod; remote uses a primary\'s istiod'),
    network: networkName.describe('the network this cluster\'s pods are on; pods reach each other directly only within one network'),
    controlPlane: dns1123Label('controlPlane').optional().describe('remote only: its primary; optional when there is exactly one primary'),
    podSubnet: z
      .string()
      .regex(CIDR, { error: 'must be a CIDR such as 10.201.0.0/16 or fd00:10::/64' })
      .optional()
      .describe('pod CIDR; clusters of one network must not overlap'),
    locality: Locality.optional(),
    provider: z.enum(PROVIDERS).default('generic').describe("whose load balancer the gateways' Services get; selects the loadBalancer annotation preset"),
    apiServer: z.url({ protocol: /^https?$/ }).optional().describe('Argo CD destination server'),
    istiodAddress: address.optional().describe('primary only: where remotes and VMs reach istiod; default eastWestGateway.address'),
    eastWestGateway: EastWestGateway.optional(),
    ingressGateway: IngressGateway.default({ enabled: false, annotations: {} }),
    istio: IstioOverlay.optional().describe("this cluster's overlay of Istio's Values and MeshConfig, applied after spec.istio's"),
  })
  .describe('One Kubernetes cluster of the mesh');

const labelValue = z
  .string()
  .max(63, { error: 'a label value must be at most 63 characters' })
  .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, {
    error: "a label value must be empty or letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
  });

const Vm = z
  .strictObject({
    name: dns1123Label('a VM name').describe('WorkloadGroup name, app label and the rendered vms/<name>/ directory'),
    namespace: dns1123Label('a VM namespace').describe('the namespace of its WorkloadGroup and service account'),
    serviceAccount: dns1123Label('a VM service account').describe('the identity the VM\'s token and certificate are issued for'),
    cluster: dns1123Label('cluster').describe('the cluster whose control plane the VM joins; it holds the VM\'s namespace, service account and WorkloadGroup'),
    network: networkName.optional().describe("default: that cluster's network"),
    labels: z.record(labelKey, labelValue).default({}).describe('labels of the VM\'s workload, besides app: <name>'),
  })
  .describe('A virtual machine joining the mesh (seed 004)');

const RemoteSecrets = z.strictObject({
  store: z
    .strictObject({
      kind: z.enum(['ClusterSecretStore', 'SecretStore']).default('ClusterSecretStore'),
      name: z.string().min(1).describe('the External Secrets store holding the remotes\' kubeconfigs'),
    })
    .describe('the secretStoreRef of the rendered ExternalSecrets'),
  key: z
    .string()
    .min(1)
    .default('istio/remote-secrets/{cluster}')
    .describe('the secret store key holding the remote\'s kubeconfig; {cluster} is replaced by the remote\'s name'),
});

const AsmEgress = z
  .strictObject({
    // 246 = 253 (a DNS subdomain) minus the "egress-" prefix of the rendered objects' names.
    host: z.string().regex(HOSTNAME, { error: 'must be a DNS hostname such as edition.cnn.com' }).max(246).describe('the external host, as applications call it'),
    port: port.describe('the plain-HTTP port applications call the host on'),
    asmWeight: z
      .number()
      .int()
      .min(0, { error: 'asmWeight must be between 0 and 100' })
      .max(100, { error: 'asmWeight must be between 0 and 100' })
      .default(0)
      .describe("percent of the host's mesh traffic sent to ASM's egress gateway; the rest goes to Istio's"),
  })
  .describe("One external service leaving through Istio's egress gateway, shifted gradually to ASM's (seed 002)");

const Migration = z
  .strictObject({
    asm: z
      .strictObject({
        desiredState: z
          .enum(ASM_STATES)
          .default('Init')
          .describe('ASMMigrateFromIstio spec.desiredState; forward only, one step at a time: Init -> SetupIstioForMigrate -> Migrating -> Finished'),
        retryCounter: z
          .number()
          .int()
          .min(0, { error: 'retryCounter must be between 0 and 2147483647' })
          .max(2147483647, { error: 'retryCounter must be between 0 and 2147483647' })
          .default(0)
          .describe('ASMMigrateFromIstio spec.retryCounter; add 1 to retry a state change that failed; never lowered'),
        destination: z
          .string()
          .min(1)
          .optional()
          .describe("Argo CD destination of the ASM instance's API server (an https URL, or an Argo CD cluster name); required with argocd"),
        egress: z.array(AsmEgress).default([]),
      })
      .describe('In-place migration of this Istio mesh to Alibaba Cloud ASM (seed 002)')
      .optional(),
    tcm: z
      .strictObject({
        sourceVersion: z
          .string()
          .regex(ISTIO_VERSION, { error: 'must be x.y.z with an optional -suffix, e.g. 1.18.5' })
          .optional()
          .describe('the Istio version TCM runs; the new mesh should run the same (policy tcm-version-match)'),
        sourceClusters: z
          .array(dns1123Label('a TCM cluster name'))
          .default([])
          .describe('clusters still in the TCM mesh; none may be a cluster of this environment (policy tcm-clusters-disjoint)'),
      })
      .describe('Moving from Tencent Cloud Mesh to this self-run mesh, built beside the old one (seeds 000/001)')
      .optional(),
  })
  .describe('A migration this mesh is part of');

const ArgoCd = z
  .strictObject({
    repoURL: z.string().min(1).describe('the Git repository Argo CD reads rendered/ from'),
    targetRevision: z.string().min(1).default('HEAD').describe('the branch, tag or commit Argo CD syncs'),
    namespace: dns1123Label('argocd.namespace').default('argocd').describe('where Argo CD runs and its Applications live'),
    project: dns1123Label('project').optional().describe('the AppProject; default mesh-<environment>'),
    chartRepoURL: z
      .string()
      .min(1)
      .default(ISTIO_CHART_REPO)
      .describe("install: helm: the Helm repository of Istio's base, istiod and gateway charts (a vendor build such as 1.15.3-mspider needs its vendor's)"),
    destinations: z
      .record(z.string(), z.union([z.strictObject({ server: z.url() }), z.strictObject({ name: z.string().min(1) })]))
      .default({})
      .describe('per cluster, the Argo CD destination when the cluster has no apiServer; default {name: <cluster>}'),
    applicationSet: z
      .boolean()
      .default(false)
      .describe(
        'install: istioctl at fleet scale: one ApplicationSet (Git directory generator over the cluster directories, RollingSync remotes then primaries) instead of an Application per cluster; needs progressive syncs enabled',
      ),
  })
  .describe('Render rendered/<env>/argocd/: an AppProject, one Application per cluster and the root Application');

export const MeshEnvironmentSchema = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(KIND),
    metadata: z.strictObject({
      name: dns1123Label('an environment name').describe('must equal the directory name under environments/'),
    }),
    spec: z.strictObject({
      meshID: z
        .string()
        .max(63, { error: 'must be at most 63 characters (it is a Kubernetes label value)' })
        .regex(LABEL_VALUE, {
          error: "must be a Kubernetes label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
        })
        .describe('values.global.meshID: the same in every cluster'),
      trustDomain: z
        .string()
        .regex(HOSTNAME, { error: 'must be a DNS name such as cluster.local' })
        .default(DEFAULT_TRUST_DOMAIN)
        .describe('meshConfig.trustDomain; default cluster.local'),
      istio: z.strictObject({
        version: z
          .string()
          .regex(ISTIO_VERSION, { error: 'must be x.y.z with an optional -suffix, e.g. 1.18.5 or 1.15.3-mspider' })
          .describe('the Istio release (the IstioOperator tag); quote it if YAML would read it as a number'),
        hub: z.string().default('').describe('image registry (private clouds)'),
        revision: z
          .string()
          .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, { error: 'must be empty or a DNS-1123 label' })
          .default('')
          .describe('optional control-plane revision (canary upgrades)'),
        install: z
          .enum(['helm', 'istioctl'])
          .default('helm')
          .describe('helm: Argo CD installs Istio from the official charts; istioctl: `istioctl install -f istio-operator.yaml`, Argo CD syncs the mesh configuration only'),
        values: IstioOverlay.shape.values,
        meshConfig: IstioOverlay.shape.meshConfig,
      }),
      clusters: z.array(Cluster).min(1, { error: 'an environment needs at least one cluster' }).describe('every cluster of the mesh, primaries and remotes'),
      vms: z.array(Vm).default([]),
      remoteSecrets: RemoteSecrets.optional().describe('how primaries get remote clusters\' credentials (an ExternalSecret per remote)'),
      migration: Migration.optional(),
      argocd: ArgoCd.optional(),
      policies: z
        .record(z.string(), z.enum(['off', 'warning', 'error']))
        .default({})
        .describe('per-rule severity override for `meshops validate` and `check`: off, warning or error'),
    }),
  })
  .describe('One multi-cluster Istio mesh: its clusters, networks and how they are installed');

export type MeshEnvironment = z.output<typeof MeshEnvironmentSchema>;
export type MeshEnvironmentInput = z.input<typeof MeshEnvironmentSchema>;
export type ClusterSpec = MeshEnvironment['spec']['clusters'][number];
export type VmSpec = MeshEnvironment['spec']['vms'][number];
