import { describe, expect, it } from 'vitest';
import { crossNetworkGateway as rule } from '../../policies/cross-network-gateway.js';
import { check, crossNetworkGateway, fileOf, lineOf, seed000, seed003 } from './trees.js';

describe('cross-network-gateway', () => {
  it("accepts the primary's cross-network-gateway serving its own and its remotes' east-west gateways", () => {
    expect(check(rule, seed003())).toEqual([]);
  });

  it('is not needed with one network', () => {
    expect(check(rule, seed000())).toEqual([]);
  });

  it('reports every east-west gateway the primary serves when its Gateway is missing, at the gateway component', () => {
    const tree = seed003();
    delete tree['mdemo-cluster1']!['gateway.yaml'];
    const file = 'clusters/mdemo-cluster2/istio-operator.yaml';
    const findings = check(rule, tree);
    expect(findings.map((f) => f.cluster)).toEqual(['mdemo-cluster1', 'mdemo-cluster2', 'mdemo-cluster3']);
    expect(findings[1]).toMatchObject({
      rule: 'cross-network-gateway',
      severity: 'error',
      file: fileOf(file),
      line: lineOf(tree, file, 'name: istio-eastwestgateway'),
      message:
        'cluster "mdemo-cluster2" has an east-west gateway in a mesh spanning networks "network-c1", "network-c2" and "network-c3" but no Gateway cross-network-gateway (15443, AUTO_PASSTHROUGH) on its primary "mdemo-cluster1"; other networks cannot reach its services',
    });
  });

  it("does not count a Gateway in the remote's own directory: no istiod reads it there", () => {
    const tree = seed003();
    tree['mdemo-cluster1']!['gateway.yaml'] = [];
    tree['mdemo-cluster2']!['gateway.yaml'] = [crossNetworkGateway()];
    expect(check(rule, tree).map((f) => f.cluster)).toEqual(['mdemo-cluster1', 'mdemo-cluster2', 'mdemo-cluster3']);
  });

  it('accepts another name for the AUTO_PASSTHROUGH Gateway, and reports a wrong mode or selector', () => {
    const tree = seed003();
    const renamed = crossNetworkGateway();
    renamed.metadata.name = 'expose-services';
    tree['mdemo-cluster1']!['gateway.yaml'] = [renamed];
    expect(check(rule, tree)).toEqual([]);
    const broken = crossNetworkGateway();
    broken.spec.servers[0].tls.mode = 'PASSTHROUGH';
    broken.spec.selector = { app: 'istio-ingressgateway' };
    tree['mdemo-cluster1']!['gateway.yaml'] = [broken];
    expect(check(rule, tree).map((f) => f.message)).toContain(
      'Gateway cross-network-gateway does not select the east-west gateway (labels istio=eastwestgateway, app=istio-eastwestgateway, topology.istio.io/network=network-c2)',
    );
    expect(check(rule, tree).map((f) => f.message)).toContain('Gateway cross-network-gateway has no server on port 15443 with tls.mode AUTO_PASSTHROUGH');
  });
});
