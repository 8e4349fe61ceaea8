import { describe, expect, it } from 'vitest';
import { noPlaintextSecrets } from '../../policies/no-plaintext-secrets.js';
import { validateEnvironment } from '../../generator/validate/engine.js';
import { environmentTreeFromFiles } from '../../generator/validate/manifests.js';
import { toYamlText } from '../helpers.js';
import { check, fileOf, lineOf, seed000 } from './trees.js';

const remoteSecret = (extra: object) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'istio-remote-secret-cls-ne1cw84b', namespace: 'istio-system', labels: { 'istio/multiCluster': 'true' } },
  ...extra,
});

describe('no-plaintext-secrets', () => {
  it('accepts Secrets without content', () => {
    const tree = seed000();
    tree['cls-dxgdg1rl']!['secret.yaml'] = [remoteSecret({}), remoteSecret({ data: {} })];
    expect(check(noPlaintextSecrets, tree)).toEqual([]);
  });

  it('reports the kubeconfig istioctl create-remote-secret writes, at stringData and at data', () => {
    const tree = seed000();
    tree['cls-dxgdg1rl']!['secret.yaml'] = [remoteSecret({ stringData: { 'cls-ne1cw84b': 'apiVersion: v1\nkind: Config\n' } }), remoteSecret({ data: { 'ca.crt': 'LS0tLS1CRUdJTg==' } })];
    const findings = check(noPlaintextSecrets, tree);
    const file = 'clusters/cls-dxgdg1rl/secret.yaml';
    expect(findings.map((f) => [f.rule, f.severity, f.file, f.line])).toEqual([
      ['no-plaintext-secrets', 'error', fileOf(file), lineOf(tree, file, 'stringData:')],
      ['no-plaintext-secrets', 'error', fileOf(file), lineOf(tree, file, 'ca.crt') - 1],
    ]);
    expect(findings[0]!.message).toBe(
      'Secret istio-remote-secret-cls-ne1cw84b carries stringData (cls-ne1cw84b) in Git; keep credentials in a secret store and commit an ExternalSecret instead',
    );
  });

  it('also looks outside the clusters (argocd/)', () => {
    const files = new Map([['argocd/repo.yaml', toYamlText({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'repo' }, stringData: { password: 'hunter2' } })]]);
    const findings = validateEnvironment(environmentTreeFromFiles('hand', 'rendered/hand', files), { policies: [noPlaintextSecrets], overrides: new Map([['hand', { schema: 'off' }]]) });
    expect(findings.map((f) => [f.file, f.line])).toEqual([['rendered/hand/argocd/repo.yaml', 5]]);
  });
});
