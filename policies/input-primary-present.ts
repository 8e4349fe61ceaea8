import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputPrimaryPresent: InputRule = {
  kind: 'input',
  id: 'input-primary-present',
  description: 'An environment has at least one primary cluster.',
  severity: 'error',
  docs: {
    rationale: 'A remote has no istiod of its own: it uses a primary\'s. A mesh of remotes only has no control plane.',
    bad: meshExample(`  clusters:
  - {name: c1, role: remote, network: main}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}`),
  },
  check({ env, topology, report }) {
    // An empty list is already reported by the schema (at least one cluster).
    if (env.spec.clusters.length > 0 && topology.primaries.length === 0) {
      report(['spec', 'clusters'], 'an environment needs at least one cluster with role: primary (a cluster that runs istiod)');
    }
  },
};
