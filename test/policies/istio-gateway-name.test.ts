import { describe, expect, it } from 'vitest';
import { istioGatewayName } from '../../policies/istio-gateway-name.js';
import { check, fileOf, lineOf, seedPrimary } from './trees.js';

const FILE = 'clusters/cls-dxgdg1rl/istio-operator.yaml';
const withGateways = (tag: string, ingress: unknown[], egress: unknown[] = []) => {
  const iop = seedPrimary();
  iop.spec.tag = tag;
  iop.spec.components.ingressGateways.push(...ingress);
  iop.spec.components.egressGateways = egress;
  return { 'cls-dxgdg1rl': { 'istio-operator.yaml': [iop] } };
};

describe('istio-gateway-name', () => {
  it('accepts Kubernetes object names, dotted ones and an unnamed gateway included', () => {
    for (const tag of ['1.18.5', '1.24.2']) {
      expect(check(istioGatewayName, withGateways(tag, [{ name: 'istio-ingressgateway.internal', enabled: true }, { enabled: false }], [{ name: 'istio-egressgateway', enabled: true }]))).toEqual([]);
    }
  });

  it('refuses capitals and "_" in any ingress or egress gateway name, at that name, up to 1.23 and from 1.24', () => {
    for (const tag of ['1.18.5', '1.24.2']) {
      const tree = withGateways(tag, [{ name: 'Istio-Internal', enabled: true }], [{ name: 'istio_egressgateway', enabled: true }]);
      const findings = check(istioGatewayName, tree);
      expect(findings.map((f) => [f.rule, f.severity, f.file, f.line, f.message])).toEqual([
        ['istio-gateway-name', 'error', fileOf(FILE), lineOf(tree, FILE, 'name: Istio-Internal'), `spec.components.ingressGateways[2].name "Istio-Internal" is not a Kubernetes object name (lower-case letters, digits, "." and "-", at most 254 characters); istioctl ${tag.slice(0, 4)} refuses it`],
        ['istio-gateway-name', 'error', fileOf(FILE), lineOf(tree, FILE, 'name: istio_egressgateway'), `spec.components.egressGateways[0].name "istio_egressgateway" is not a Kubernetes object name (lower-case letters, digits, "." and "-", at most 254 characters); istioctl ${tag.slice(0, 4)} refuses it`],
      ]);
    }
  });

  it('refuses a name longer than 254 characters', () => {
    expect(check(istioGatewayName, withGateways('1.30.3', [{ name: 'a'.repeat(255) }]))).toHaveLength(1);
    expect(check(istioGatewayName, withGateways('1.30.3', [{ name: 'a'.repeat(254) }]))).toEqual([]);
  });
});
