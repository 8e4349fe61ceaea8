/**
 * Mutation tests: render a valid environment, seed exactly the defect a rule exists for into the
 * rendered YAML text, and check that exactly that rule fires, at the file and line of the defect.
 * One case per rule; a rule without a case fails the last test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_RULE } from '../generator/validate/schema-check.js';
import { policies } from '../policies/index.js';
import { mutate, REPO_ROOT, renderFiles, validateFiles } from './helpers.js';

type Files = Map<string, string>;

/** One primary (TKE, internal CLB) serving two remotes on one network, remote secrets from Vault. */
const singleNetwork = {
  apiVersion: 'meshops.dev/v1alpha1',
  kind: 'MeshEnvironment',
  metadata: { name: 'single' },
  spec: {
    meshID: 'mesh1',
    istio: { version: '1.18.5' },
    clusters: [
      { name: 'primary1', role: 'primary', network: 'net1', provider: 'tke', eastWestGateway: { address: '10.0.0.10', loadBalancer: { existingId: 'lb-lujb6a5a' } } },
      { name: 'remote1', role: 'remote', network: 'net1', provider: 'tke' },
      { name: 'remote2', role: 'remote', network: 'net1', provider: 'tke' },
    ],
    remoteSecrets: { store: { name: 'vault' } },
  },
};

/** One primary (AWS) on net1 serving a remote (GKE) on net2: the only cluster carrying meshNetworks is the primary. */
const twoNetworks = {
  apiVersion: 'meshops.dev/v1alpha1',
  kind: 'MeshEnvironment',
  metadata: { name: 'multi' },
  spec: {
    meshID: 'mesh1',
    istio: { version: '1.22.3' },
    clusters: [
      { name: 'primary1', role: 'primary', network: 'net1', provider: 'aws', eastWestGateway: { address: '10.1.0.10' } },
      { name: 'remote1', role: 'remote', network: 'net2', provider: 'gcp', eastWestGateway: { address: '10.2.0.10' } },
    ],
    remoteSecrets: { store: { name: 'vault' } },
  },
};

/** Two primaries on two networks, a remote of the second, remote secrets and a shared root CA. */
const multiPrimary = {
  apiVersion: 'meshops.dev/v1alpha1',
  kind: 'MeshEnvironment',
  metadata: { name: 'primaries' },
  spec: {
    meshID: 'mesh1',
    istio: { version: '1.26.8' },
    clusters: [
      { name: 'primary1', role: 'primary', network: 'net1', provider: 'aws', eastWestGateway: { address: '10.1.0.10' } },
      { name: 'primary2', role: 'primary', network: 'net2', provider: 'gcp', eastWestGateway: { address: '10.2.0.10' } },
      { name: 'remote2', role: 'remote', network: 'net2', controlPlane: 'primary2', provider: 'gcp', eastWestGateway: { address: '10.2.1.10' } },
    ],
    remoteSecrets: { store: { name: 'vault' } },
    rootCA: { store: { name: 'vault' } },
  },
};

const rendered = { single: renderFiles(singleNetwork), multi: renderFiles(twoNetworks), primaries: renderFiles(multiPrimary) };
const seed001EastWest = readFileSync(path.join(REPO_ROOT, 'test/fixtures/seed-001/cls-dxgdg1rl/eastwest-gateway.yaml'), 'utf8');

interface Case {
  rule: string;
  env: keyof typeof rendered;
  defect: string;
  seed(files: Files): Files;
  /** Where the finding points: the file, and how the line it names starts (first such line, indentation aside). */
  at: { file: string; line: string };
}

