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
import { findCredential } from '../credentials.js';

export const API_VERSION = 'meshops.dev/v1alpha1';
export const KIND = 'MeshEnvironment';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123Label = (what: string) =>
  z
    .string()
    .max(63, { error: `${what} must be at most 63 characters (a DNS-1123 label)` })
    .regex(DNS1123_LABEL, {
      error: `${what} must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit`,
    });

// Control characters and bidirectional overrides have no place in a mesh definition: rendered
// into YAML they change what a reviewer sees, and a URL parser silently drops tabs and newlines.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Free text that is rendered as is (an annotation value, a secret-store key): printable, and not
 * shaped like a credential, since everything rendered is committed to Git.
 */
const text = () =>
  z
    .string()
    .refine((value) => !UNPRINTABLE.test(value), { error: 'must not contain control or bidirectional-override characters' })
    .refine((value) => !findCredential(value), {
      error: (issue) => `holds what looks like ${findCredential(String(issue.input))?.shape ?? 'a credential'}; credentials never go into rendered/ (it is committed to Git): keep them in a secret store`,
    });

/**
 * What is wrong with a URL meshops renders (an API server, a Git or Helm repository), which is
 * kept exactly as written. It may not carry a password, and an http(s) URL no user either: both
 * would be committed with the render.
 */
function urlProblem(value: string, protocols: RegExp, what: string): string | undefined {
  if (UNPRINTABLE.test(value) || /\s/.test(value)) return `${what} must not contain spaces or control characters (URL parsers drop them silently, and the host changes)`;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return `${what} must be a URL such as https://host/path`;
  }
  if (!protocols.test(parsed.protocol.slice(0, -1))) return `${what} must be a URL of scheme ${protocols.source.replace(/[\^$()]/g, '').replace(/\|/g, ' or ')}`;
  if (parsed.password || (parsed.username && /^https?:$/.test(parsed.protocol))) {
    return `${what} must not carry a user or password (user:password@host): it would be committed with rendered/; give Argo CD or Helm the credential through their own secret`;
  }
  return undefined;
}

const refineWith = (problem: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message, input: value });
  });
// format: uri keeps editors' completion and checks on the exported JSON Schema.
const url = (protocols: RegExp, what: string) => refineWith((value) => urlProblem(value, protocols, what)).meta({ format: 'uri' });
/** A Git repository as Argo CD takes it: a URL, or scp-like git@host:path (SSH, which carries no password). */
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$/;
const repoUrl = (what: string) => refineWith((value) => (SCP_LIKE.test(value) ? undefined : urlProblem(value, /^(https?|ssh|git)$/, what)));
/** An Argo CD destination: an API server URL, or the name of a cluster registered in Argo CD. */
const destination = (what: string) =>
  refineWith((value) => (DNS1123_LABEL.test(value) && value.length <= 63 ? undefined : urlProblem(value, /^https?$/, `${what} (an https URL, or an Argo CD cluster name)`)));

// An image repository reference (registry host with optional port, then path components), as
// the IstioOperator's hub and the charts' global.hub take it.
const IMAGE_REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/;

// Identifiers a cloud gives load balancers, subnets and address pools: letters, digits, -, _ and .
const RESOURCE_ID = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const resourceId = (what: string) => z.string().max(253).regex(RESOURCE_ID, { error: `${what} must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit` });

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

const annotations = z.record(qualifiedName('an annotation key'), text()).describe('Raw Service annotations, applied after the provider preset');

