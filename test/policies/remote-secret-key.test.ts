import { describe, expect, it } from 'vitest';
import { remoteSecretKey as rule } from '../../policies/remote-secret-key.js';
import { check, fileOf, lineOf, seed003 } from './trees.js';

const labelled = (remote: string) => ({ labels: { 'istio/multiCluster': 'true' }, annotations: { 'networking.istio.io/cluster': remote } });
const externalSecret = (remote: string, spec: Record<string, unknown>) => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: `istio-remote-secret-${remote}`, namespace: 'istio-system' },
  spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { template: { metadata: labelled(remote) } }, ...spec },
});

describe('remote-secret-key', () => {
  it("accepts one key named after the cluster, from data[].secretKey or the template's data", () => {
    const tree = seed003();
    tree['mdemo-cluster1']!['remote-secrets.yaml'] = [
      externalSecret('mdemo-cluster2', { data: [{ secretKey: 'mdemo-cluster2', remoteRef: { key: 'istio/remote-secrets/mdemo-cluster2' } }] }),
      externalSecret('mdemo-cluster3', {
        target: { template: { metadata: labelled('mdemo-cluster3'), data: { 'mdemo-cluster3': '{{ .kubeconfig }}' } } },
        dataFrom: [{ extract: { key: 'istio/remote-secrets/mdemo-cluster3' } }],
      }),
    ];
    expect(check(rule, tree)).toEqual([]);
  });

  it("reports an ExternalSecret whose keys are the store's property names (dataFrom), at dataFrom", () => {
    const tree = seed003();
    tree['mdemo-cluster1']!['remote-secrets.yaml'] = [externalSecret('mdemo-cluster2', { dataFrom: [{ extract: { key: 'istio/remote-secrets/mdemo-cluster2' } }] })];
    const file = 'clusters/mdemo-cluster1/remote-secrets.yaml';
    expect(check(rule, tree)).toEqual([
      expect.objectContaining({
        rule: 'remote-secret-key',
        file: fileOf(file),
        line: lineOf(tree, file, 'dataFrom:'),
        message:
          'ExternalSecret istio-remote-secret-mdemo-cluster2 (istio/multiCluster, networking.istio.io/cluster: mdemo-cluster2) takes its data keys from the store (dataFrom), but istiod reads each key as a cluster ID; produce exactly one key "mdemo-cluster2" (data[].secretKey: mdemo-cluster2)',
      }),
    ]);
  });

  it('reports a key that is not the cluster, or more than one key; a Secret filled elsewhere states none', () => {
    const tree = seed003();
    tree['mdemo-cluster1']!['remote-secrets.yaml'] = [
      externalSecret('mdemo-cluster2', { data: [{ secretKey: 'kubeconfig', remoteRef: { key: 'k' } }] }),
      externalSecret('mdemo-cluster3', { data: [{ secretKey: 'mdemo-cluster3', remoteRef: { key: 'k' } }, { secretKey: 'mdemo-cluster2', remoteRef: { key: 'j' } }] }),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sealed', namespace: 'istio-system', ...labelled('mdemo-cluster2') } },
    ];
    expect(check(rule, tree).map((f) => f.message.split(', but')[0])).toEqual([
      'ExternalSecret istio-remote-secret-mdemo-cluster2 (istio/multiCluster, networking.istio.io/cluster: mdemo-cluster2) has data key "kubeconfig"',
      'ExternalSecret istio-remote-secret-mdemo-cluster3 (istio/multiCluster, networking.istio.io/cluster: mdemo-cluster3) has data keys "mdemo-cluster3" and "mdemo-cluster2"',
    ]);
  });
});