/** Removes a YAML document (found by a text inside it) from a multi-document file. */
function withoutDocument(files: Files, file: string, inside: string): Files {
  const text = files.get(file)!;
  const header = /^(#.*\n)*/.exec(text)![0];
  const docs = text.slice(header.length).split(/^---\n/m);
  const kept = docs.filter((d) => !d.includes(inside));
  if (kept.length !== docs.length - 1) throw new Error(`${inside} is not in exactly one document of ${file}`);
  return new Map(files).set(file, header + kept.join('---\n'));
}

/** Removes a file and its entry in the cluster's kustomization.yaml, as a hand edit would. */
function withoutFile(files: Files, file: string): Files {
  const dir = path.posix.dirname(file);
  const next = mutate(files, `${dir}/kustomization.yaml`, `- ${path.posix.basename(file)}\n`, '');
  next.delete(file);
  return next;
}

const cases: Case[] = [
  {
    rule: SCHEMA_RULE.id,
    env: 'single',
    defect: 'an unknown field in a Gateway spec',
    seed: (f) => mutate(f, 'clusters/primary1/gateway.yaml', 'spec:\n  selector:', 'spec:\n  selectors: {}\n  selector:'),
    at: { file: 'clusters/primary1/gateway.yaml', line: 'selectors: {}' },
  },
  {
    rule: 'single-istiooperator',
    env: 'single',
    defect: "seed 001's east-west gateway as a second IstioOperator",
    seed: (f) => new Map(f).set('clusters/primary1/eastwest-gateway.yaml', seed001EastWest),
    at: { file: 'clusters/primary1/eastwest-gateway.yaml', line: 'kind: IstioOperator' },
  },
  {
    rule: 'istio-revision',
    env: 'single',
    defect: 'a revision written as the dotted version (on a remote: on a primary, expose-istiod also finds its istiod Service)',
    seed: (f) => mutate(f, 'clusters/remote1/istio-operator.yaml', '  tag: 1.18.5\n', '  tag: 1.18.5\n  revision: 1.18.5\n'),
    at: { file: 'clusters/remote1/istio-operator.yaml', line: 'revision: 1.18.5' },
  },
  {
    rule: 'istio-profile',
    env: 'single',
    defect: 'a profile Istio 1.18 does not ship (stable came with 1.22)',
    seed: (f) => mutate(f, 'clusters/primary1/istio-operator.yaml', 'profile: default', 'profile: stable'),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: 'profile: stable' },
  },
  {
    rule: 'istio-hub',
    env: 'single',
    defect: 'a registry URL with its scheme as hub',
    seed: (f) => mutate(f, 'clusters/primary1/istio-operator.yaml', '  tag: 1.18.5\n', '  tag: 1.18.5\n  hub: https://registry.example.com/istio\n'),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: 'hub: https://registry.example.com/istio' },
  },
  {
    rule: 'istio-tag',
    env: 'single',
    defect: 'a version with a semver build suffix as tag ("+" is no image tag character)',
    seed: (f) => mutate(f, 'clusters/primary1/istio-operator.yaml', '  tag: 1.18.5\n', '  tag: 1.18.5+build.1\n'),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: 'tag: 1.18.5+build.1' },
  },
  {
    rule: 'istio-gateway-name',
    env: 'single',
    defect: 'the ingress gateway named with capitals',
    seed: (f) => mutate(f, 'clusters/primary1/istio-operator.yaml', 'name: istio-ingressgateway\n', 'name: Istio-IngressGateway\n'),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: '- name: Istio-IngressGateway' },
  },
  {
    rule: 'istio-proxy-ranges',
    env: 'single',
    defect: 'a bare IP among the excluded ranges',
    seed: (f) => mutate(f, 'clusters/primary1/istio-operator.yaml', '      meshID: mesh1\n', '      meshID: mesh1\n      proxy:\n        excludeIPRanges: 10.0.0.1,169.254.169.254/32\n'),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: 'excludeIPRanges: 10.0.0.1' },
  },
  {
    rule: 'gateway-privileged-port',
    env: 'single',
    defect: 'an east-west gateway port targeting 443 without runAsRoot',
    seed: (f) => mutate(f, 'clusters/primary1/istio-operator.yaml', 'port: 15443\n            targetPort: 15443', 'port: 15443\n            targetPort: 443'),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: 'targetPort: 443' },
  },
  {
    rule: 'mesh-id-match',
    env: 'single',
    defect: 'a remote with another meshID',
    seed: (f) => mutate(f, 'clusters/remote1/istio-operator.yaml', 'meshID: mesh1', 'meshID: mesh2'),
    at: { file: 'clusters/remote1/istio-operator.yaml', line: 'meshID: mesh2' },
  },
  {
    rule: 'network-match',
    env: 'multi',
    defect: "a remote's istio-system labelled with the primary's network",
    seed: (f) => mutate(f, 'clusters/remote1/namespace.yaml', 'topology.istio.io/network: net2', 'topology.istio.io/network: net1'),
    at: { file: 'clusters/remote1/namespace.yaml', line: 'topology.istio.io/network: net1' },
  },
  {
    rule: 'mesh-networks-complete',
    env: 'multi',
    defect: 'a meshNetworks gateway without port',
    seed: (f) => mutate(f, 'clusters/primary1/istio-operator.yaml', '- address: 10.2.0.10\n            port: 15443\n', '- address: 10.2.0.10\n'),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: '- address: 10.2.0.10' },
  },
  {
    rule: 'remote-pilot-address',
    env: 'single',
    defect: 'a remote pointed at an address no primary states',
    seed: (f) => mutate(f, 'clusters/remote2/istio-operator.yaml', 'remotePilotAddress: 10.0.0.10', 'remotePilotAddress: 10.0.0.99'),
    at: { file: 'clusters/remote2/istio-operator.yaml', line: 'remotePilotAddress: 10.0.0.99' },
  },
  {
    rule: 'cluster-name-unique',
    env: 'single',
    defect: "a remote's IstioOperator copied with another remote's clusterName",
    seed: (f) => mutate(f, 'clusters/remote2/istio-operator.yaml', 'clusterName: remote2', 'clusterName: remote1'),
    at: { file: 'clusters/remote2/istio-operator.yaml', line: 'clusterName: remote1' },
  },
  {
    rule: 'trust-domain-match',
    env: 'single',
    defect: 'a remote with another trust domain',
    seed: (f) => mutate(f, 'clusters/remote1/istio-operator.yaml', 'trustDomain: cluster.local', 'trustDomain: remote1.example.com'),
    at: { file: 'clusters/remote1/istio-operator.yaml', line: 'trustDomain: remote1.example.com' },
  },
  {
    rule: 'istio-version-skew',
    env: 'single',
    defect: 'a remote two minor versions behind',
    seed: (f) => mutate(f, 'clusters/remote1/istio-operator.yaml', 'tag: 1.18.5', 'tag: 1.16.7'),
    at: { file: 'clusters/remote1/istio-operator.yaml', line: 'tag: 1.16.7' },
  },
  {
    rule: 'east-west-gateway-ports',
    env: 'single',
    defect: "the primary's east-west gateway without the istiod port 15012",
    seed: (f) => mutate(f, 'clusters/primary1/istio-operator.yaml', '          - name: tls-istiod\n            port: 15012\n            targetPort: 15012\n', ''),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: 'ports:' },
  },
  {
    rule: 'east-west-gateway-internal',
    env: 'single',
    defect: "the TKE east-west gateway without its internal CLB annotation (seed 000's public-CLB trap)",
    seed: (f) => mutate(f, 'clusters/primary1/istio-operator.yaml', '        serviceAnnotations:\n          service.kubernetes.io/tke-existed-lbid: lb-lujb6a5a\n', ''),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: '      k8s:' },
  },
  {
    rule: 'east-west-load-balancer',
    env: 'multi',
    defect: "the AWS east-west gateway without aws-load-balancer-type: external (EKS's in-tree controller ignores the scheme)",
    seed: (f) => mutate(f, 'clusters/primary1/istio-operator.yaml', '          service.beta.kubernetes.io/aws-load-balancer-type: external\n', ''),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: 'service.beta.kubernetes.io/aws-load-balancer-scheme: internal' },
  },
  {
    rule: 'expose-istiod',
    env: 'single',
    defect: "the primary's istiod-vs VirtualService deleted",
    seed: (f) => withoutFile(f, 'clusters/primary1/virtualservice.yaml'),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: 'meshops.dev/istiod-address' },
  },
  {
    rule: 'cross-network-gateway',
    env: 'multi',
    defect: "the primary's cross-network-gateway, which also serves the remote's east-west gateway, deleted",
    seed: (f) => withoutDocument(f, 'clusters/primary1/gateway.yaml', 'name: cross-network-gateway'),
    at: { file: 'clusters/remote1/istio-operator.yaml', line: '- name: istio-eastwestgateway' },
  },
  {
    rule: 'config-on-remote',
    env: 'multi',
    defect: "the primary's Gateways copied into the remote (seed 003's layout)",
    seed: (f) =>
      mutate(new Map(f).set('clusters/remote1/gateway.yaml', f.get('clusters/primary1/gateway.yaml')!), 'clusters/remote1/kustomization.yaml', '- namespace.yaml\n', '- gateway.yaml\n- namespace.yaml\n'),
    at: { file: 'clusters/remote1/gateway.yaml', line: 'kind: Gateway' },
  },
  {
    rule: 'remote-secret-present',
    env: 'single',
    defect: "remote2's ExternalSecret deleted from the primary",
    seed: (f) => withoutDocument(f, 'clusters/primary1/externalsecret.yaml', 'networking.istio.io/cluster: remote2'),
    at: { file: 'clusters/remote2/istio-operator.yaml', line: 'clusterName: remote2' },
  },
  {
    rule: 'shared-root-ca',
    env: 'primaries',
    defect: "a primary's cacerts ExternalSecret deleted",
    seed: (f) => withoutDocument(f, 'clusters/primary1/externalsecret.yaml', 'name: cacerts'),
    at: { file: 'clusters/primary1/istio-operator.yaml', line: 'clusterName: primary1' },
  },
  {
    rule: 'remote-secret-key',
    env: 'primaries',
    defect: "a remote secret copying the store's property names (dataFrom extract)",
    seed: (f) =>
      mutate(
        f,
        'clusters/primary1/externalsecret.yaml',
        '  data:\n  - secretKey: primary2\n    remoteRef:\n      key: istio/remote-secrets/primary2\n',
        '  dataFrom:\n  - extract:\n      key: istio/remote-secrets/primary2\n',
      ),
    at: { file: 'clusters/primary1/externalsecret.yaml', line: 'dataFrom:' },
  },
  {
    rule: 'no-plaintext-secrets',
    env: 'single',
    defect: "Istio's plug-in CA (cacerts) committed as a Secret with data",
    seed: (f) =>
      mutate(
        new Map(f).set(
          'clusters/primary1/secret.yaml',
          'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cacerts\n  namespace: istio-system\ntype: Opaque\ndata:\n  ca-key.pem: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t\n',
        ),
        'clusters/primary1/kustomization.yaml',
        '- namespace.yaml\n',
        '- namespace.yaml\n- secret.yaml\n',
      ),
    at: { file: 'clusters/primary1/secret.yaml', line: 'data:' },
  },
];

