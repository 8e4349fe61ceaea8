/**
 * rendered/<env>/vms/<vm>/: the files a VM needs (seed 004), projections of its VmPlan. cluster.env,
 * mesh.yaml and hosts are what `istioctl x workload entry configure` writes; install.sh puts them in
 * place on the VM, and README.md says how to obtain the two files only the cluster can issue
 * (root-cert.pem and istio-token, never rendered) and how to install the Istio sidecar package.
 * They are outside clusters/, so Argo CD never applies them.
 */
import { VMS_DIR } from '../layout.js';
import type { MeshEnvironment } from '../model/mesh-environment.js';
import type { Topology } from '../model/topology.js';
import { ISTIO_NAMESPACE } from '../istio/names.js';
import { ISTIOD_XDS_PORT } from '../istio/ports.js';
import type { RenderedFile } from './types.js';
import { planVm, type VmPlan } from './vms.js';

export function renderVmFiles(env: MeshEnvironment, topology: Topology): RenderedFile[] {
  return env.spec.vms.flatMap((vm) => {
    const plan = planVm(env, topology, vm);
    const dir = `${VMS_DIR}/${vm.name}`;
    return [
      { path: `${dir}/cluster.env`, text: clusterEnvText(plan) },
      { path: `${dir}/mesh.yaml`, documents: [meshConfig(env, plan)] },
      { path: `${dir}/hosts`, text: `${plan.istiodAddress} ${plan.istiodHost}\n` },
      { path: `${dir}/install.sh`, text: vmInstallScript(plan, env.metadata.name), executable: true },
      { path: `${dir}/README.md`, text: vmReadme(plan, env.metadata.name) },
    ];
  });
}

/**
 * The agent sources cluster.env as shell; every value is single-quoted like istioctl's, with a
 * quote inside written as '\''.
 */
