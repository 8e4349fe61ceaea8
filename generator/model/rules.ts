/**
 * Cross-field rules of the MeshEnvironment model: what a single field's type cannot say. Each
 * issue carries the path of the field to fix, which the loader turns into file:line.
 */
import { isIP } from 'node:net';
import type { z } from 'zod';
import type { MeshEnvironment } from './mesh-environment.js';
import { asmApplicationName, deliveryIssues, MAX_APPLICATION_NAME } from './delivery.js';
import { overlaps, parseCidr } from './cidr.js';
import { EGRESS_GATEWAY_DEFAULT_PORTS, egressGatewayTargetPort } from './migration.js';
import { atLeast } from '../istio/version.js';
import { ISTIO_NAMESPACE } from '../istio/names.js';
import { LOAD_BALANCER_FIELDS, loadBalancerFieldsOf } from '../istio/providers.js';
import { topologyOf } from './topology.js';

type Ctx = z.RefinementCtx<MeshEnvironment>;


export function addTopologyIssues(env: MeshEnvironment, ctx: Ctx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const { clusters, vms } = env.spec;
  const topology = topologyOf(env);
  const clusterPath = (i: number, ...rest: (string | number)[]) => ['spec', 'clusters', i, ...rest];

  const firstIndex = new Map<string, number>();
  clusters.forEach((c, i) => {
    const first = firstIndex.get(c.name);
    if (first !== undefined) issue(clusterPath(i, 'name'), `cluster name "${c.name}" is used twice (also spec.clusters[${first}])`);
    else firstIndex.set(c.name, i);
  });

  // An empty list is already reported by the schema (at least one cluster).
  if (clusters.length > 0 && topology.primaries.length === 0) {
    issue(['spec', 'clusters'], 'an environment needs at least one cluster with role: primary (a cluster that runs istiod)');
  }

  clusters.forEach((c, i) => {
    if (c.role === 'primary') {
      if (c.controlPlane !== undefined) issue(clusterPath(i, 'controlPlane'), 'controlPlane is for remotes; a primary runs its own istiod');
    } else {
      if (c.istiodAddress !== undefined) issue(clusterPath(i, 'istiodAddress'), 'istiodAddress is for primaries; a remote has no istiod of its own');
      if (c.controlPlane !== undefined) {
        const named = topology.byName.get(c.controlPlane);
        if (!named) issue(clusterPath(i, 'controlPlane'), `controlPlane "${c.controlPlane}" is not a cluster of this environment`);
        else if (named.role !== 'primary') issue(clusterPath(i, 'controlPlane'), `controlPlane "${c.controlPlane}" is a remote; it must name a primary`);
      } else if (topology.primaries.length > 1) {
        issue(clusterPath(i, 'role'), `remote "${c.name}" must name its primary in controlPlane: there are ${topology.primaries.length} primaries`);
      }
    }

    const allowed = loadBalancerFieldsOf(c.provider);
    const lb = c.eastWestGateway?.loadBalancer;
    for (const field of LOAD_BALANCER_FIELDS) {
      if (lb?.[field] !== undefined && !allowed.includes(field)) {
        issue(
          clusterPath(i, 'eastWestGateway', 'loadBalancer', field),
          `provider ${c.provider} has no ${field} preset` +
            (allowed.length ? ` (it takes ${allowed.join(', ')})` : '') +
            '; set the annotation under eastWestGateway.annotations instead',
        );
      }
    }

    const needed = topology.needsEastWestGateway(c);
    if (needed && c.eastWestGateway?.enabled === false) {
      issue(clusterPath(i, 'eastWestGateway', 'enabled'), `cluster "${c.name}" needs an east-west gateway: ${whyEastWest(topology, c)}`);
    } else if (topology.hasEastWestGateway(c) && c.eastWestGateway?.address === undefined) {
      const needsAddress = topology.multiNetwork || (topology.exposesIstiod(c) && c.istiodAddress === undefined);
      if (needsAddress) {
        issue(
          c.eastWestGateway ? clusterPath(i, 'eastWestGateway') : clusterPath(i),
          `cluster "${c.name}" needs eastWestGateway.address (its load balancer's IP or hostname): ${whyEastWest(topology, c)}`,
        );
      }
    }
  });

  // Seed 003: pods of one network reach each other directly, so their CIDRs must not overlap;
  // clusters whose pod networks overlap have to be put on different networks.
  // Compared as a sweep over each network's subnets sorted by first address, not pair by pair
  // (quadratic in a large environment); reported in input order, the later cluster at fault.
  const subnets = clusters.map((c) => (c.podSubnet ? parseCidr(c.podSubnet) : undefined));
  const byNetwork = new Map<string, number[]>();
  subnets.forEach((subnet, i) => {
    if (!subnet) return;
    const key = `${subnet.family}/${clusters[i]!.network}`;
    const members = byNetwork.get(key);
    if (members) members.push(i);
    else byNetwork.set(key, [i]);
  });
  const overlapping: [earlier: number, later: number][] = [];
  for (const members of byNetwork.values()) {
    members.sort((x, y) => (subnets[x]!.first < subnets[y]!.first ? -1 : subnets[x]!.first > subnets[y]!.first ? 1 : x - y));
    // Subnets that started earlier and still reach the current one's first address.
    let open: number[] = [];
    for (const k of members) {
      const subnet = subnets[k]!;
      open = open.filter((o) => subnets[o]!.last >= subnet.first);
      for (const o of open) {
        if (overlaps(subnets[o]!, subnet)) overlapping.push(o < k ? [o, k] : [k, o]);
      }
      open.push(k);
    }
  }
  overlapping.sort(([i1, j1], [i2, j2]) => j1 - j2 || i1 - i2);
  for (const [i, j] of overlapping) {
    const c = clusters[j]!;
    const other = clusters[i]!;
    issue(
      clusterPath(j, 'podSubnet'),
      `podSubnet ${c.podSubnet} of "${c.name}" overlaps ${other.podSubnet} of "${other.name}" on network "${c.network}": ` +
        'clusters whose pod networks overlap must be on different networks',
    );
  }

  const vmIndex = new Map<string, number>();
  vms.forEach((vm, i) => {
    const first = vmIndex.get(vm.name);
    if (first !== undefined) issue(['spec', 'vms', i, 'name'], `VM name "${vm.name}" is used twice (also spec.vms[${first}])`);
    else vmIndex.set(vm.name, i);
    if (!topology.byName.has(vm.cluster)) issue(['spec', 'vms', i, 'cluster'], `VM "${vm.name}" names cluster "${vm.cluster}", which is not a cluster of this environment`);
    if (vm.namespace === ISTIO_NAMESPACE) {
      issue(['spec', 'vms', i, 'namespace'], `VM "${vm.name}" cannot use namespace ${ISTIO_NAMESPACE}: it is the control plane's, and meshops renders its Namespace with the cluster's network label`);
    }
    const app = vm.labels.app;
    if (app !== undefined && app !== vm.name) {
      issue(['spec', 'vms', i, 'labels', 'app'], `labels.app of VM "${vm.name}" must be "${vm.name}" or left out: the VM's name is its app label`);
    }
  });

  // A VM finds istiod through an /etc/hosts line, which can only hold an IP address.
  const hostnameReported = new Set<string>();
  for (const vm of vms) {
    const cluster = topology.byName.get(vm.cluster);
    const controlPlane = cluster && topology.controlPlaneOf(cluster);
    const address = controlPlane && topology.istiodAddress(controlPlane);
    if (!controlPlane || address === undefined || isIP(address) !== 0 || hostnameReported.has(controlPlane.name)) continue;
    hostnameReported.add(controlPlane.name);
    const index = clusters.indexOf(controlPlane);
    issue(
      controlPlane.istiodAddress !== undefined ? clusterPath(index, 'istiodAddress') : clusterPath(index, 'eastWestGateway', 'address'),
      `VM "${vm.name}" reaches istiod of "${controlPlane.name}" through /etc/hosts, which needs an IP address, not the hostname ${address}: ` +
        `set istiodAddress of "${controlPlane.name}" to its load balancer's IP`,
    );
  }

  const remoteCount = clusters.filter((c) => c.role === 'remote').length;
  const secrets = env.spec.remoteSecrets;
  if (secrets && remoteCount > 1 && !secrets.key.includes('{cluster}')) {
    issue(['spec', 'remoteSecrets', 'key'], 'key must contain {cluster}: with several remotes, each needs its own secret');
  }

  for (const name of Object.keys(env.spec.argocd?.destinations ?? {})) {
    if (!topology.byName.has(name)) issue(['spec', 'argocd', 'destinations', name], `"${name}" is not a cluster of this environment`);
  }

  for (const { path, message } of deliveryIssues(env)) issue(path, message);

  addMigrationIssues(env, issue);
}

