import { TCM_SOURCE_VERSION_ANNOTATION } from '../generator/istio/labels.js';
import { get, scalarText } from '../generator/json.js';
import type { Policy } from '../generator/validate/policy.js';

/** Seeds 000/001: install the same Istio version TCM runs, to avoid compatibility problems while both meshes coexist. */
export const tcmVersionMatch: Policy = {
  id: 'tcm-version-match',
  description: `A cluster migrating from Tencent Cloud Mesh runs the Istio version TCM runs (IstioOperator annotation ${TCM_SOURCE_VERSION_ANNOTATION}).`,
  severity: 'warning',
  docs: {
    rationale:
      'Leaving TCM for a self-run Istio is already a move of every workload to a new control plane; the seeds advise installing the version TCM runs so that the move does not also bring API and behaviour changes of another Istio release. meshops states migration.tcm.sourceVersion on each IstioOperator as the annotation meshops.dev/tcm-source-version. A warning: upgrading during the migration can be a deliberate choice (set the rule to off).',
    bad: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system, annotations: {meshops.dev/tcm-source-version: 1.18.5}}
spec: {tag: 1.20.3}`,
    good: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system, annotations: {meshops.dev/tcm-source-version: 1.18.5}}
spec: {tag: 1.18.5}`,
  },
  check({ clusters, report }) {
    for (const facts of clusters) {
      const doc = facts.iop;
      const source = scalarText(get(doc?.object, ['metadata', 'annotations', TCM_SOURCE_VERSION_ANNOTATION]));
      if (!doc || source === undefined) continue;
      const version = scalarText(facts.version);
      if (version === source) continue;
      report({
        doc,
        path: ['spec', 'tag'],
        message: `cluster "${facts.name}" runs Istio ${version ?? '(no tag)'} but TCM runs ${source}: the seeds advise the same version while the two meshes coexist (set istio.version to ${source})`,
      });
    }
  },
};
