/**
 * Rule `schema` and the schemas behind it: the catalog in kubeconform's layout, strict at every level,
 * compiled; typos and out-of-range values found at their line; presence left to the policies; and
 * everything meshops renders valid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../generator/findings.js';
import { validateTrees } from '../generator/validate/engine.js';
import { loadTrees } from '../generator/validate/manifests.js';
import { knownKinds, SCHEMA_RULE, schemaKey } from '../generator/validate/schema-check.js';
import { policies } from '../policies/index.js';
import { baseEnvironment, manifestFiles, mutate, REPO_ROOT, renderAndValidate, renderFiles, toYamlText, validateFiles, vmEnvironment } from './helpers.js';

type Schema = Record<string, unknown>;

const SCHEMAS_DIR = path.join(REPO_ROOT, 'schemas');
const catalog = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'catalog.json'), 'utf8')).kinds as Record<string, string>;
const readSchema = (file: string): Schema => JSON.parse(readFileSync(path.join(SCHEMAS_DIR, file), 'utf8')) as Schema;
const schemaFindings = (findings: readonly Finding[]) => findings.filter((f) => f.rule === SCHEMA_RULE.id);
/** 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

/** kubeconform's template variables for a resource (pkg/registry: schemaPath). */
function expandTemplate(template: string, apiVersion: string, kind: string): string {
  const [groupOrVersion, version] = apiVersion.split('/') as [string, string | undefined];
  const vars: Record<string, string> = {
    ResourceKind: kind.toLowerCase(),
    ResourceAPIVersion: version ?? groupOrVersion,
    Group: groupOrVersion,
    KindSuffix: `-${groupOrVersion.split('.')[0]!.toLowerCase()}${version ? `-${version.toLowerCase()}` : ''}`,
  };
  return template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, name: string) => vars[name]!);
}

/** Every schema node at a schema position, with its path. */
function* schemaNodes(schema: Schema, at = '#'): Generator<[string, Schema]> {
  yield [at, schema];
  for (const key of ['properties', 'patternProperties', 'definitions']) {
    const map = schema[key] as Record<string, Schema> | undefined;
    for (const [name, sub] of Object.entries(map ?? {})) yield* schemaNodes(sub, `${at}/${key}/${name}`);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    for (const [i, sub] of ((schema[key] as Schema[] | undefined) ?? []).entries()) yield* schemaNodes(sub, `${at}/${key}/${i}`);
  }
  for (const key of ['items', 'additionalProperties', 'not']) {
    const sub = schema[key];
    if (typeof sub === 'object' && sub !== null && !Array.isArray(sub)) yield* schemaNodes(sub as Schema, `${at}/${key}`);
  }
}

describe('the schema catalog', () => {
  it('puts every file where the README\'s kubeconform -schema-location templates find it', () => {
    const readme = readFileSync(path.join(SCHEMAS_DIR, 'README.md'), 'utf8');
    const templates = [...readme.matchAll(/-schema-location '([^']+)'/g)].map((m) => m[1]!);
    expect(templates).toHaveLength(2);
    for (const [key, file] of Object.entries(catalog)) {
      const [apiVersion, kind] = key.split('|') as [string, string];
      // kubeconform takes the first location whose file exists.
      const found = templates.map((t) => expandTemplate(t, apiVersion, kind)).find((p) => existsSync(path.join(REPO_ROOT, p)));
      expect(found, key).toBe(`schemas/${file}`);
    }
  });

  it('has a compiled validator for every entry, and only those, each of which loads and runs', () => {
    // The IstioOperator is checked per Istio version (schemas/istio/), not through the catalog.
    expect(knownKinds()).toEqual([...Object.keys(catalog), 'install.istio.io/v1alpha1|IstioOperator'].sort());
    const validators = createRequire(import.meta.url)(path.join(REPO_ROOT, 'dist', 'schemas', 'validators.cjs')) as Record<string, (data: unknown) => boolean>;
    for (const key of Object.keys(catalog)) {
      const [apiVersion, kind] = key.split('|');
      expect(typeof validators[key]!({ apiVersion, kind }), key).toBe('boolean');
    }
  });

  it('closes every object schema that declares properties, at every level', () => {
    const open = Object.values(catalog).flatMap((file) =>
      [...schemaNodes(readSchema(file))].filter(([, node]) => node.properties !== undefined && node.additionalProperties === undefined).map(([at]) => `${file} ${at}`),
    );
    expect(open).toEqual([]);
  });

  it('pins apiVersion and kind at the closed top level of every schema', () => {
    for (const [key, file] of Object.entries(catalog)) {
      const [apiVersion, kind] = key.split('|') as [string, string];
      const schema = readSchema(file);
      const properties = schema.properties as Record<string, Schema>;
      expect(schema.additionalProperties, key).toBe(false);
      expect(properties.apiVersion?.enum, key).toContain(apiVersion);
      expect(properties.kind?.enum, key).toContain(kind);
      expect((properties.metadata as Schema | undefined)?.additionalProperties ?? (properties.metadata as Schema | undefined)?.$ref, key).toBeDefined();
    }
  });
});