/**
 * Rules whose mutation tests need an environment of their own (VMs, migrations, Argo CD, Helm):
 * they live in test/policies/<id>.test.ts, and for chart output with a real helm in
 * test/helm-template.test.ts.
 */
const TESTED_WITH_THEIR_FEATURE = /^(vm-|asm-|tcm-|helm-|argocd-)/;

const lineOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.trimStart().startsWith(start.trimStart())) + 1;

describe('generator and validator agree: each rule fires on exactly its defect', () => {
  it.each(Object.entries(rendered))('the %s environment validates clean before any defect is seeded', (env, files) => {
    expect(validateFiles(env, files)).toEqual([]);
  });

  it.each(cases)('$rule: $defect', ({ rule, env, seed, at }) => {
    const files = seed(rendered[env]);
    const findings = validateFiles(env, files);
    expect([...new Set(findings.map((f) => f.rule))]).toEqual([rule]);
    const line = lineOf(files.get(at.file)!, at.line);
    expect(line).toBeGreaterThan(0);
    expect(findings.map((f) => [f.file, f.line])).toContainEqual([`rendered/${env}/${at.file}`, line]);
  });

  it('every rule has a mutation case', () => {
    expect(cases.map((c) => c.rule).sort()).toEqual([SCHEMA_RULE.id, ...policies.map((p) => p.id).filter((id) => !TESTED_WITH_THEIR_FEATURE.test(id))].sort());
  });
});
