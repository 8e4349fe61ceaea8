import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputRoleFields: InputRule = {
  kind: 'input',
  id: 'input-role-fields',
  description: '`controlPlane` is only for remotes; `istiodAddress` is only for primaries.',
  severity: 'error',
  docs: {
    rationale: 'A primary runs its own istiod, so naming a control plane for it means nothing; a remote has no istiod, so it has no istiod address. Either field on the wrong role is a mistaken role or a misplaced line.',
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, controlPlane: c2}
  - {name: c2, role: primary, network: main}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  - {name: c2, role: primary, network: main}
  rootCA: {store: {name: vault}}   # several primaries share one root of trust`),
  },
  check({ env, report }) {
    env.spec.clusters.forEach((c, i) => {
      if (c.role === 'primary') {
        if (c.controlPlane !== undefined) report(['spec', 'clusters', i, 'controlPlane'], 'controlPlane is for remotes; a primary runs its own istiod');
      } else if (c.istiodAddress !== undefined) {
        report(['spec', 'clusters', i, 'istiodAddress'], 'istiodAddress is for primaries; a remote has no istiod of its own');
      }
    });
  },
};
