/**
 * Over chart output written by hand in the examples' format (`# helm template <Application>`), so
 * these run without helm; test/helm-template.test.ts seeds the same kind of defect through a real helm.
 */
import { describe, expect, it } from 'vitest';
import { helmDuplicateObject } from '../../policies/helm-duplicate-object.js';
import { addedByDefect, lineInExample, withDefect } from './output-examples.js';

const APP = 'argocd/application-c1.gateways.yaml';
const IOP = '# clusters/c1/istio-operator.yaml\napiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {name: istio, namespace: istio-system}\n';
/** The good example with the cluster's directory beside it. */
const clean = `${helmDuplicateObject.docs.good}\n${IOP}`;
const byHand = (namespace: string) => `# clusters/c1/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: istio-eastwestgateway, namespace: ${namespace}}\n`;

describe('helm-duplicate-object', () => {
  it('reports an object of the kustomize root that a chart renders too, and nothing else, at the chart\'s values', () => {
    expect(addedByDefect(clean, `${clean}\n${byHand('istio-system')}`)).toEqual([
      expect.objectContaining({
        rule: 'helm-duplicate-object',
        severity: 'error',
        file: `rendered/example/${APP}`,
        line: lineInExample(clean, APP, 'valuesObject'),
        cluster: 'c1',
        message:
          'Deployment istio-system/istio-eastwestgateway is rendered by the gateway chart (release istio-eastwestgateway) of Application "c1.gateways" and by the kustomize root ' +
          '(rendered/example/clusters/c1/deployment.yaml): Argo CD would apply it twice and the two would undo each other',
      }),
    ]);
  });

  it('tells objects apart by namespace, and leaves out the IstioOperator beside the kustomize root', () => {
    expect(addedByDefect(clean, `${clean}\n${byHand('gateways')}`)).toEqual([]);
    // The chart rendering an object named like the IstioOperator, which Argo CD never applies from the kustomize root.
    const chartIop = withDefect(clean, 'metadata: {name: istio-eastwestgateway, namespace: istio-system}\n', 'metadata: {name: istio-eastwestgateway, namespace: istio-system}\n---\napiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {name: istio, namespace: istio-system}\n');
    expect(addedByDefect(clean, chartIop)).toEqual([]);
  });
});
