import { describe, expect, it } from 'vitest';
import { configOnRemote as rule } from '../../policies/config-on-remote.js';
import { check, crossNetworkGateway, exposeIstiod, fileOf, lineOf, seed000, seed003 } from './trees.js';

describe('config-on-remote', () => {
  it('accepts Istio configuration on primaries only', () => {
    expect(check(rule, seed003())).toEqual([]);
    expect(check(rule, seed000())).toEqual([]);
  });

  it("reports seed 003's layout: the cross-network Gateway applied on a remote too, at its kind", () => {
    const tree = seed003();
    tree['mdemo-cluster2']!['gateway.yaml'] = [crossNetworkGateway()];
    const file = 'clusters/mdemo-cluster2/gateway.yaml';
    const findings = check(rule, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'config-on-remote',
      severity: 'error',
      cluster: 'mdemo-cluster2',
      file: fileOf(file),
      line: lineOf(tree, file, 'kind: Gateway'),
      message:
        'Gateway istio-system/cross-network-gateway (networking.istio.io/v1beta1) is in remote cluster "mdemo-cluster2", where no istiod reads it and the Istio CRDs may not exist; move it to its primary "mdemo-cluster1"',
    });
  });

  it('reports every *.istio.io kind in any namespace, but neither the IstioOperator nor Namespaces and ServiceAccounts', () => {
    const tree = seed000();
    const remote = tree['cls-ne1cw84b']!;
    remote['expose-istiod.yaml'] = exposeIstiod();
    remote['policy.yaml'] = [
      { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } },
      { apiVersion: 'networking.istio.io/v1beta1', kind: 'WorkloadGroup', metadata: { name: 'demo', namespace: 'vm' }, spec: { template: { serviceAccount: 'vm' } } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'vm', namespace: 'vm' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'vm' } },
    ];
    expect(check(rule, tree).map((f) => f.message.split(' is in')[0])).toEqual([
      'Gateway istiod-gateway (networking.istio.io/v1alpha3)',
      'VirtualService istiod-vs (networking.istio.io/v1alpha3)',
      'PeerAuthentication istio-system/default (security.istio.io/v1)',
      'WorkloadGroup vm/demo (networking.istio.io/v1beta1)',
    ]);
  });

  it("takes Istio 1.15's `profile: external` for a remote", () => {
    const tree = seed000();
    const remote = tree['cls-ne1cw84b']!;
    remote['member-cluster-1.yaml']![0].spec.profile = 'external';
    remote['gateway.yaml'] = [crossNetworkGateway()];
    expect(check(rule, tree)).toHaveLength(1);
  });
});
