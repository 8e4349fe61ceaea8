import { ISTIO_NAMESPACE } from '../generator/istio/names.js';
import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputVmNamespace: InputRule = {
  kind: 'input',
  id: 'input-vm-namespace',
  description: `A VM's namespace is not ${ISTIO_NAMESPACE}.`,
  severity: 'error',
  docs: {
    rationale: `${ISTIO_NAMESPACE} is the control plane's namespace, and meshops renders its Namespace with the cluster's network label; a VM's Namespace object there would be a second, conflicting one.`,
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  vms:
  - {name: demo, namespace: istio-system, serviceAccount: vm, cluster: c1}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  vms:
  - {name: demo, namespace: vm, serviceAccount: vm, cluster: c1}`),
  },
  check({ env, report }) {
    env.spec.vms.forEach((vm, i) => {
      if (vm.namespace === ISTIO_NAMESPACE) {
        report(['spec', 'vms', i, 'namespace'], `VM "${vm.name}" cannot use namespace ${ISTIO_NAMESPACE}: it is the control plane's, and meshops renders its Namespace with the cluster's network label`);
      }
    });
  },
};
