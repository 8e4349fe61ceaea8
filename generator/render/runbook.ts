/**
 * rendered/<env>/MIGRATION.md: where a migration stands and the exact next steps, with the
 * commands of seeds 000-002 filled in from the environment. Regenerated on every render, so it
 * moves with each state change committed to Git.
 */
import { ARGOCD_DIR, ASM_DIR, ISTIO_OPERATOR_FILE, renderedClusterDir, renderedEnvironmentDir, RUNBOOK_FILE } from '../layout.js';
import { asmApplicationName, asmDestinationOf } from '../model/delivery.js';
import { ASM_EGRESS_GATEWAY_HOST, ASM_MIGRATION_KIND, ASM_STATES, asmStateIndex, nextAsmState, type AsmState } from '../istio/asm.js';
import { EAST_WEST_GATEWAY, EGRESS_GATEWAY, ISTIO_NAMESPACE } from '../istio/names.js';
import type { ClusterSpec, MeshEnvironment } from '../model/mesh-environment.js';
import type { Topology } from '../model/topology.js';
import { REMOTE_SECRET_PREFIX } from './mesh-objects.js';
import type { RenderedFile } from './types.js';


type Asm = NonNullable<NonNullable<MeshEnvironment['spec']['migration']>['asm']>;
type Tcm = NonNullable<NonNullable<MeshEnvironment['spec']['migration']>['tcm']>;

export function runbookFiles(model: MeshEnvironment, topology: Topology): RenderedFile[] {
  const { asm, tcm } = model.spec.migration ?? {};
  if (!asm && !tcm) return [];
  const sections = [
    `# Migration runbook: ${model.metadata.name}\n\n` +
      `Generated from \`environments/${model.metadata.name}\`: change the environment, run \`meshops render\` and commit; this file follows.\n` +
      'Commands assume one kubeconfig context per cluster, named after the cluster' +
      (asm ? ', and `${ASM_KUBECONFIG}` holding the kubeconfig of the ASM instance' : '') +
      '.\n',
    ...(asm ? [asmRunbook(model, topology, asm)] : []),
    ...(tcm ? [tcmRunbook(model, topology, tcm)] : []),
  ];
  return [{ path: RUNBOOK_FILE, text: sections.join('\n') }];
}

const code = (...lines: string[]) => ['```sh', ...lines, '```'].join('\n');
const list = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');
const operatorPath = (env: string, cluster: string) => `${renderedClusterDir(env, cluster)}/${ISTIO_OPERATOR_FILE}`;
const patch = (spec: object) => `kubectl --kubeconfig=\${ASM_KUBECONFIG} patch asmmigratefromistio default --type='merge' -p '${JSON.stringify({ spec })}'`;

/** How Istio gets (re)installed: Argo CD's Helm Applications, else istioctl by hand, one cluster at a time. */
function installStep(model: MeshEnvironment, clusters: readonly ClusterSpec[]): string {
  const env = model.metadata.name;
  if (model.spec.istio.install === 'helm' && model.spec.argocd) {
    return `from Istio's Helm charts: the Argo CD Applications in \`${renderedEnvironmentDir(env)}/${ARGOCD_DIR}/\` sync it, primaries first.`;
  }
  // Without Argo CD nothing delivers the Helm values; the IstioOperator is the same installation.
  return `with istioctl ${model.spec.istio.version}, one cluster at a time:\n\n` + code(...clusters.map((c) => `istioctl --context ${c.name} install -f ${operatorPath(env, c.name)}`));
}

/** Whether Istio itself is installed by hand with istioctl (Argo CD, if any, syncs only the mesh configuration). */
function istioctlInstall(model: MeshEnvironment): boolean {
  return !(model.spec.istio.install === 'helm' && model.spec.argocd);
}

/**
 * Istio's order for a remote (its multicluster install guides): annotate the remote's istio-system
 * with its control plane, install the remote, then create its secret on the primary. istiod reads
 * the annotation once, when the secret arrives; if the secret comes first, the remote's injector
 * keeps an empty caBundle and every injection there fails until istiod restarts.
 */
