import { describe, expect, it } from 'vitest';
import { meshNetworksComplete } from '../../policies/mesh-networks-complete.js';
import { check, fileOf, lineOf, seed003 } from './trees.js';

const gatewaysOf = (tree: ReturnType<typeof seed003>, network: string) =>
  tree['mdemo-cluster1']!['istio-operator.yaml']![0].spec.values.global.meshNetworks[network].gateways;

describe('mesh-networks-complete', () => {
  it('accepts gateways with address and port, or registryServiceName and port', () => {
    const tree = seed003();
    gatewaysOf(tree, 'network-c2')[0] = { registryServiceName: 'istio-eastwestgateway.istio-system.svc.cluster.local', port: '15443' };
    expect(check(meshNetworksComplete, tree)).toEqual([]);
  });

  it('reports a gateway without port at its entry (seed 003: both lines are required)', () => {
    const tree = seed003();
    delete gatewaysOf(tree, 'network-c2')[0].port;
    const findings = check(meshNetworksComplete, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'mesh-networks-complete',
      file: fileOf('clusters/mdemo-cluster1/istio-operator.yaml'),
      line: lineOf(tree, 'clusters/mdemo-cluster1/istio-operator.yaml', 'address: 10.6.136.29'),
    });
    expect(findings[0]!.message).toBe(
      'cluster "mdemo-cluster1": meshNetworks.network-c2.gateways[0] lacks a port; istiod ignores a gateway without both, leaving network "network-c2" unreachable',
    );
  });

  it('reports a gateway with neither address nor port', () => {
    const tree = seed003();
    gatewaysOf(tree, 'network-c3')[0] = {};
    expect(check(meshNetworksComplete, tree).map((f) => f.message)).toEqual([
      'cluster "mdemo-cluster1": meshNetworks.network-c3.gateways[0] lacks an address (or registryServiceName) and a port; istiod ignores a gateway without both, leaving network "network-c3" unreachable',
    ]);
  });
});