/** Seed 002's preconditions and the egress entries' consistency; the state machine itself is checked against Git (validate/transitions.ts). */
function addMigrationIssues(env: MeshEnvironment, issue: (path: (string | number)[], message: string) => void): void {
  const asm = env.spec.migration?.asm;
  if (!asm) return;
  const asmPath = (...rest: (string | number)[]) => ['spec', 'migration', 'asm', ...rest];
  if (!atLeast(env.spec.istio.version, [1, 10])) {
    issue(['spec', 'istio', 'version'], `ASM migrates Istio 1.10 or later in place; upgrade Istio ${env.spec.istio.version} before migrating (seed 002)`);
  }
  if (env.spec.argocd && asm.destination === undefined) {
    issue(asmPath(), "destination is required with argocd: the Application syncing rendered/<env>/asm/ needs the ASM instance's API server");
  }
  const application = asmApplicationName(env.metadata.name);
  if (env.spec.argocd && application.length > MAX_APPLICATION_NAME) {
    issue(
      ['metadata', 'name'],
      `the Argo CD Application "${application}" of the ASM migration would be ${application.length} characters; Argo CD writes it into a label value (at most ${MAX_APPLICATION_NAME}): shorten the environment name`,
    );
  }
  const stillOnIstio = asm.egress.filter((e) => e.asmWeight < 100);
  if (asm.desiredState === 'Finished' && stillOnIstio.length > 0) {
    issue(
      asmPath('desiredState'),
      `Finished while ${stillOnIstio.map((e) => `${e.host}:${e.port} (asmWeight ${e.asmWeight})`).join(', ')} still sends traffic through Istio's egress gateway; ` +
        "shift every egress entry to asmWeight 100 first: Istio's gateways must carry no traffic before Finished (seed 002)",
    );
  }
  const seen = new Map<string, number>();
  // Istio's egress gateway needs a container port of its own for each Service port, its defaults included.
  const portOfTarget = new Map<number, number>(EGRESS_GATEWAY_DEFAULT_PORTS.map((p) => [egressGatewayTargetPort(p), p]));
  asm.egress.forEach((entry, i) => {
    const key = `${entry.host.toLowerCase()}:${entry.port}`;
    const first = seen.get(key);
    if (first !== undefined) issue(asmPath('egress', i, 'host'), `${key} is listed twice (also egress[${first}])`);
    else seen.set(key, i);
    const target = egressGatewayTargetPort(entry.port);
    const other = portOfTarget.get(target);
    if (other !== undefined && other !== entry.port) {
      issue(
        asmPath('egress', i, 'port'),
        `port ${entry.port} would listen on container port ${target} of Istio's egress gateway, which port ${other} already uses ` +
          '(ports below 1024 are shifted by 8000 because the gateway runs unprivileged); use another port',
      );
    } else portOfTarget.set(target, entry.port);
  });
}

function whyEastWest(topology: ReturnType<typeof topologyOf>, c: { name: string; role: string }): string {
  const reasons: string[] = [];
  if (topology.multiNetwork) reasons.push(`the mesh spans ${topology.networks.length} networks (${topology.networks.join(', ')})`);
  const cluster = topology.byName.get(c.name);
  if (cluster && topology.exposesIstiod(cluster)) reasons.push('it is a primary whose istiod remotes or VMs reach through it');
  return reasons.join(', and ');
}