const gateway = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'cross-network-gateway', namespace: 'istio-system' },
  spec: {
    selector: { istio: 'eastwestgateway' },
    servers: [{ port: { name: 'tls', number: 15443, protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }],
  },
};

describe('rule schema on hand-written manifests', () => {
  it('rejects an unknown field at the top of a Gateway spec, and a typo in its metadata', () => {
    const files = manifestFiles({ c1: { 'gateway.yaml': [{ ...gateway, metadata: { ...gateway.metadata, lables: { a: 'b' } }, spec: { ...gateway.spec, selectr: {} } }] } });
    const text = files.get('clusters/c1/gateway.yaml')!;
    const findings = schemaFindings(validateFiles('hand', files));
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [lineOf(text, 'lables:'), 'Gateway cross-network-gateway: metadata: unknown field "lables"'],
      [lineOf(text, 'selectr:'), 'Gateway cross-network-gateway: spec: unknown field "selectr"'],
    ]);
    expect(findings.every((f) => f.file === 'rendered/hand/clusters/c1/gateway.yaml' && f.cluster === 'c1')).toBe(true);
  });

  it('accepts the same Gateway in every API version meshops or a hand-written tree uses', () => {
    const files = manifestFiles({
      c1: { 'gateways.yaml': ['v1', 'v1beta1', 'v1alpha3'].map((v) => ({ ...gateway, apiVersion: `networking.istio.io/${v}`, metadata: { name: `gw-${v}` } })) },
    });
    expect(schemaFindings(validateFiles('hand', files))).toEqual([]);
  });

  it('reports a kind without a schema at its kind line', () => {
    const files = manifestFiles({ c1: { 'pod.yaml': [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sleep' }, spec: {} }] } });
    const findings = schemaFindings(validateFiles('hand', files));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'schema', severity: 'error', line: lineOf(files.get('clusters/c1/pod.yaml')!, 'kind: Pod') });
    expect(findings[0]!.message).toContain('no schema for Pod (v1)');
    expect(knownKinds()).not.toContain(schemaKey('v1', 'Pod'));
  });

  it('checks ASMMigrateFromIstio against seed 002\'s field table', () => {
    const asm = (spec: object) =>
      new Map([['asm/asmmigratefromistio.yaml', toYamlText({ apiVersion: 'istio.alibabacloud.com/v1beta1', kind: 'ASMMigrateFromIstio', metadata: { name: 'default' }, spec })]]);
    expect(schemaFindings(validateFiles('asm', asm({ desiredState: 'Init', retryCounter: 0, advancedOptions: { disableIstioSystemLabelReconciliation: true } })))).toEqual([]);
    const messages = (spec: object) => schemaFindings(validateFiles('asm', asm(spec))).map((f) => f.message);
    expect(messages({ desiredState: 'Done' })).toEqual([expect.stringContaining('spec.desiredState: must be one of "Init", "SetupIstioForMigrate", "Migrating", "Finished", got "Done"')]);
    expect(messages({ retryCounter: 2147483648 })).toEqual([expect.stringContaining('spec.retryCounter: must be <= 2147483647')]);
    expect(messages({ retryCounter: -1 })).toEqual([expect.stringContaining('spec.retryCounter: must be >= 0')]);
    expect(messages({ advancedOptions: { disableIstioSystemLabelReconciliation: 'true' } })).toEqual([expect.stringContaining('must be boolean, got "true"')]);
    expect(messages({ advancedOption: {} })).toEqual([expect.stringContaining('spec: unknown field "advancedOption"')]);
  });

  it('reads YAML as Kubernetes does: a date-like plain scalar is a string, and merge keys merge', () => {
    // go-yaml v2 through sigs.k8s.io/yaml keeps timestamps strings; js-yaml's default schema made Dates that "must be string".
    const text = [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: dated',
      '  creationTimestamp: 2024-01-01T00:00:00Z',
      '  labels: &labels',
      '    released: 2024-01-01',
      '  annotations:',
      '    <<: *labels',
      '    replicas: 3',
      '',
    ].join('\n');
    const findings = schemaFindings(validateFiles('hand', new Map([['clusters/c1/namespace.yaml', text]])));
    expect(findings.map((f) => [f.line, f.message])).toEqual([[lineOf(text, 'replicas:'), 'Namespace dated: metadata.annotations.replicas: must be string, got 3']]);
  });

  it('checks a kustomization.yaml as strictly as kustomize reads it', () => {
    const files = manifestFiles({ c1: { 'kustomization.yaml': [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resource: ['namespace.yaml'] }] } });
    expect(schemaFindings(validateFiles('hand', files)).map((f) => f.message)).toEqual(['Kustomization (unnamed): unknown field "resource"']);
  });
});

