import { describe, expect, it } from 'vitest';
import { sharedRootCa as rule } from '../../policies/shared-root-ca.js';
import { check, fileOf, istioSystem, lineOf, seed000, seedPrimary } from './trees.js';

/** Istio's multi-primary guide: two primaries on two networks, each with its own istiod. */
function twoPrimaries(): Record<string, Record<string, any[]>> {
  return {
    cluster1: { 'istio-operator.yaml': [seedPrimary({ name: 'cluster1', network: 'network1', address: '10.0.0.1' })], 'namespace.yaml': [istioSystem('network1')] },
    cluster2: { 'istio-operator.yaml': [seedPrimary({ name: 'cluster2', network: 'network2', address: '10.0.0.2' })], 'namespace.yaml': [istioSystem('network2')] },
  };
}
const cacertsSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cacerts', namespace: 'istio-system' } };
const cacertsExternalSecret = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'istio-ca', namespace: 'istio-system' },
  spec: { target: { name: 'cacerts' }, data: [{ secretKey: 'root-cert.pem', remoteRef: { key: 'istio/cacerts/cluster2', property: 'root-cert.pem' } }] },
};

describe('shared-root-ca', () => {
  it('is silent with one primary', () => {
    expect(check(rule, seed000())).toEqual([]);
  });

  it('accepts a cacerts Secret (created by hand) or an ExternalSecret producing it on every primary', () => {
    const tree = twoPrimaries();
    tree.cluster1!['cacerts.yaml'] = [cacertsSecret];
    tree.cluster2!['cacerts.yaml'] = [cacertsExternalSecret];
    expect(check(rule, tree)).toEqual([]);
  });

  it('reports each primary without cacerts, at its clusterName', () => {
    const tree = twoPrimaries();
    tree.cluster1!['cacerts.yaml'] = [cacertsSecret];
    const file = 'clusters/cluster2/istio-operator.yaml';
    expect(check(rule, tree)).toEqual([
      expect.objectContaining({
        rule: 'shared-root-ca',
        severity: 'error',
        cluster: 'cluster2',
        file: fileOf(file),
        line: lineOf(tree, file, 'clusterName:'),
        message:
          'primary "cluster2" has no istio-system/cacerts, so its istiod signs with its own self-signed root and workloads of "cluster1" cannot authenticate its workloads; plug in an intermediate CA of the mesh\'s shared root (meshops: spec.rootCA)',
      }),
    ]);
  });

  it('does not count a cacerts in another namespace', () => {
    const tree = twoPrimaries();
    tree.cluster1!['cacerts.yaml'] = [{ ...cacertsSecret, metadata: { name: 'cacerts', namespace: 'default' } }];
    tree.cluster2!['cacerts.yaml'] = [cacertsSecret];
    expect(check(rule, tree).map((f) => f.cluster)).toEqual(['cluster1']);
  });
});
