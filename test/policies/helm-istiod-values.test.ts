/**
 * Over chart output written by hand in the examples' format (`# helm template <Application>`), so
 * these run without helm; test/helm-template.test.ts seeds the same kind of defect through a real helm.
 */
import { describe, expect, it } from 'vitest';
import { helmIstiodValues } from '../../policies/helm-istiod-values.js';
import { addedByDefect, lineInExample, withDefect } from './output-examples.js';

const APP = 'argocd/application-c1.yaml';
const clean = helmIstiodValues.docs.good;

describe('helm-istiod-values', () => {
  const at = { rule: 'helm-istiod-values', severity: 'error', file: `rendered/example/${APP}`, line: lineInExample(clean, APP, 'valuesObject'), cluster: 'c1' };

  it('reports istiod rendered with another cluster ID, and nothing else, at the Application\'s values', () => {
    expect(addedByDefect(clean, withDefect(clean, 'value: c1}', 'value: Kubernetes}'))).toEqual([
      expect.objectContaining({
        ...at,
        message:
          'the istiod chart (release c1) renders Deployment istiod env CLUSTER_ID "Kubernetes", but the IstioOperator of cluster "c1" (rendered/example/clusters/c1/istio-operator.yaml) says "c1": ' +
          'Argo CD would run another istiod than the IstioOperator describes',
      }),
    ]);
  });

  it('reports EXTERNAL_ISTIOD that only the chart output sets, and the injector\'s network differing', () => {
    const external = withDefect(clean, '[{name: CLUSTER_ID, value: c1}]', '[{name: CLUSTER_ID, value: c1}, {name: EXTERNAL_ISTIOD, value: "true"}]');
    const findings = addedByDefect(clean, external);
    expect(findings.map((f) => [f.rule, f.line, f.message.split(': Argo CD')[0]])).toEqual([
      ['helm-istiod-values', at.line, 'the istiod chart (release c1) renders Deployment istiod env EXTERNAL_ISTIOD "true", but the IstioOperator of cluster "c1" (rendered/example/clusters/c1/istio-operator.yaml) says "false"'],
    ]);
  });
});
