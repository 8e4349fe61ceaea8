import { describe, expect, it } from 'vitest';
import { networkMatch } from '../../policies/network-match.js';
import { check, fileOf, istioSystem, lineOf, seed000, seed003 } from './trees.js';

const messages = (tree: Parameters<typeof check>[1]) => check(networkMatch, tree).map((f) => f.message);

describe('network-match', () => {
  it('accepts a network stated identically everywhere', () => {
    expect(check(networkMatch, seed000())).toEqual([]);
    expect(check(networkMatch, seed003())).toEqual([]);
  });

  it('reports an istio-system label that disagrees with values.global.network, at the label', () => {
    const tree = seed003();
    tree['mdemo-cluster2']!['namespace.yaml'] = [istioSystem('network-c3')];
    const findings = check(networkMatch, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: fileOf('clusters/mdemo-cluster2/namespace.yaml'), line: lineOf(tree, 'clusters/mdemo-cluster2/namespace.yaml', 'topology.istio.io/network') });
    expect(findings[0]!.message).toBe(
      'cluster "mdemo-cluster2": the istio-system Namespace label topology.istio.io/network says "network-c3" but values.global.network is "network-c2"; state one network everywhere',
    );
  });

  it("reports the east-west gateway's label and ISTIO_META_REQUESTED_NETWORK_VIEW", () => {
    const tree = seed003();
    const gateway = tree['mdemo-cluster3']!['istio-operator.yaml']![0].spec.components.ingressGateways[0];
    gateway.label['topology.istio.io/network'] = 'network-c1';
    gateway.k8s.env[0].value = 'network-c1';
    const findings = check(networkMatch, tree);
    const file = 'clusters/mdemo-cluster3/istio-operator.yaml';
    expect(findings.map((f) => f.line)).toEqual([lineOf(tree, file, 'topology.istio.io/network'), lineOf(tree, file, 'value: network-c1')]);
  });

  it('with several networks, reports statements that are missing', () => {
    const tree = seed003();
    delete tree['mdemo-cluster2']!['namespace.yaml']![0].metadata.labels;
    expect(messages(tree)).toEqual(['cluster "mdemo-cluster2": the istio-system Namespace label topology.istio.io/network is not set; with several networks it must say "network-c2" (values.global.network)']);
  });

  it('with one network, accepts a --single-cluster east-west gateway without network label', () => {
    const tree = seed000();
    const gateway = tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.components.ingressGateways[1];
    delete gateway.label['topology.istio.io/network'];
    delete gateway.k8s.env;
    expect(check(networkMatch, tree)).toEqual([]);
  });

  it('reports a network stated by the objects but not in values.global.network', () => {
    const tree = seed000();
    delete tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.values.global.network;
    expect(messages(tree)).toEqual([
      'cluster "cls-dxgdg1rl" sets no values.global.network, but the east-west gateway label topology.istio.io/network says "main" and the east-west gateway env ISTIO_META_REQUESTED_NETWORK_VIEW says "main"; set values.global.network to the cluster\'s network',
    ]);
  });

  it('reports meshNetworks that differ between the clusters carrying them', () => {
    const tree = seed003();
    const copy = structuredClone(tree['mdemo-cluster1']!['istio-operator.yaml']![0].spec.values.global.meshNetworks);
    copy['network-c2'].gateways[0].address = '10.6.136.30';
    tree['mdemo-cluster2']!['istio-operator.yaml']![0].spec.values.global.meshNetworks = copy;
    tree['mdemo-cluster3']!['istio-operator.yaml']![0].spec.values.global.meshNetworks = structuredClone(tree['mdemo-cluster1']!['istio-operator.yaml']![0].spec.values.global.meshNetworks);
    expect(messages(tree)).toEqual([
      'cluster "mdemo-cluster2": values.global.meshNetworks differs from the one "mdemo-cluster1" and "mdemo-cluster3" carry; every istiod must route with the same meshNetworks',
    ]);
  });

  it("reports a network without a meshNetworks entry, and a primary without meshNetworks", () => {
    const tree = seed003();
    delete tree['mdemo-cluster1']!['istio-operator.yaml']![0].spec.values.global.meshNetworks['network-c3'];
    expect(messages(tree)).toEqual([
      'cluster "mdemo-cluster1": values.global.meshNetworks has no entry for network "network-c3" (of "mdemo-cluster3"); its endpoints are unreachable from the other networks',
    ]);
    delete tree['mdemo-cluster1']!['istio-operator.yaml']![0].spec.values.global.meshNetworks;
    expect(messages(tree)).toEqual([
      'cluster "mdemo-cluster1" runs istiod in a mesh spanning networks "network-c1", "network-c2" and "network-c3" but sets no values.global.meshNetworks; add an entry (gateway address and port) per network',
    ]);
  });
});
