import { describe, expect, it } from 'vitest';
import { vmCrossNetworkGateway } from '../../policies/vm-cross-network-gateway.js';
import { mutate, renderFiles, validateFiles, vmEnvironment } from '../helpers.js';
import { check, crossNetworkGateway, exposeIstiod, fileOf, istioSystem, lineOf, seed003, seedPrimary } from './trees.js';

const workloadGroup = (network?: string) => ({
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'WorkloadGroup',
  metadata: { name: 'demo', namespace: 'vm' },
  spec: { template: { serviceAccount: 'vm', ...(network ? { network } : {}) } },
});

/** Seed 004 multi-network by hand: cluster1 on kube-network, the VM on `vmNetwork`. */
function seed004(vmNetwork: string | undefined, exposeServices: boolean): Record<string, Record<string, object[]>> {
  return {
    cluster1: {
      'vm-cluster.yaml': [seedPrimary({ name: 'cluster1', network: 'kube-network' })],
      'namespace.yaml': [istioSystem('kube-network')],
      'expose-istiod.yaml': exposeIstiod(),
      ...(exposeServices ? { 'expose-services.yaml': [crossNetworkGateway()] } : {}),
      'workloadgroup.yaml': [workloadGroup(vmNetwork)],
    },
  };
}

describe('vm-cross-network-gateway', () => {
  it('passes a VM on its cluster network, stated or not, without a cross-network gateway', () => {
    expect(check(vmCrossNetworkGateway, seed004(undefined, false))).toEqual([]);
    expect(check(vmCrossNetworkGateway, seed004('kube-network', false))).toEqual([]);
  });

  it('passes a VM on another network when its cluster network has a cross-network gateway', () => {
    expect(check(vmCrossNetworkGateway, seed004('vm-network', true))).toEqual([]);
  });

  it('reports a VM on another network without one, at its network field', () => {
    const tree = seed004('vm-network', false);
    expect(check(vmCrossNetworkGateway, tree)).toEqual([
      expect.objectContaining({
        rule: 'vm-cross-network-gateway',
        file: fileOf('clusters/cluster1/workloadgroup.yaml'),
        line: lineOf(tree, 'clusters/cluster1/workloadgroup.yaml', 'network: vm-network'),
        message: expect.stringContaining('is on network "vm-network", but no cluster on "kube-network"'),
      }),
    ]);
  });

  it('a Gateway that is not AUTO_PASSTHROUGH on 15443 is no cross-network gateway', () => {
    const tree = seed004('vm-network', true);
    (tree.cluster1!['expose-services.yaml']![0] as any).spec.servers[0].tls.mode = 'PASSTHROUGH';
    expect(check(vmCrossNetworkGateway, tree)).toHaveLength(1);
  });

  it('in a mesh whose clusters span networks, reports only a cluster network without any east-west gateway', () => {
    const tree: Record<string, any> = seed003();
    tree['mdemo-cluster2']['workloadgroup.yaml'] = [workloadGroup('vm-network')];
    // cross-network-gateway reports a missing Gateway on an east-west gateway; this rule stays quiet.
    delete tree['mdemo-cluster2']['gateway.yaml'];
    expect(check(vmCrossNetworkGateway, tree)).toEqual([]);
    delete tree['mdemo-cluster2']['istio-operator.yaml'][0].spec.components;
    expect(check(vmCrossNetworkGateway, tree)).toEqual([expect.objectContaining({ message: expect.stringContaining('no cluster on "network-c2"') })]);
  });

  it('mutation: a rendered multi-network VM environment whose cross-network Gateway loses AUTO_PASSTHROUGH fires exactly this rule', () => {
    const files = renderFiles(vmEnvironment({ vmNetwork: 'vm-network' }));
    expect(validateFiles('vm-mesh', files)).toEqual([]);
    const broken = mutate(files, 'clusters/cluster1/gateway.yaml', 'mode: AUTO_PASSTHROUGH', 'mode: PASSTHROUGH');
    expect(validateFiles('vm-mesh', broken)).toEqual([
      expect.objectContaining({ rule: 'vm-cross-network-gateway', file: 'rendered/vm-mesh/clusters/cluster1/workloadgroup.yaml', cluster: 'cluster1' }),
    ]);
  });
});
