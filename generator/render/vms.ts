/**
 * Virtual machines joining the mesh (seed 004). Each VM is planned once (`planVm`); the objects in
 * its cluster's kustomize root (Namespace, ServiceAccount, WorkloadGroup, here) and the files under
 * rendered/<env>/vms/<vm>/ (vm-files.ts) are projections of that plan, the values
 * `istioctl x workload entry configure` would write.
 *
 * The VM's Namespace and ServiceAccount go to the cluster the VM names, also when that is a remote:
 * the VM's identity belongs there (its token is issued by that cluster's API server, and istiod's
 * CA checks it there, chosen by ISTIO_META_CLUSTER_ID). Its WorkloadGroup is configuration and goes
 * to the primary whose istiod the VM talks to, which reads configuration from its own cluster only
 * (hosts maps istiod's name to that primary).
 */
import type { ClusterSpec, MeshEnvironment, VmSpec } from '../model/mesh-environment.js';
import type { Topology } from '../model/topology.js';
import { renderChoices } from '../schemas/istio-render-choices.js';
import { ISTIO_NAMESPACE, istiodService } from '../istio/names.js';
import { ISTIOD_XDS_PORT } from '../istio/ports.js';
import type { Manifest } from './types.js';
import { sortedRecord } from './types.js';

const CANONICAL_NAME_LABEL = 'service.istio.io/canonical-name';
const CANONICAL_REVISION_LABEL = 'service.istio.io/canonical-revision';
/**
 * Inbound ports never redirected to the sidecar: ssh (istioctl added 22 after VMs were locked out,
 * istio/istio#36870), Envoy's Prometheus port, the agent's health and status ports.
 */
const LOCAL_EXCLUDE_PORTS = '22,15090,15021,15020';

export interface VmPlan {
  vm: VmSpec;
  /** The cluster the VM names: it holds the VM's namespace, service account and WorkloadGroup. */
  cluster: ClusterSpec;
  /** The primary whose istiod the VM talks to (the cluster itself when it is a primary). */
  controlPlane: ClusterSpec;
  network: string;
  /**
   * The name the VM resolves istiod by, through its hosts entry, and istiod's certificate is issued
   * for: istiod.istio-system.svc, or istiod-<revision>.istio-system.svc (as istioctl writes it).
   */
  istiodHost: string;
  /** Where the VM reaches istiod: the primary's istiodAddress or its east-west gateway. */
  istiodAddress: string;
  istioVersion: string;
  /** The workload's labels: app: <name>, the VM's labels, and the canonical service labels Istio adds. */
  labels: Record<string, string>;
  /** meshConfig.defaultConfig.proxyMetadata of the VM's proxy, in seed 004's order. */
  proxyMetadata: Record<string, string>;
  /** cluster.env: the proxy metadata plus the sidecar's traffic capture settings, in seed 004's order. */
  clusterEnv: Record<string, string>;
}