/** A primary on net1 serving a remote on net2 (internal AWS load balancers): the primary's IstioOperator carries meshNetworks. */
function twoNetworks(): Record<string, any> {
  const env = baseEnvironment('multi');
  env.spec.istio.version = '1.24.2';
  env.spec.clusters[0].provider = 'aws';
  env.spec.clusters[1] = { ...env.spec.clusters[1], provider: 'aws', network: 'net2', eastWestGateway: { address: '10.0.0.20' } };
  return env;
}

describe('rule schema on the IstioOperator', () => {
  const single = renderFiles(baseEnvironment('single'));
  const multi = renderFiles(twoNetworks());
  const iop = 'clusters/primary1/istio-operator.yaml';
  const net2Gateway = 'address: 10.0.0.20\n            port: 15443';

  it('reports a typo in values and in spec at the line of the field', () => {
    for (const [from, to, message] of [
      ['meshID: mesh1', 'meshId: mesh1', 'spec.values.global: unknown field "meshId"'],
      ['components:', 'compnents:', 'spec: unknown field "compnents"'],
    ] as const) {
      const files = mutate(single, iop, from, to);
      const findings = schemaFindings(validateFiles('single', files));
      expect(findings.map((f) => [f.file, f.line, f.message])).toEqual([[`rendered/single/${iop}`, lineOf(files.get(iop)!, to), `IstioOperator istio: ${message}`]]);
    }
  });

  it('rejects a meshNetworks gateway port out of range, and nothing else fires', () => {
    const files = mutate(multi, iop, net2Gateway, 'address: 10.0.0.20\n            port: 70000');
    expect(validateFiles('multi', files).map((f) => [f.rule, f.line, f.message])).toEqual([
      ['schema', lineOf(files.get(iop)!, 'port: 70000'), 'IstioOperator istio: spec.values.global.meshNetworks.net2.gateways[0].port: must be a port number 1-65535, got 70000'],
    ]);
  });

  it('rejects a meshNetworks gateway address that is neither an IP nor a hostname, and nothing else fires', () => {
    for (const address of ['"not an ip!"', '10.0.0.256']) {
      const files = mutate(multi, iop, 'address: 10.0.0.20', `address: ${address}`);
      expect(validateFiles('multi', files).map((f) => [f.rule, f.line, f.message])).toEqual([
        ['schema', lineOf(files.get(iop)!, `address: ${address}`), `IstioOperator istio: spec.values.global.meshNetworks.net2.gateways[0].address: must be an IP address or a hostname, got ${JSON.stringify(address.replace(/"/g, ''))}`],
      ]);
    }
  });

  it('accepts what istiod accepts in meshNetworks: hostnames, IPv6, ports as decimal strings, CIDR endpoints', () => {
    let files = mutate(multi, iop, net2Gateway, 'address: gw.net2.example.com\n            port: "15443"');
    files = mutate(files, iop, 'address: 10.0.0.10\n            port: 15443', 'address: fd00::10\n            port: 15443');
    files = mutate(files, iop, 'fromRegistry: remote1', 'fromCidr: 10.2.0.0/16');
    expect(schemaFindings(validateFiles('multi', files))).toEqual([]);
  });

  it('rejects malformed meshNetworks endpoints', () => {
    const messages = (to: string) => schemaFindings(validateFiles('multi', mutate(multi, iop, 'fromRegistry: remote1', to))).map((f) => f.message.replace('IstioOperator istio: spec.values.global.meshNetworks.net2.endpoints[0]', ''));
    expect(messages('fromRegistry: Remote_1')).toEqual(['.fromRegistry: must be a cluster ID (istiod: a DNS-1123 label, letters of either case, digits and "-", at most 63 characters), got "Remote_1"']);
    expect(messages('fromCidr: 10.2.0.0/33')).toEqual(['.fromCidr: must be a CIDR block (a.b.c.d/n, x::/n) or an IP address, as istiod parses it, got "10.2.0.0/33"']);
    expect(messages('fromRegistry: remote1\n            fromCidr: 10.2.0.0/16')).toEqual(['.fromRegistry: cannot be set together with "fromCidr": they are alternatives (a protobuf oneof), set one']);
  });

  it('leaves a missing gateway address or port to mesh-networks-complete: exactly that rule fires', () => {
    for (const to of ['address: ""\n            port: 15443', 'address: 10.0.0.20\n            port:', 'port: 15443']) {
      const findings = validateFiles('multi', mutate(multi, iop, net2Gateway, to));
      expect(findings.map((f) => f.rule), to).toEqual(['mesh-networks-complete']);
    }
  });

  it('types what istioctl types: string proxyMetadata and env values, ports in range, booleans', () => {
    const cases = [
      ['trustDomain: cluster.local', 'trustDomain: cluster.local\n    defaultConfig:\n      proxyMetadata:\n        PROXY_CONFIG_XDS_AGENT: true', 'spec.meshConfig.defaultConfig.proxyMetadata.PROXY_CONFIG_XDS_AGENT: must be string, got true'],
      ['value: net1', 'value: 1', 'spec.components.ingressGateways[1].k8s.env[0].value: must be string, got 1'],
      ['port: 15012\n', 'port: 150120\n', 'spec.components.ingressGateways[1].k8s.service.ports[2].port: must be <= 65535, got 150120'],
      ['enabled: false', 'enabled: "false"', 'spec.components.ingressGateways[0].enabled: must be boolean, got "false"'],
    ] as const;
    for (const [from, to, message] of cases) {
      const findings = schemaFindings(validateFiles('multi', mutate(multi, iop, from, to)));
      expect(findings.map((f) => f.message), to).toEqual([`IstioOperator istio: ${message}`]);
    }
    const quoted = mutate(multi, iop, 'trustDomain: cluster.local', 'trustDomain: cluster.local\n    defaultConfig:\n      proxyMetadata:\n        PROXY_CONFIG_XDS_AGENT: "true"');
    expect(schemaFindings(validateFiles('multi', quoted))).toEqual([]);
  });
});

