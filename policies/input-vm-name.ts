import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputVmName: InputRule = {
  kind: 'input',
  id: 'input-vm-name',
  description: "VM names are unique, and a VM's `labels.app` is its name or left out.",
  severity: 'error',
  docs: {
    rationale:
      "A VM's name is its WorkloadGroup's name, its app label and the directory rendered/<env>/vms/<name>/: two VMs of one name would overwrite each other's files, and an app label other than the name would split the VM from its own WorkloadGroup.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  vms:
  - {name: demo, namespace: vm, serviceAccount: vm, cluster: c1, labels: {app: other}}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  vms:
  - {name: demo, namespace: vm, serviceAccount: vm, cluster: c1}`),
  },
  check({ env, report }) {
    const vmIndex = new Map<string, number>();
    env.spec.vms.forEach((vm, i) => {
      const first = vmIndex.get(vm.name);
      if (first !== undefined) report(['spec', 'vms', i, 'name'], `VM name "${vm.name}" is used twice (also spec.vms[${first}])`);
      else vmIndex.set(vm.name, i);
      const app = vm.labels.app;
      if (app !== undefined && app !== vm.name) {
        report(['spec', 'vms', i, 'labels', 'app'], `labels.app of VM "${vm.name}" must be "${vm.name}" or left out: the VM's name is its app label`);
      }
    });
  },
};
