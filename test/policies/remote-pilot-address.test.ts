import { describe, expect, it } from 'vitest';
import { remotePilotAddress } from '../../policies/remote-pilot-address.js';
import { check, fileOf, istioSystem, lineOf, seed000, seed003, seedPrimary, seedRemote } from './trees.js';

const remoteFile = 'clusters/cls-ne1cw84b/member-cluster-1.yaml';

describe('remote-pilot-address', () => {
  it("accepts the primary's east-west gateway loadBalancerIP (seed 000) and its meshNetworks gateway address (seed 003)", () => {
    expect(check(remotePilotAddress, seed000())).toEqual([]);
    const tree = seed003();
    delete tree['mdemo-cluster1']!['istio-operator.yaml']![0].spec.components.ingressGateways[1].k8s.service.loadBalancerIP;
    expect(check(remotePilotAddress, tree)).toEqual([]);
  });

  it('accepts the meshops.dev/istiod-address annotation (a dedicated istiod load balancer)', () => {
    const tree = seed000();
    const primary = tree['cls-dxgdg1rl']!['master-cluster.yaml']![0];
    delete primary.spec.components.ingressGateways[1].k8s.service.loadBalancerIP;
    primary.metadata = { annotations: { 'meshops.dev/istiod-address': '10.64.30.72' } };
    tree['cls-ne1cw84b']!['member-cluster-1.yaml'] = [seedRemote({ pilot: '10.64.30.72' })];
    expect(check(remotePilotAddress, tree)).toEqual([]);
  });

  it('reports an address no primary states, saying what would make it pass', () => {
    const tree = seed000();
    tree['cls-ne1cw84b']!['member-cluster-1.yaml'] = [seedRemote({ pilot: '10.0.250.85' })];
    const findings = check(remotePilotAddress, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'remote-pilot-address', severity: 'error', cluster: 'cls-ne1cw84b', file: fileOf(remoteFile), line: lineOf(tree, remoteFile, 'remotePilotAddress') });
    expect(findings[0]!.message).toBe(
      'remote "cls-ne1cw84b": remotePilotAddress 10.0.250.85 is not the istiod address of any primary of the environment ("cls-dxgdg1rl" states 10.0.250.58 (east-west gateway k8s.service.loadBalancerIP)); ' +
        "set it to one of those, or state 10.0.250.85 as the primary's istiod address: annotate its IstioOperator with meshops.dev/istiod-address: 10.0.250.85, " +
        "set its east-west gateway's k8s.service.loadBalancerIP to 10.0.250.85, or list 10.0.250.85 as the gateway address of its network in meshNetworks",
    );
  });

  it('reports a primary that states no istiod address at all (seed 000 as written)', () => {
    const tree = seed000();
    delete tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.components.ingressGateways[1].k8s.service.loadBalancerIP;
    expect(check(remotePilotAddress, tree).map((f) => f.message)).toEqual([
      expect.stringContaining('remotePilotAddress 10.0.250.58 is not the istiod address of any primary of the environment ("cls-dxgdg1rl" states no istiod address)'),
    ]);
  });

  it("checks against the remote's own primary when its Namespace names it", () => {
    const tree = seed000();
    tree['cls-other'] = { 'istio-operator.yaml': [seedPrimary({ name: 'cls-other', address: '10.0.250.99' })] };
    tree['cls-ne1cw84b']!['namespace.yaml'] = [istioSystem('main', 'cls-dxgdg1rl')];
    tree['cls-ne1cw84b']!['member-cluster-1.yaml'] = [seedRemote({ pilot: '10.0.250.99' })];
    expect(check(remotePilotAddress, tree).map((f) => f.message)).toEqual([
      expect.stringContaining('remotePilotAddress 10.0.250.99 is not the istiod address of its primary "cls-dxgdg1rl" ("cls-dxgdg1rl" states 10.0.250.58'),
    ]);
  });

  it('reports a missing remotePilotAddress and a control plane that is not a primary', () => {
    const tree = seed000();
    delete tree['cls-ne1cw84b']!['member-cluster-1.yaml']![0].spec.values.global.remotePilotAddress;
    expect(check(remotePilotAddress, tree).map((f) => f.message)).toEqual([
      'remote "cls-ne1cw84b" sets no values.global.remotePilotAddress; set it to its primary\'s istiod address ("cls-dxgdg1rl" states 10.0.250.58 (east-west gateway k8s.service.loadBalancerIP))',
    ]);
    tree['cls-ne1cw84b']!['namespace.yaml'] = [istioSystem('main', 'cls-gone')];
    expect(check(remotePilotAddress, tree).map((f) => f.message)).toEqual([
      'remote "cls-ne1cw84b": its istio-system Namespace names control plane "cls-gone", which is not a primary of this environment',
    ]);
  });

  it('holds back while a cluster has several IstioOperators (single-istiooperator reports that)', () => {
    const tree = seed000();
    tree['cls-dxgdg1rl']!['eastwest-gateway.yaml'] = [seedPrimary()];
    tree['cls-ne1cw84b']!['member-cluster-1.yaml'] = [seedRemote({ pilot: '10.0.250.85' })];
    expect(check(remotePilotAddress, tree)).toEqual([]);
  });
});
