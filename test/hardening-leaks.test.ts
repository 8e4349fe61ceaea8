/**
 * Issue 14, leaks: credentials never reach rendered/ through the model, and rule
 * no-plaintext-secrets finds every credential shape in every rendered file (one mutation per
 * shape and per place).
 */
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_SHAPES } from '../generator/credentials.js';
import { baseEnvironment, inputFindings, renderFiles, validateFiles, vmEnvironment } from './helpers.js';

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4Zr\n-----END RSA PRIVATE KEY-----';
/** One sample per credential shape, in the form it is written in. */
const SAMPLES: Record<string, string> = {
  'a PEM private key': PEM,
  'a kubeconfig credential': 'token: 0123456789abcdef0123456789abcdef',
  'a JSON Web Token': 'eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJlc2lnbmF0dXJl',
  'an AWS access key': 'AKIAIOSFODNN7EXAMPLE',
  'a GCP key': 'AIzaSyA1234567890abcdefghijklmnopqrstuv',
  'an Azure key': 'AccountKey=bXlzZWNyZXRrZXlteXNlY3JldGtleW15c2VjcmV0a2V5bXlzZWNyZXRrZXk=',
};

const messages = (input: unknown, name = 'test') => inputFindings(input, name).map((f) => f.message);

describe('the model refuses credentials and free text', () => {
  it.each([
    ['apiServer', (e: any) => (e.spec.clusters[0].apiServer = 'https://admin:hunter2@10.0.0.1:6443'), 'spec.clusters[0].apiServer: apiServer must not carry a user or password'],
    ['apiServer token as user', (e: any) => (e.spec.clusters[0].apiServer = 'https://ghp_token@10.0.0.1:6443'), 'spec.clusters[0].apiServer: apiServer must not carry a user or password'],
    ['apiServer with a newline', (e: any) => (e.spec.clusters[0].apiServer = 'https://evil.example\n.com:6443'), 'spec.clusters[0].apiServer: apiServer must not contain spaces or control characters'],
    ['argocd.repoURL', (e: any) => (e.spec.argocd = { repoURL: 'https://user:pat@git.example.com/mesh.git' }), 'spec.argocd.repoURL: repoURL must not carry a user or password'],
    ['argocd.chartRepoURL', (e: any) => (e.spec.argocd = { repoURL: 'git@github.com:org/mesh.git', chartRepoURL: 'https://u:p@charts.example.com' }), 'spec.argocd.chartRepoURL: chartRepoURL must not carry a user or password'],
    ['destinations server', (e: any) => (e.spec.argocd = { repoURL: 'https://git.example.com/mesh.git', destinations: { remote1: { server: 'https://u:p@k8s.example.com' } } }), 'must not carry a user or password'],
    ['istio.hub', (e: any) => (e.spec.istio.hub = 'registry.example.com/istio\nkind: Secret'), 'spec.istio.hub: must be an image repository'],
    ['annotation PEM key', (e: any) => (e.spec.clusters[0].eastWestGateway.annotations = { 'example.com/key': PEM }), 'holds what looks like a PEM private key'],
    ['annotation kubeconfig token', (e: any) => (e.spec.clusters[0].eastWestGateway.annotations = { 'example.com/kc': 'users: [{user: {token: abcdefghijklmnopqrstuvwxyz012345}}]' }), 'holds what looks like a kubeconfig credential'],
    ['64-character revision', (e: any) => (e.spec.istio.revision = 'a'.repeat(64)), 'spec.istio.revision: must be at most 63 characters'],
    ['spec.policies __proto__', (e: any) => (e.spec.policies = JSON.parse('{"__proto__": "off"}')), 'the key "__proto__" is not allowed'],
    ['store name the ExternalSecret schema refuses', (e: any) => (e.spec.remoteSecrets = { store: { name: 'Vault Store' } }), 'a store name must be a DNS subdomain'],
    ['load balancer id with a newline', (e: any) => (e.spec.clusters[0].eastWestGateway.loadBalancer = { existingId: 'lb-1\nx' }), 'existingId must be letters, digits'],
  ])('%s', (_, change, expected) => {
    const env = baseEnvironment();
    change(env);
    expect(messages(env).join('\n')).toContain(expected);
  });

  it('accepts what is legitimate: an scp-like Git URL, a private hub with a port, an https destination', () => {
    const env = baseEnvironment();
    env.spec.istio.hub = 'registry.example.com:5000/istio-release';
    env.spec.istio.install = 'istioctl';
    env.spec.argocd = { repoURL: 'git@github.com:org/mesh.git', destinations: { remote1: { server: 'https://k8s.example.com:6443' } } };
    expect(messages(env, 'test')).toEqual([]);
  });
});