function remoteInstallOrder(model: MeshEnvironment, topology: Topology, remotes: readonly ClusterSpec[]): string[] {
  const env = model.metadata.name;
  const annotation = `jsonpath='{.metadata.annotations.topology\\.istio\\.io/controlPlaneClusters}'`;
  return [
    "Then each remote, in this order: its istio-system annotated with its primary, then its installation, then (step 3) its secret on the primary. istiod reads the annotation only when the remote's secret arrives; a secret that comes first leaves the remote's injector without a caBundle, and every injection there fails until istiod restarts.\n",
    model.spec.argocd
      ? `Argo CD syncs each remote's istio-system, annotated, before the primaries' Applications (README, sync waves). Check it, then install:\n`
      : "Apply the remote's mesh configuration (its annotated istio-system), then install:\n",
    code(
      ...remotes.flatMap((r) => [
        model.spec.argocd
          ? `kubectl --context ${r.name} get namespace ${ISTIO_NAMESPACE} -o ${annotation}   # ${topology.primaryOf(r)?.name ?? '<primary>'}`
          : `kubectl --context ${r.name} apply -k ${renderedClusterDir(env, r.name)}`,
        `istioctl --context ${r.name} install -f ${operatorPath(env, r.name)}`,
      ]),
    ),
    '',
  ];
}

function stageStatus(stage: AsmState, desired: AsmState): string {
  const [i, d] = [asmStateIndex(stage), asmStateIndex(desired)];
  return i < d ? 'passed' : i === d ? 'desired now' : 'ahead';
}

