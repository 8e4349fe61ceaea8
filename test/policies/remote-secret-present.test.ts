import { describe, expect, it } from 'vitest';
import { remoteSecretPresent } from '../../policies/remote-secret-present.js';
import { check, fileOf, lineOf, seed003 } from './trees.js';

const externalSecret = (remote: string) => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: `istio-remote-secret-${remote}`, namespace: 'istio-system' },
  spec: {
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
    target: { name: `istio-remote-secret-${remote}`, template: { metadata: { labels: { 'istio/multiCluster': 'true' }, annotations: { 'networking.istio.io/cluster': remote } } } },
    dataFrom: [{ extract: { key: `istio/remote-secrets/${remote}` } }],
  },
});
/** What istioctl create-remote-secret writes, data held elsewhere (e.g. by a sealed-secrets controller). */
const secret = (remote: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: `istio-remote-secret-${remote}`, namespace: 'istio-system', labels: { 'istio/multiCluster': 'true' }, annotations: { 'networking.istio.io/cluster': remote } },
});

describe('remote-secret-present', () => {
  it('accepts an ExternalSecret or a Secret per remote on the primary', () => {
    const tree = seed003();
    tree['mdemo-cluster1']!['remote-secrets.yaml'] = [externalSecret('mdemo-cluster2'), secret('mdemo-cluster3')];
    expect(check(remoteSecretPresent, tree)).toEqual([]);
  });

  it('stays silent when the environment keeps no remote secret in Git (created with istioctl)', () => {
    expect(check(remoteSecretPresent, seed003())).toEqual([]);
  });

  it("reports a remote without a secret, at the remote's clusterName", () => {
    const tree = seed003();
    tree['mdemo-cluster1']!['remote-secrets.yaml'] = [externalSecret('mdemo-cluster2')];
    const file = 'clusters/mdemo-cluster3/istio-operator.yaml';
    const findings = check(remoteSecretPresent, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'remote-secret-present',
      severity: 'error',
      cluster: 'mdemo-cluster3',
      file: fileOf(file),
      line: lineOf(tree, file, 'clusterName:'),
      message:
        'remote "mdemo-cluster3" has no remote secret on its primary "mdemo-cluster1", so istiod cannot see its services; add an ExternalSecret (meshops: spec.remoteSecrets) labelled istio/multiCluster: "true" and annotated networking.istio.io/cluster: mdemo-cluster3',
    });
  });

  it('does not count a secret without the istio/multiCluster label, or on another cluster', () => {
    const tree = seed003();
    const unlabelled = externalSecret('mdemo-cluster3');
    delete (unlabelled.spec.target.template.metadata as { labels?: object }).labels;
    tree['mdemo-cluster1']!['remote-secrets.yaml'] = [externalSecret('mdemo-cluster2'), unlabelled];
    tree['mdemo-cluster2']!['remote-secrets.yaml'] = [externalSecret('mdemo-cluster3')];
    expect(check(remoteSecretPresent, tree).map((f) => f.cluster)).toEqual(['mdemo-cluster3']);
  });
});

describe('remote-secret-present with several primaries', () => {
  it('needs a secret on every primary for every other cluster', () => {
    const tree = seed003();
    // mdemo-cluster2 becomes a second primary: each istiod discovers the other clusters itself.
    const second = tree['mdemo-cluster2']!['istio-operator.yaml']![0];
    delete second.spec.profile;
    delete second.spec.values.global.remotePilotAddress;
    tree['mdemo-cluster1']!['remote-secrets.yaml'] = [externalSecret('mdemo-cluster2'), externalSecret('mdemo-cluster3')];
    tree['mdemo-cluster2']!['remote-secrets.yaml'] = [externalSecret('mdemo-cluster3')];
    const findings = check(remoteSecretPresent, tree);
    expect(findings.map((f) => [f.cluster, f.message.split(';')[0]])).toEqual([['mdemo-cluster2', 'primary "mdemo-cluster2" has no remote secret for "mdemo-cluster1"']]);
    tree['mdemo-cluster2']!['remote-secrets.yaml']!.push(externalSecret('mdemo-cluster1'));
    expect(check(remoteSecretPresent, tree)).toEqual([]);
  });
});
