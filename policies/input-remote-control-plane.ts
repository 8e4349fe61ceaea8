import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputRemoteControlPlane: InputRule = {
  kind: 'input',
  id: 'input-remote-control-plane',
  description: "A remote's `controlPlane` names a primary of the environment; it may be left out only when there is exactly one primary.",
  severity: 'error',
  docs: {
    rationale:
      "A remote's proxies and injection webhook talk to its primary's istiod (remotePilotAddress), and its istio-system Namespace names that primary (topology.istio.io/controlPlaneClusters). With several primaries meshops cannot guess which one.",
    bad: meshExample(`  clusters:
  - {name: p1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  - {name: p2, role: primary, network: main}
  - {name: r1, role: remote, network: main}`),
    good: meshExample(`  clusters:
  - {name: p1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  - {name: p2, role: primary, network: main}
  - {name: r1, role: remote, network: main, controlPlane: p1}
  rootCA: {store: {name: vault}}   # several primaries share one root of trust`),
  },
  check({ env, topology, report }) {
    env.spec.clusters.forEach((c, i) => {
      if (c.role !== 'remote') return;
      if (c.controlPlane !== undefined) {
        const named = topology.byName.get(c.controlPlane);
        if (!named) report(['spec', 'clusters', i, 'controlPlane'], `controlPlane "${c.controlPlane}" is not a cluster of this environment`);
        else if (named.role !== 'primary') report(['spec', 'clusters', i, 'controlPlane'], `controlPlane "${c.controlPlane}" is a remote; it must name a primary`);
      } else if (topology.primaries.length > 1) {
        report(['spec', 'clusters', i, 'role'], `remote "${c.name}" must name its primary in controlPlane: there are ${topology.primaries.length} primaries`);
      }
    });
  },
};