const LoadBalancer = z
  .strictObject({
    existingId: resourceId('existingId').optional().describe('tke: service.kubernetes.io/tke-existed-lbid; ack: the SLB id'),
    subnetId: resourceId('subnetId').optional().describe('tke: subnet for an automatically created internal CLB'),
    addressPool: resourceId('addressPool').optional().describe('metallb: the address pool'),
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

// Each part is a node label value (topology.kubernetes.io/region, ...).
const localityPart = (what: string) =>
  z.string().max(63, { error: `a locality ${what} must be at most 63 characters (a label value)` }).regex(LABEL_VALUE, { error: `a locality ${what} must be a label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit` });

const Locality = z
  .strictObject({
    region: localityPart('region').describe('topology.kubernetes.io/region'),
    zone: localityPart('zone').optional().describe('topology.kubernetes.io/zone'),
    subzone: localityPart('subzone').optional().describe('topology.istio.io/subzone'),
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
    apiServer: url(/^https?$/, 'apiServer').optional().describe('Argo CD destination server'),
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

const SecretStoreRef = z
  .strictObject({
    kind: z.enum(['ClusterSecretStore', 'SecretStore']).default('ClusterSecretStore'),
    // What the ExternalSecret schema's secretStoreRef.name takes (a DNS subdomain).
    name: z
      .string()
      .max(253, { error: 'a store name must be at most 253 characters' })
      .regex(DNS1123_SUBDOMAIN, { error: "a store name must be a DNS subdomain: lower-case letters, digits, '-' and '.'" })
      .describe('the External Secrets store'),
  })
  .describe('the secretStoreRef of the rendered ExternalSecrets');

const RemoteSecrets = z.strictObject({
  store: SecretStoreRef,
  key: text()
    .min(1)
    .default('istio/remote-secrets/{cluster}')
    .describe("the secret store key whose value is that cluster's kubeconfig; {cluster} is replaced by the cluster's name"),
});

const RootCa = z
  .strictObject({
    store: SecretStoreRef,
    key: text()
      .min(1)
      .default('istio/cacerts/{cluster}')
      .describe('the secret store key holding properties ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem; {cluster} is replaced by the primary\'s name (an intermediate CA per primary, one root)'),
  })
  .describe("The mesh's shared root of trust: every primary gets istio-system/cacerts (Istio's plug-in CA) from the store");

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
        destination: destination('destination')
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
    repoURL: repoUrl('repoURL').describe('the Git repository Argo CD reads rendered/ from'),
    targetRevision: z
      .string()
      .regex(/^[A-Za-z0-9._/-]+$/, { error: "a revision is a branch, tag or commit: letters, digits, '.', '_', '/' and '-'" })
      .default('HEAD').describe('the branch, tag or commit Argo CD syncs'),
    namespace: dns1123Label('argocd.namespace').default('argocd').describe('where Argo CD runs and its Applications live'),
    project: dns1123Label('project').optional().describe('the AppProject; default mesh-<environment>'),
    chartRepoURL: url(/^(https?|oci)$/, 'chartRepoURL')
      .default(ISTIO_CHART_REPO)
      .describe("install: helm: the Helm repository of Istio's base, istiod and gateway charts (a vendor build such as 1.15.3-mspider needs its vendor's)"),
    destinations: z
      .record(z.string(), z.union([z.strictObject({ server: url(/^https?$/, 'server') }), z.strictObject({ name: text().min(1) })]))
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
        hub: z
          .string()
          .max(255)
          .regex(new RegExp(`^$|${IMAGE_REPOSITORY.source}`), { error: 'must be an image repository such as registry.example.com/istio (a host, an optional :port, then lower-case path components)' })
          .default('')
          .describe('image registry (private clouds)'),
        revision: z
          .string()
          .max(63, { error: 'must be at most 63 characters (a DNS-1123 label)' })
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
      remoteSecrets: RemoteSecrets.optional().describe("how primaries get other clusters' credentials (an ExternalSecret per cluster whose endpoints a primary discovers)"),
      rootCA: RootCa.optional().describe('required with more than one primary'),
      migration: Migration.optional(),
      argocd: ArgoCd.optional(),
      policies: z
        // Rule ids only: "__proto__" must be refused here, where it is still a key (a record
        // assigned "__proto__" sets the prototype, and the entry vanishes without a word).
        .record(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'a rule id is lower-case words joined by "-"' }), z.enum(['off', 'warning', 'error']))
        .default({})
        .describe('per-rule severity override for `meshops validate` and `check`: off, warning or error'),
    }),
  })
  .describe('One multi-cluster Istio mesh: its clusters, networks and how they are installed');

export type MeshEnvironment = z.output<typeof MeshEnvironmentSchema>;
export type MeshEnvironmentInput = z.input<typeof MeshEnvironmentSchema>;
export type ClusterSpec = MeshEnvironment['spec']['clusters'][number];
export type VmSpec = MeshEnvironment['spec']['vms'][number];