function asmRunbook(model: MeshEnvironment, topology: Topology, asm: Asm): string {
  const env = model.metadata.name;
  const clusters = topology.clusters;
  const state = asm.desiredState;
  const next = nextAsmState(state);
  const eastWest = clusters.filter((c) => topology.hasEastWestGateway(c));
  const retry = asm.retryCounter + 1;
  const out: string[] = [];
  const push = (...blocks: string[]) => out.push(...blocks);

  push(
    '## In-place migration from Istio to Alibaba Cloud ASM (seed 002)\n',
    `Desired state in Git: \`desiredState: ${state}\`, \`retryCounter: ${asm.retryCounter}\` ` +
      `(\`${ASM_DIR}/${ASM_MIGRATION_KIND.toLowerCase()}.yaml\`). The states only move forward, one at a time (${ASM_STATES.join(' -> ')}); ` +
      '`meshops check --base <ref>` refuses a move backwards, a skipped state and a `retryCounter` that goes down.\n',
    `**Next step:** ${nextStepSummary(state, next, asm.retryCounter)}\n`,
    'Git holds the desired state; ASM reports the state it reached. Check it after every sync:\n',
    code('kubectl --kubeconfig=${ASM_KUBECONFIG} get asmmigratefromistio default -o yaml'),
    `\nWhen \`status.state\` is \`${state}\`, the step succeeded. Otherwise do what \`status.message\` says, then retry: ` +
      `set \`retryCounter: ${retry}\` in \`environments/${env}\` (same state, counter + 1), render and commit; ` +
      `by hand that is the seed's \`${patch({ retryCounter: retry })}\`. Moving to the next state keeps the counter as it is: it never goes down.\n`,
  );
  const dest = asmDestinationOf(model);
  if (model.spec.argocd && dest) {
    push(
      `Argo CD (Application \`${asmApplicationName(env)}\`) syncs \`${renderedEnvironmentDir(env)}/${ASM_DIR}/\` to the ASM instance ` +
        `(${'server' in dest ? `server ${dest.server}` : `cluster ${dest.name}`}); the seed's \`kubectl patch\` commands below are what it applies.\n`,
    );
  } else {
    push(
      `Without Argo CD, apply the rendered object to the ASM instance; it is what the seed's \`kubectl patch\` commands set, taken from Git:\n`,
      code(`kubectl --kubeconfig=\${ASM_KUBECONFIG} apply -f ${renderedEnvironmentDir(env)}/${ASM_DIR}/`),
      '',
    );
  }

  push(
    `### 1. Init: join the clusters to ASM (${stageStatus('Init', state)})\n`,
    `- Preconditions: Kubernetes 1.21 or later on every cluster; Istio 1.10 or later (this mesh runs ${model.spec.istio.version}); a new ASM instance, version 1.24 or later.`,
    `- Add ${list(clusters.map((c) => c.name))} to the ASM instance, ticking "ignore the istio-system namespace check". ASM then creates \`ASMMigrateFromIstio default\` in state Init.`,
  );
  if (eastWest.length > 0) {
    push(
      `- ${list(eastWest.map((c) => c.name))} ${eastWest.length === 1 ? 'has' : 'have'} an east-west gateway, so \`advancedOptions.disableIstioSystemLabelReconciliation\` is rendered \`true\`: ` +
        'the gateway\'s image is replaced by the injection webhook, which ASM\'s `istio-injection: disabled` label on istio-system would stop. Remove the label ASM may already have set:\n',
      code(...eastWest.map((c) => `kubectl --context ${c.name} label namespace ${ISTIO_NAMESPACE} istio-injection-`)),
      '',
    );
  } else {
    push('- No cluster has an east-west gateway: `disableIstioSystemLabelReconciliation` stays `false`.\n');
  }
  push(`- Next: \`desiredState: SetupIstioForMigrate\` (the seed's command, for an ASM instance not synced from Git):\n`, code(patch({ desiredState: 'SetupIstioForMigrate' })), '');

  push(
    `### 2. SetupIstioForMigrate: prepare Istio for mixed proxies (${stageStatus('SetupIstioForMigrate', state)})\n`,
    '- ASM reconfigures istiod, which restarts, and adds `PROXY_CONFIG_XDS_AGENT: "true"` to the proxies\' config so Istio sidecars and ASM proxies can talk mTLS. ' +
      'From this state on every IstioOperator renders it as `meshConfig.defaultConfig.proxyMetadata`, so reinstalling Istio does not take it away again. Install it ' +
      installStep(model, clusters) +
      '\n',
    '- Restart every workload that has an Istio sidecar, so the new proxy config reaches it, e.g. per namespace:\n',
    code(...clusters.map((c) => `kubectl --context ${c.name} -n <namespace> rollout restart deployment`)),
    '\n- A pod is ready when this prints a line (empty output: restart it again):\n',
    code('kubectl get pod <pod> -o yaml | grep PROXY_CONFIG_XDS_AGENT'),
    `\n- Next, once every sidecar-injected pod passes: \`desiredState: Migrating\`:\n`,
    code(patch({ desiredState: 'Migrating' })),
    '',
  );

  push(
    `### 3. Migrating: move workloads and gateways to ASM (${stageStatus('Migrating', state)})\n`,
    '- Apply all Istio API objects (VirtualService, DestinationRule, Gateway, ServiceEntry, ...) to the ASM instance first.',
  );
  if (eastWest.length > 0) {
    push(
      '- Before any workload gets an ASM proxy, deploy ASM cross-cluster gateways: in the ASM console give each cluster the network it has in Istio and enable the cross-cluster gateway where Istio has an east-west gateway:\n',
      '| cluster | network | Istio east-west gateway |\n|---|---|---|\n' +
        clusters.map((c) => `| ${c.name} | ${c.network} | ${topology.hasEastWestGateway(c) ? 'yes' : 'no'} |`).join('\n') +
        '\n',
    );
  }
  push(
    '- Move workloads from Istio sidecars to ASM proxies by labelling their pod template (this rolls the pods; do it off-peak, graceful shutdown decides whether requests are lost):\n',
    code(`kubectl --context <cluster> -n <namespace> patch deployment <deployment> --type='merge' -p '{"spec":{"template":{"metadata":{"labels":{"sidecar.asm.aliyun.com/inject":"true"}}}}}'`),
    "\n- Move Istio's ingress gateway to an ASM ingress gateway (ASM's guide for a self-built Istio IngressGateway).",
  );
  if (asm.egress.length > 0) {
    push(
      `- Egress: create the ASM egress gateway (\`${ASM_EGRESS_GATEWAY_HOST}\`) in ASM with its own ServiceEntry, Gateway and VirtualService. ` +
        `Every cluster renders, per host, a VirtualService splitting mesh traffic between Istio's \`${EGRESS_GATEWAY}\` and ASM's. ` +
        'Raise `asmWeight` step by step in the environment (render, commit, watch) until every entry is at 100:\n',
      '| host | port | Istio egress gateway | ASM egress gateway |\n|---|---|---|---|\n' +
        asm.egress.map((e) => `| ${e.host} | ${e.port} | ${100 - e.asmWeight}% | ${e.asmWeight}% |`).join('\n') +
        '\n',
      "- Istio's egress gateway access log shows whether traffic still passes through it:\n",
      code(...clusters.map((c) => `kubectl --context ${c.name} -n ${ISTIO_NAMESPACE} logs deploy/${EGRESS_GATEWAY} --since=1h`)),
      '',
    );
  } else {
    push('');
  }

  const onIstio = asm.egress.filter((e) => e.asmWeight < 100);
  push(
    `### 4. Finished: uninstall Istio (${stageStatus('Finished', state)})\n`,
    'Git cannot see most of what Finished requires. Confirm each before setting it:\n',
    '- [ ] no Istio sidecar is left: every workload runs an ASM proxy',
    `- [ ] no traffic passes through Istio's east-west, ingress or egress gateways` +
      (asm.egress.length === 0 ? '' : onIstio.length === 0 ? ' (egress entries: all at asmWeight 100)' : ` (egress entries still on Istio: ${list(onIstio.map((e) => `${e.host}:${e.port}`))}; render refuses Finished until they are at 100)`),
    '- [ ] every Istio API object has been applied to ASM',
    '- [ ] workloads with ASM proxies behave as expected\n',
    `Then uninstall Istio from every cluster with the istioctl of the installed version (${model.spec.istio.version}; another version may leave resources behind or delete too much):\n`,
    code(
      `curl -L https://istio.io/downloadIstio | ISTIO_VERSION=${model.spec.istio.version} sh -`,
      ...clusters.map((c) => `istio-${model.spec.istio.version}/bin/istioctl --context ${c.name} uninstall --purge`),
    ),
    '\nThen set `desiredState: Finished`. If ASM does not reach it, clean up the leftover Istio resources `status.message` names and retry with `retryCounter` + 1.\n',
    code(patch({ desiredState: 'Finished' })),
  );
  return out.join('\n') + '\n';
}

