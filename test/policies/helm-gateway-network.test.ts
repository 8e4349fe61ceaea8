/**
 * Over chart output written by hand in the examples' format (`# helm template <Application>`), so
 * these run without helm; test/helm-template.test.ts seeds the same kind of defect through a real helm.
 */
import { describe, expect, it } from 'vitest';
import { helmGatewayNetwork } from '../../policies/helm-gateway-network.js';
import { addedByDefect, lineInExample, withDefect } from './output-examples.js';

const APP = 'argocd/application-c1.gateways.yaml';
const clean = helmGatewayNetwork.docs.good;

describe('helm-gateway-network', () => {
  const at = { rule: 'helm-gateway-network', severity: 'error', file: `rendered/example/${APP}`, line: lineInExample(clean, APP, 'valuesObject'), cluster: 'c1' };

  it('reports a pod label that sends the gateway to another network, and nothing else, at the Application\'s values', () => {
    const seeded = withDefect(clean, '{labels: {app: istio-eastwestgateway}}', '{labels: {app: istio-eastwestgateway, topology.istio.io/network: n2}}');
    expect(addedByDefect(clean, seeded)).toEqual([
      expect.objectContaining({
        ...at,
        message:
          'the gateway chart (release istio-eastwestgateway) renders Deployment istio-eastwestgateway pod label topology.istio.io/network "n2", but cluster "c1" is on network "n1" ' +
          `(rendered/example/clusters/c1/istio-operator.yaml:${lineInExample(clean, 'clusters/c1/istio-operator.yaml', 'network: n1')}): istiod would not route cross-network traffic through this gateway`,
      }),
    ]);
  });

  it('reports a Service without the network label, and a proxy without ISTIO_META_REQUESTED_NETWORK_VIEW, as unset', () => {
    const unlabelled = withDefect(clean, 'name: istio-eastwestgateway, labels: {topology.istio.io/network: n1}}', 'name: istio-eastwestgateway}');
    const noView = withDefect(unlabelled, 'env: [{name: ISTIO_META_REQUESTED_NETWORK_VIEW, value: n1}]', 'env: []');
    expect(addedByDefect(clean, noView).map((f) => [f.rule, f.line, f.message.split(', but')[0]])).toEqual([
      ['helm-gateway-network', at.line, 'the gateway chart (release istio-eastwestgateway) renders Service istio-eastwestgateway label topology.istio.io/network unset'],
      ['helm-gateway-network', at.line, 'the gateway chart (release istio-eastwestgateway) renders Deployment istio-eastwestgateway env ISTIO_META_REQUESTED_NETWORK_VIEW unset'],
    ]);
  });

  it('leaves gateway releases that are not an east-west gateway to their own network settings', () => {
    const ingress = withDefect(clean, 'releaseName: istio-eastwestgateway, valuesObject: {networkGateway: n1}', 'releaseName: istio-ingressgateway, valuesObject: {}');
    expect(addedByDefect(clean, withDefect(ingress, 'value: n1}', 'value: n2}'))).toEqual([]);
  });
});
