import type { InputRule } from '../generator/model/input-rule.js';

export const inputPrimaryPresent: InputRule = {
  kind: 'input',
  id: 'input-primary-present',
  description: 'An environment has at least one primary cluster.',
  severity: 'error',
  docs: {
    rationale: 'A remote has no istiod of its own: it uses a primary\'s. A mesh of remotes only has no control plane.',
    bad: `apiVersion: meshops.dev/v1alpha1
kind: MeshEnvironment
metadata: {name: demo}
spec:
  meshID: mesh1
  istio: {version: 1.24.0}
  clusters:
  - {name: c1, role: remote, network: main}`,
    good: `apiVersion: meshops.dev/v1alpha1
kind: MeshEnvironment
metadata: {name: demo}
spec:
  meshID: mesh1
  istio: {version: 1.24.0}
  clusters:
  - {name: c1, role: primary, network: main}`,
  },
  check({ env, topology, report }) {
    // An empty list is already reported by the schema (at least one cluster).
    if (env.spec.clusters.length > 0 && topology.primaries.length === 0) {
      report(['spec', 'clusters'], 'an environment needs at least one cluster with role: primary (a cluster that runs istiod)');
    }
  },
};