function nextStepSummary(state: AsmState, next: AsmState | undefined, counter: number): string {
  if (!next) return 'none: the migration is finished once ASM reports `status.state: Finished`.';
  return `finish the steps of ${state} below, then set \`desiredState: ${next}\` (keeping \`retryCounter: ${counter}\`).`;
}

function tcmRunbook(model: MeshEnvironment, topology: Topology, tcm: Tcm): string {
  const env = model.metadata.name;
  const version = model.spec.istio.version;
  const primaries = topology.primaries;
  const remotes = topology.clusters.filter((c) => c.role === 'remote');
  const ordered = [...primaries, ...remotes];
  const out: string[] = [
    '## From Tencent Cloud Mesh to a self-run Istio (seeds 000/001)\n',
    "TCM's managed istiod and this mesh's istiod have different root CAs, so the two cannot share a cluster and cannot be swapped in place. " +
      'This mesh is built beside the TCM mesh; both run side by side while workloads and traffic move over, and a cluster belongs to one of them only ' +
      '(policy `tcm-clusters-disjoint`).\n',
    '| mesh | clusters |\n|---|---|\n' +
      `| TCM (being left) | ${tcm.sourceClusters.length ? list(tcm.sourceClusters) : '(not listed)'} |\n` +
      `| this mesh (\`${model.spec.meshID}\`) | ${ordered.map((c) => `\`${c.name}\` (${c.role})`).join(', ')} |\n`,
    '### 1. Use the same Istio version as TCM\n',
    tcm.sourceVersion === undefined
      ? `TCM's version is not stated (\`migration.tcm.sourceVersion\`); this mesh runs ${version}. The seeds advise the version TCM runs, to avoid compatibility problems.\n`
      : tcm.sourceVersion === version
        ? `TCM runs ${tcm.sourceVersion}, and so does this mesh.\n`
        : `TCM runs ${tcm.sourceVersion} but this mesh runs ${version} (policy \`tcm-version-match\` warns): the seeds advise the same version, to avoid compatibility problems while the meshes coexist.\n`,
    code(`curl -L https://istio.io/downloadIstio | ISTIO_VERSION=${version} sh -`, `cp istio-${version}/bin/istioctl /usr/local/bin/istioctl`),
    '',
    '### 2. Install Istio, primaries first\n',
    `Install it ${installStep(model, istioctlInstall(model) ? primaries : ordered)}\n`,
    code(...primaries.map((c) => `kubectl --context ${c.name} get pod -n ${ISTIO_NAMESPACE}   # istiod Running`)),
    '',
  ];
  if (istioctlInstall(model) && remotes.length > 0) out.push(...remoteInstallOrder(model, topology, remotes));
  if (!model.spec.argocd) {
    out.push(
      `Then apply ${remotes.length > 0 ? "the primaries'" : "each cluster's"} mesh configuration (the istio-system network label, expose-istiod, cross-network gateway, remote-secret ExternalSecrets):\n`,
      code(...primaries.map((c) => `kubectl --context ${c.name} apply -k ${renderedClusterDir(env, c.name)}`)),
      '',
    );
  }
  const exposing = primaries.filter((p) => topology.exposesIstiod(p) && topology.hasEastWestGateway(p));
  if (exposing.length > 0) {
    out.push(
      "The east-west gateway's load balancer must have the address remotes are given (`EXTERNAL-IP`):\n",
      code(...exposing.map((p) => `kubectl --context ${p.name} get svc ${EAST_WEST_GATEWAY} -n ${ISTIO_NAMESPACE}   # EXTERNAL-IP ${topology.istiodAddress(p) ?? '<eastWestGateway.address>'}`)),
      '',
    );
  }
  if (remotes.length > 0) {
    out.push('### 3. Give each primary its remotes\' credentials\n');
    const secrets = model.spec.remoteSecrets;
    if (secrets) {
      out.push(
        `Each primary has an ExternalSecret per remote (\`${REMOTE_SECRET_PREFIX}<remote>\`), filled from the ${secrets.store.kind} \`${secrets.store.name}\`. ` +
          `Store each remote's kubeconfig under \`${secrets.key}\` ({cluster} is the remote); it is what \`istioctl create-remote-secret\` would put in the Secret. ` +
          "Store it once the remote is installed (step 2): the ExternalSecret creates the Secret only when the key exists, which keeps Istio's order whenever the ExternalSecret itself is synced.\n",
      );
    } else {
      out.push(
        "Run on the remote's context, apply on its primary's:\n",
        code(...remotes.map((r) => `istioctl --context ${r.name} create-remote-secret --name=${r.name} | kubectl --context ${topology.primaryOf(r)?.name ?? '<primary>'} apply -f -`)),
        '',
      );
    }
  }
  out.push(
    `### ${remotes.length > 0 ? 4 : 3}. Move workloads over\n`,
    '- Deploy each workload into this mesh\'s clusters with sidecar injection (`kubectl --context <cluster> label namespace <namespace> istio-injection=enabled`), next to its TCM copy.',
    '- Shift traffic gradually (DNS or load balancer weights) from the TCM copy to the new one. A workload in one mesh cannot reach one in the other over mesh mTLS (different root CAs): move callers and callees together, or cross over through an ingress gateway.',
    '- When a TCM cluster carries no more traffic, remove it from TCM and from `migration.tcm.sourceClusters`.',
  );
  return out.join('\n') + '\n';
}