describe('no-plaintext-secrets reads every rendered file', () => {
  const files = renderFiles(vmEnvironment());
  const only = (changed: Map<string, string>) => validateFiles('vm-mesh', changed).map((f) => [f.rule, f.file, f.line]);
  const rule = 'no-plaintext-secrets';

  it('the shapes have a sample each', () => expect(Object.keys(SAMPLES).sort()).toEqual(CREDENTIAL_SHAPES.map((s) => s.name).sort()));

  it.each(Object.entries(SAMPLES))('%s in a ConfigMap', (shape, sample) => {
    const configMap = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: leak', '  namespace: istio-system', 'data:', `  value: ${JSON.stringify(sample)}`, ''].join('\n');
    const findings = validateFiles('vm-mesh', new Map(files).set('clusters/cluster1/leak.yaml', configMap)).filter((f) => f.rule === rule);
    expect(findings.map((f) => [f.file, f.line, f.message])).toEqual([['rendered/vm-mesh/clusters/cluster1/leak.yaml', 7, `holds what looks like ${shape} in Git; keep credentials in a secret store (an ExternalSecret fetches them)`]]);
  });

  it.each([
    ['vms/demo/cluster.env', (t: string) => `${t}AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n`],
    ['vms/demo/install.sh', (t: string) => `${t}# ${SAMPLES['a JSON Web Token']}\n`],
    ['NOTES.md', () => `${PEM}\n`],
  ])('in %s, which is not a manifest', (file, change) => {
    expect(only(new Map(files).set(file, change(files.get(file) ?? '')))).toEqual([[rule, `rendered/vm-mesh/${file}`, expect.any(Number)]]);
  });

  it('an inline token in an ExternalSecret template, and a Secret inside kind: List', () => {
    const list = ['apiVersion: v1', 'kind: List', 'items:', '  - apiVersion: v1', '    kind: Secret', '    metadata: {name: remote}', '    stringData: {kubeconfig: x}', ''].join('\n');
    const listFindings = validateFiles('vm-mesh', new Map(files).set('clusters/cluster1/list.yaml', list)).filter((f) => f.rule === rule);
    expect(listFindings.map((f) => [f.line, f.message])).toEqual([[7, 'Secret remote carries stringData (kubeconfig) in Git; keep credentials in a secret store and commit an ExternalSecret instead']]);
    const template = ['apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', 'metadata: {name: t, namespace: istio-system}', 'spec:', '  target:', '    template:', '      data:', `        config: "client-key-data: ${'A'.repeat(40)}"`, ''].join('\n');
    const templateFindings = validateFiles('vm-mesh', new Map(files).set('clusters/cluster1/es.yaml', template)).filter((f) => f.rule === rule);
    expect(templateFindings.map((f) => [f.line, f.message])).toEqual([[8, 'holds what looks like a kubeconfig credential in Git; keep credentials in a secret store (an ExternalSecret fetches them)']]);
  });

  it('the shipped trees hold none', () => {
    expect(only(files)).toEqual([]);
    expect(validateFiles('test', renderFiles(baseEnvironment())).filter((f) => f.rule === rule)).toEqual([]);
  });
});
