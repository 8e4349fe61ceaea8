/**
 * Cross-field rules of the MeshEnvironment model: what a single field's type cannot say. Each
 * issue carries the path of the field to fix, which the loader turns into file:line.
 */
import { isIP } from 'node:net';
import type { z } from 'zod';
import type { MeshEnvironment } from './mesh-environment.js';
import { overlaps, parseCidr } from './cidr.js';
import { topologyOf } from './topology.js';

type Ctx = z.RefinementCtx<MeshEnvironment>;

/** The control plane's namespace (render/install-plan.ts renders its Namespace). */
const ISTIO_SYSTEM = 'istio-system';

/** Which loadBalancer fields each provider turns into annotations (see render/providers.ts). */
const LOAD_BALANCER_FIELDS: Record<string, readonly string[]> = {
  generic: [],
  tke: ['existingId', 'subnetId'],
  ack: ['existingId'],
  metallb: ['addressPool'],
  aws: [],
  gcp: [],
  azure: [],
};

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

  if (topology.primaries.length === 0) {
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

    const allowed = LOAD_BALANCER_FIELDS[c.provider] ?? [];
    const lb = c.eastWestGateway?.loadBalancer;
    for (const field of ['existingId', 'subnetId', 'addressPool'] as const) {
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
  const subnets = clusters.map((c) => (c.podSubnet ? parseCidr(c.podSubnet) : undefined));
  clusters.forEach((c, j) => {
    for (let i = 0; i < j; i++) {
      const a = subnets[i];
      const b = subnets[j];
      const other = clusters[i]!;
      if (a && b && other.network === c.network && overlaps(a, b)) {
        issue(
          clusterPath(j, 'podSubnet'),
          `podSubnet ${c.podSubnet} of "${c.name}" overlaps ${other.podSubnet} of "${other.name}" on network "${c.network}": ` +
            'clusters whose pod networks overlap must be on different networks',
        );
      }
    }
  });

  const vmIndex = new Map<string, number>();
  vms.forEach((vm, i) => {
    const first = vmIndex.get(vm.name);
    if (first !== undefined) issue(['spec', 'vms', i, 'name'], `VM name "${vm.name}" is used twice (also spec.vms[${first}])`);
    else vmIndex.set(vm.name, i);
    if (!topology.byName.has(vm.cluster)) issue(['spec', 'vms', i, 'cluster'], `VM "${vm.name}" names cluster "${vm.cluster}", which is not a cluster of this environment`);
    if (vm.namespace === ISTIO_SYSTEM) {
      issue(['spec', 'vms', i, 'namespace'], `VM "${vm.name}" cannot use namespace ${ISTIO_SYSTEM}: it is the control plane's, and meshops renders its Namespace with the cluster's network label`);
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
}

function whyEastWest(topology: ReturnType<typeof topologyOf>, c: { name: string; role: string }): string {
  const reasons: string[] = [];
  if (topology.multiNetwork) reasons.push(`the mesh spans ${topology.networks.length} networks (${topology.networks.join(', ')})`);
  const cluster = topology.byName.get(c.name);
  if (cluster && topology.exposesIstiod(cluster)) reasons.push('it is a primary whose istiod remotes or VMs reach through it');
  return reasons.join(', and ');
}
