import { describe, expect, it } from 'vitest';
import { eastWestLoadBalancer as rule } from '../../policies/east-west-load-balancer.js';
import { check, fileOf, lineOf, seed000 } from './trees.js';

const withAnnotations = (annotations: Record<string, string>) => {
  const tree = seed000();
  tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.components.ingressGateways[1].k8s.serviceAnnotations = annotations;
  return tree;
};
const FILE = 'clusters/cls-dxgdg1rl/master-cluster.yaml';

describe('east-west-load-balancer', () => {
  it("accepts seed 000's existing CLB, and the presets meshops writes", () => {
    expect(check(rule, seed000())).toEqual([]);
    expect(
      check(
        rule,
        withAnnotations({
          'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
          'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
        }),
      ),
    ).toEqual([]);
  });

  it('reports an AWS scheme without the AWS Load Balancer Controller, at the scheme', () => {
    const tree = withAnnotations({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' });
    expect(check(rule, tree)).toEqual([
      expect.objectContaining({
        rule: 'east-west-load-balancer',
        file: fileOf(FILE),
        line: lineOf(tree, FILE, 'aws-load-balancer-scheme'),
        message:
          'cluster "cls-dxgdg1rl": service.beta.kubernetes.io/aws-load-balancer-scheme takes effect only with service.beta.kubernetes.io/aws-load-balancer-type: external (the AWS Load Balancer Controller); without it EKS builds a public classic load balancer',
      }),
    ]);
  });

  it('reports a reused SLB without force-override-listeners', () => {
    const tree = withAnnotations({ 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id': 'lb-1' });
    expect(check(rule, tree).map((f) => f.message)).toEqual([
      'cluster "cls-dxgdg1rl": the reused SLB gets no listeners for the east-west ports unless service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners is "true"',
    ]);
    tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.components.ingressGateways[1].k8s.serviceAnnotations[
      'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners'
    ] = 'true';
    expect(check(rule, tree)).toEqual([]);
  });

  it('reports a cross-network port other than 15443 without the gatewayPort label', () => {
    const tree = seed000();
    const gateway = tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.components.ingressGateways[1];
    gateway.k8s.service.ports[1].port = 16443;
    expect(check(rule, tree).map((f) => f.message)).toEqual([
      'cluster "cls-dxgdg1rl": the east-west gateway serves cross-network traffic on 16443, but istiod reads the port from the label networking.istio.io/gatewayPort (15443 without it); label the gateway networking.istio.io/gatewayPort: "16443"',
    ]);
    gateway.label['networking.istio.io/gatewayPort'] = '16443';
    expect(check(rule, tree)).toEqual([]);
  });
});
