import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputVmCluster: InputRule = {
  kind: 'input',
  id: 'input-vm-cluster',
  description: "A VM's `cluster` is a cluster of the environment.",
  severity: 'error',
  docs: {
    rationale: "The VM's namespace, service account and WorkloadGroup are rendered into that cluster, and the VM joins its control plane.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  vms:
  - {name: demo, namespace: vm, serviceAccount: vm, cluster: c2}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  vms:
  - {name: demo, namespace: vm, serviceAccount: vm, cluster: c1}`),
  },
  check({ env, topology, report }) {
    env.spec.vms.forEach((vm, i) => {
      if (!topology.byName.has(vm.cluster)) report(['spec', 'vms', i, 'cluster'], `VM "${vm.name}" names cluster "${vm.cluster}", which is not a cluster of this environment`);
    });
  },
};