describe('what meshops renders validates against the schemas', () => {
  it('the rendered examples, tcm-migration included, have no schema findings', () => {
    const trees = loadTrees('rendered', REPO_ROOT);
    expect(trees.map((t) => t.name)).toContain('tcm-migration');
    expect(schemaFindings(validateTrees(trees, { policies }))).toEqual([]);
  });

  it('so do environments of every shape', () => {
    const everything = twoNetworks();
    Object.assign(everything.spec.istio, { hub: 'registry.example.com/istio', revision: '1-24' });
    everything.spec.clusters[0] = { ...everything.spec.clusters[0], provider: 'ack', ingressGateway: { enabled: true, annotations: { 'example.com/owner': 'mesh' } } };
    everything.spec.clusters[1].provider = 'metallb';
    everything.spec.clusters[1].eastWestGateway.loadBalancer = { addressPool: 'first-pool' };
    everything.spec.remoteSecrets = { store: { kind: 'ClusterSecretStore', name: 'vault' }, key: 'istio/remote-secrets/{cluster}' };
    everything.spec.argocd = { repoURL: 'https://git.example.com/platform/mesh.git' };
    for (const env of [baseEnvironment('single'), everything, vmEnvironment(), vmEnvironment({ name: 'vm-net', vmNetwork: 'vm-network' })]) {
      expect(schemaFindings(renderAndValidate(env)), env.metadata.name).toEqual([]);
    }
  });
});
