import { isIP } from 'node:net';
import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputVmIstiodIp: InputRule = {
  kind: 'input',
  id: 'input-vm-istiod-ip',
  description: 'The istiod address VMs use (`istiodAddress`, else `eastWestGateway.address`) is an IP address.',
  severity: 'error',
  docs: {
    rationale: "A VM finds istiod through an /etc/hosts line mapping istiod's name, which can only hold an IP address (seed 004).",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: ew.example.com}}
  vms:
  - {name: demo, namespace: vm, serviceAccount: vm, cluster: c1}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  vms:
  - {name: demo, namespace: vm, serviceAccount: vm, cluster: c1}`),
  },
  check({ env, topology, report }) {
    const hostnameReported = new Set<string>();
    for (const vm of env.spec.vms) {
      const cluster = topology.byName.get(vm.cluster);
      const controlPlane = cluster && topology.controlPlaneOf(cluster);
      const address = controlPlane && topology.istiodAddress(controlPlane);
      if (!controlPlane || address === undefined || isIP(address) !== 0 || hostnameReported.has(controlPlane.name)) continue;
      hostnameReported.add(controlPlane.name);
      const index = env.spec.clusters.indexOf(controlPlane);
      report(
        controlPlane.istiodAddress !== undefined ? ['spec', 'clusters', index, 'istiodAddress'] : ['spec', 'clusters', index, 'eastWestGateway', 'address'],
        `VM "${vm.name}" reaches istiod of "${controlPlane.name}" through /etc/hosts, which needs an IP address, not the hostname ${address}: ` +
          `set istiodAddress of "${controlPlane.name}" to its load balancer's IP`,
      );
    }
  },
};