function clusterEnvText(plan: VmPlan): string {
  return Object.entries(plan.clusterEnv)
    .map(([key, value]) => `${key}=${shellQuote(value)}\n`)
    .join('');
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * /etc/istio/config/mesh: the proxy's defaultConfig. Without istioctl's copy of the cluster's own
 * defaultConfig, so no legacy `tracing.zipkin` block: meshops configures no tracing (a zipkin
 * address would name a Service nobody installed), and tracing now comes from the Telemetry API,
 * which istiod pushes to VMs like to pods.
 */
function meshConfig(env: MeshEnvironment, plan: VmPlan): object {
  return {
    defaultConfig: {
      discoveryAddress: `${plan.istiodHost}:${ISTIOD_XDS_PORT}`,
      meshId: env.spec.meshID,
      proxyMetadata: plan.proxyMetadata,
    },
  };
}

/** The lifetime istioctl's --tokenDuration defaults to (3600 s). */
const TOKEN_DURATION = '1h';
const ROOT_CERT_CONFIGMAP = 'istio-ca-root-cert';

function vmInstallScript(plan: VmPlan, envName: string): string {
  const { vm, cluster } = plan;
  return `#!/usr/bin/env bash
# Installs the mesh files of VM "${vm.name}" (environment ${envName}) on the VM: run it as root from
# this directory, with root-cert.pem and istio-token from cluster "${cluster.name}" beside it
# (README.md says how to get them). Safe to run again, e.g. with a fresh token.
set -euo pipefail

readonly ISTIOD_ADDRESS=${shellQuote(plan.istiodAddress)}
readonly ISTIOD_HOST=${shellQuote(plan.istiodHost)}
here="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

[[ "$(id -u)" -eq 0 ]] || fail "run as root: sudo $0"
for file in root-cert.pem istio-token cluster.env mesh.yaml; do
  [[ -s "$here/$file" ]] || fail "$here/$file is missing or empty (root-cert.pem and istio-token come from cluster \\"${cluster.name}\\": see README.md)"
done
id istio-proxy >/dev/null 2>&1 || fail "there is no user istio-proxy: install the istio-sidecar package first (see README.md)"

install -d -m 0755 /etc/certs /var/run/secrets/tokens /var/lib/istio/envoy /etc/istio/config /etc/istio/proxy
install -m 0644 "$here/root-cert.pem" /etc/certs/root-cert.pem
install -m 0600 "$here/istio-token" /var/run/secrets/tokens/istio-token
install -m 0644 "$here/cluster.env" /var/lib/istio/envoy/cluster.env
install -m 0644 "$here/mesh.yaml" /etc/istio/config/mesh

# One /etc/hosts line maps istiod's name: an earlier mapping of it is replaced, the rest is kept.
# The file is rewritten in place, not replaced, as it may be a bind mount.
hosts="$(mktemp)"
trap 'rm -f "$hosts"' EXIT
awk -v host="$ISTIOD_HOST" '/^[[:space:]]*#/ { print; next } { for (i = 2; i <= NF; i++) if ($i == host) next; print }' /etc/hosts >"$hosts"
printf '%s %s\\n' "$ISTIOD_ADDRESS" "$ISTIOD_HOST" >>"$hosts"
cat "$hosts" >/etc/hosts

chown -R istio-proxy /var/lib/istio /etc/certs /etc/istio/proxy /etc/istio/config /var/run/secrets

echo "VM ${vm.name} is configured; start the agent with: systemctl restart istio (log: /var/log/istio/istio.log)"
`;
}

function vmReadme(plan: VmPlan, envName: string): string {
  const { vm, cluster, controlPlane, network, istiodHost, istiodAddress, istioVersion } = plan;
  const release = `https://storage.googleapis.com/istio-release/releases/${istioVersion}`;
  const via =
    controlPlane === cluster
      ? `cluster "${cluster.name}"`
      : `"${controlPlane.name}", the primary of remote cluster "${cluster.name}"`;
  return `# VM ${vm.name}

The files that join VM \`${vm.name}\` to the mesh of environment \`${envName}\` (seed 004). They
live outside \`clusters/\`, so Argo CD never applies them; copy this directory to the VM.

| | |
|---|---|
| workload | WorkloadGroup \`${vm.namespace}/${vm.name}\`, service account \`${vm.serviceAccount}\`, in cluster \`${cluster.name}\` |
| network | \`${network}\`${network === cluster.network ? ' (the cluster\'s network)' : `, not the cluster's \`${cluster.network}\`: the VM reaches the mesh through east-west gateways`} |
| istiod | \`${istiodHost}:${ISTIOD_XDS_PORT}\` of ${via}, at \`${istiodAddress}\` |

| file | installed as |
|---|---|
| \`cluster.env\` | \`/var/lib/istio/envoy/cluster.env\` |
| \`mesh.yaml\` | \`/etc/istio/config/mesh\` |
| \`hosts\` | a line of \`/etc/hosts\` |
| \`root-cert.pem\` (not rendered) | \`/etc/certs/root-cert.pem\` |
| \`istio-token\` (not rendered) | \`/var/run/secrets/tokens/istio-token\` |

## 1. Get root-cert.pem and istio-token from the cluster

Both are issued by cluster \`${cluster.name}\`, so they are never in Git. With a kubeconfig context
for it (here \`${cluster.name}\`), next to these files:

\`\`\`sh
kubectl --context ${cluster.name} -n ${vm.namespace} get configmap ${ROOT_CERT_CONFIGMAP} -o jsonpath='{.data.root-cert\\.pem}' > root-cert.pem
kubectl --context ${cluster.name} -n ${vm.namespace} create token ${vm.serviceAccount} --audience istio-ca --duration ${TOKEN_DURATION} > istio-token
\`\`\`

istiod publishes the mesh's root certificate in every namespace as ConfigMap \`${ROOT_CERT_CONFIGMAP}\`.
The token must have the audience \`istio-ca\`: the VM's agent presents it to istiod, which checks it
with cluster \`${cluster.name}\` (the VM says \`ISTIO_META_CLUSTER_ID=${cluster.name}\`) and issues the
workload certificate for \`${vm.namespace}/${vm.serviceAccount}\`. It is short-lived on purpose: start the
agent before it expires. \`/var/run\` is a tmpfs on most systems, so after a reboot put a fresh token
in place (run \`install.sh\` again).

\`istioctl --context ${cluster.name} x workload entry configure --name ${vm.name} -n ${vm.namespace} --clusterID ${cluster.name} --ingressIP ${istiodAddress} -o <dir>\`
writes the same two files (and its own copies of the others; use the ones here, which match the
environment).

## 2. Install the Istio sidecar package (Istio ${istioVersion}) on the VM

\`\`\`sh
curl -LO ${release}/deb/istio-sidecar.deb && dpkg -i istio-sidecar.deb   # Debian, Ubuntu
curl -LO ${release}/rpm/istio-sidecar.rpm && rpm -i istio-sidecar.rpm    # CentOS, RHEL, Alibaba Cloud Linux
\`\`\`

It creates the user \`istio-proxy\` and the systemd unit \`istio\`.

## 3. Install the files

\`\`\`sh
sudo ./install.sh
sudo systemctl restart istio
\`\`\`

\`install.sh\` checks that it runs as root and that \`root-cert.pem\` and \`istio-token\` are here,
copies each file to its place, replaces any earlier \`/etc/hosts\` line for \`${istiodHost}\`, and gives
\`/var/lib/istio\`, \`/etc/certs\`, \`/etc/istio/proxy\`, \`/etc/istio/config\` and \`/var/run/secrets\`
to \`istio-proxy\`. Running it again is safe.

Check \`/var/log/istio/istio.log\` for errors; from the VM, services of the mesh answer by their
names, e.g. \`curl helloworld.sample.svc:5000/hello\`. The Namespace \`${vm.namespace}\`, the ServiceAccount
and the WorkloadGroup are in \`clusters/${cluster.name}/\`, synced by Argo CD; istiod runs in
\`${ISTIO_NAMESPACE}\` of \`${controlPlane.name}\`.
`;
}