export function planVm(env: MeshEnvironment, topology: Topology, vm: VmSpec): VmPlan {
  const cluster = topology.byName.get(vm.cluster);
  const controlPlane = cluster && topology.controlPlaneOf(cluster);
  const istiodAddress = controlPlane && topology.istiodAddress(controlPlane);
  const network = topology.vmNetwork(vm);
  // The model's rules guarantee all of these for a valid environment.
  if (!cluster || !controlPlane || istiodAddress === undefined || network === undefined) {
    throw new Error(`VM "${vm.name}": its cluster, control plane or istiod address cannot be resolved`);
  }
  const { revision } = env.spec.istio;
  const istiodHost = `${istiodService(revision)}.${ISTIO_NAMESPACE}.svc`;
  const workloadLabels: Record<string, string> = { ...vm.labels, app: vm.name };
  // Istio's own fallbacks (pkg/kube/labels): canonical-name, app.kubernetes.io/name, app; canonical-revision, app.kubernetes.io/version, version, "latest".
  const canonicalService = workloadLabels[CANONICAL_NAME_LABEL] ?? workloadLabels['app.kubernetes.io/name'] ?? vm.name;
  const canonicalRevision = workloadLabels[CANONICAL_REVISION_LABEL] ?? workloadLabels['app.kubernetes.io/version'] ?? workloadLabels.version ?? 'latest';
  const labels = sortedRecord({ ...workloadLabels, [CANONICAL_NAME_LABEL]: canonicalService, [CANONICAL_REVISION_LABEL]: canonicalRevision });
  const proxyMetadata: Record<string, string> = {
    CANONICAL_REVISION: canonicalRevision,
    CANONICAL_SERVICE: canonicalService,
    // The cluster whose API server issued the VM's token: istiod's CA reviews the token there.
    ISTIO_META_CLUSTER_ID: cluster.name,
    ISTIO_META_DNS_CAPTURE: 'true',
    ISTIO_META_MESH_ID: env.spec.meshID,
    // Stated also when it is the cluster's network, as injected pods state global.network: in a
    // multi-network mesh istiod must know which endpoints the VM reaches directly.
    ISTIO_META_NETWORK: network,
    ISTIO_META_WORKLOAD_NAME: vm.name,
    ISTIO_METAJSON_LABELS: JSON.stringify(labels),
    POD_NAMESPACE: vm.namespace,
    SERVICE_ACCOUNT: vm.serviceAccount,
    TRUST_DOMAIN: env.spec.trustDomain,
  };
  // Sorted like istioctl writes it, which is seed 004's order.
  const clusterEnv = sortedRecord({
    ...proxyMetadata,
    ISTIO_INBOUND_PORTS: '*',
    ISTIO_LOCAL_EXCLUDE_PORTS: LOCAL_EXCLUDE_PORTS,
    ISTIO_NAMESPACE: vm.namespace,
    ISTIO_SERVICE: `${vm.name}.${vm.namespace}`,
    ISTIO_SERVICE_CIDR: '*',
    // A revisioned istiod is also the CA under its own name.
    ...(revision ? { CA_ADDR: `${istiodHost}:${ISTIOD_XDS_PORT}` } : {}),
  });
  return { vm, cluster, controlPlane, network, istiodHost, istiodAddress, istioVersion: env.spec.istio.version, labels, proxyMetadata, clusterEnv };
}

/**
 * The cluster objects of VMs: in the cluster a VM names, its Namespace and ServiceAccount (its
 * token is issued there); on the primary whose istiod it joins, its Namespace and WorkloadGroup
 * (istiod reads configuration from its own cluster only). One Namespace per namespace and one
 * ServiceAccount per namespace and service account (VMs may share them), one WorkloadGroup per VM.
 */
export function vmClusterObjects(env: MeshEnvironment, topology: Topology, cluster: ClusterSpec): Manifest[] {
  const plans = env.spec.vms.map((vm) => planVm(env, topology, vm));
  const identities = plans.filter((plan) => plan.cluster === cluster);
  const joining = plans.filter((plan) => plan.controlPlane === cluster);
  const namespaces = new Map<string, Manifest>();
  const serviceAccounts = new Map<string, Manifest>();
  for (const { vm } of [...identities, ...joining]) {
    namespaces.set(vm.namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: vm.namespace } });
  }
  for (const { vm } of identities) {
    serviceAccounts.set(`${vm.namespace}/${vm.serviceAccount}`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: vm.serviceAccount, namespace: vm.namespace },
    });
  }
  return [...namespaces.values(), ...serviceAccounts.values(), ...joining.map((plan) => workloadGroup(env, plan))];
}

function workloadGroup(env: MeshEnvironment, plan: VmPlan): Manifest {
  const { vm } = plan;
  return {
    apiVersion: renderChoices(env.spec.istio.version).networking,
    kind: 'WorkloadGroup',
    metadata: { name: vm.name, namespace: vm.namespace },
    spec: {
      metadata: { labels: sortedRecord({ ...vm.labels, app: vm.name }) },
      template: {
        serviceAccount: vm.serviceAccount,
        // Unset, istiod takes the network of the cluster holding the WorkloadGroup (its istio-system network label).
        ...(plan.network !== plan.controlPlane.network ? { network: plan.network } : {}),
      },
    },
  };
}
