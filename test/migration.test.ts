/**
 * Migrations (seeds 000-002): the model's migration rules, and what an ASM migration and a TCM
 * migration render (ASMMigrateFromIstio, PROXY_CONFIG_XDS_AGENT, egress routes, the runbook). The
 * four migration policies have their tests in test/policies/{asm,tcm}-*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { modelFromSource } from '../generator/load/environments.js';
import { parseYamlSource } from '../generator/load/yaml-source.js';
import { topologyOf } from '../generator/model/topology.js';
import { planClusterInstall } from '../generator/render/install-plan.js';
import { asmEnvironment, tcmEnvironment } from './environments.js';
import { baseEnvironment, inputFindings, model, renderFiles } from './helpers.js';
import { inputRules } from '../policies/index.js';

const docs = (files: ReadonlyMap<string, string>, file: string): any[] => parseAllDocuments(files.get(file)!).map((d) => d.toJS());
const messages = (input: unknown) => inputFindings(input).map((f) => f.message);

describe('migration input rules', () => {
  it('accepts the seed-002 migration', () => {
    expect(inputFindings(asmEnvironment())).toEqual([]);
  });

  it('refuses a desiredState that is not a migration state', () => {
    expect(messages(asmEnvironment({ desiredState: 'Done' }))).toEqual([
      expect.stringMatching(/^spec\.migration\.asm\.desiredState: must be one of "Init", "SetupIstioForMigrate", "Migrating", "Finished"/),
    ]);
  });

  it('refuses Finished at the line of desiredState while an egress entry still sends traffic to Istio', () => {
    const text = [
      'apiVersion: meshops.dev/v1alpha1',
      'kind: MeshEnvironment',
      'metadata: {name: asm}',
      'spec:',
      '  meshID: mesh1',
      '  istio: {version: 1.22.3}',
      '  clusters:',
      '  - {name: primary1, role: primary, network: net1}',
      '  migration:',
      '    asm:',
      '      desiredState: Finished',
      '      egress:',
      '      - {host: edition.cnn.com, port: 80, asmWeight: 100}',
      '      - {host: api.example.com, port: 8081, asmWeight: 99}',
      '',
    ].join('\n');
    const parsed = parseYamlSource('environments/asm/mesh.yaml', text);
    if (!parsed.ok) throw new Error('test bug: invalid YAML');
    const result = modelFromSource(parsed.source, 'asm', inputRules);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.findings).toEqual([
      expect.objectContaining({
        rule: 'input',
        severity: 'error',
        file: 'environments/asm/mesh.yaml',
        line: 11,
        message: expect.stringMatching(/^spec\.migration\.asm\.desiredState: Finished while api\.example\.com:8081 \(asmWeight 99\) still sends traffic through Istio's egress gateway/),
      }),
    ]);
    expect(inputFindings(asmEnvironment({ desiredState: 'Finished', egress: [{ host: 'edition.cnn.com', port: 80, asmWeight: 100 }] }))).toEqual([]);
    expect(inputFindings(asmEnvironment({ desiredState: 'Finished', egress: [] }))).toEqual([]);
  });

  it('refuses an Istio older than 1.10, which ASM cannot migrate in place (older than meshops knows, too)', () => {
    const env = asmEnvironment();
    env.spec.istio.version = '1.9.8';
    expect(messages(env)).toEqual([expect.stringMatching(/^spec\.istio\.version: meshops knows Istio 1\.15 to 1\.30/)]);
  });

  it("needs the ASM instance's destination when Argo CD delivers the mesh", () => {
    const env = asmEnvironment();
    env.spec.argocd = { repoURL: 'https://git.example.com/mesh.git' };
    expect(messages(env)).toContain(
      "spec.migration.asm: destination is required with argocd: the Application syncing rendered/<env>/asm/ needs the ASM instance's API server",
    );
    env.spec.migration.asm.destination = 'https://asm.example.com:6443';
    expect(messages(env).filter((m) => m.startsWith('spec.migration'))).toEqual([]);
  });

  it('refuses an egress host and port listed twice, in any letter case', () => {
    const env = asmEnvironment({
      egress: [
        { host: 'edition.cnn.com', port: 80, asmWeight: 1 },
        { host: 'Edition.CNN.com', port: 80, asmWeight: 5 },
      ],
    });
    expect(messages(env)).toEqual(['spec.migration.asm.egress[1].host: edition.cnn.com:80 is listed twice (also egress[0])']);
  });

  it("refuses egress ports that would share a container port of Istio's egress gateway", () => {
    const env = asmEnvironment({ egress: [{ host: 'a.example.com', port: 8080, asmWeight: 0 }] });
    expect(messages(env)).toEqual([expect.stringMatching(/^spec\.migration\.asm\.egress\[0\]\.port: port 8080 would listen on container port 8080 of Istio's egress gateway, which port 80 already uses/)]);
    expect(inputFindings(asmEnvironment({ egress: [{ host: 'a.example.com', port: 8081, asmWeight: 0 }] }))).toEqual([]);
  });

  it('refuses a TCM cluster name that is not a DNS-1123 label', () => {
    expect(messages(tcmEnvironment({ sourceClusters: ['Cls_Old'] }))).toEqual([expect.stringMatching(/^spec\.migration\.tcm\.sourceClusters\[0\]: a TCM cluster name must be a DNS-1123 label/)]);
  });
});

describe('rendering an ASM migration', () => {
  it('renders ASMMigrateFromIstio default into asm/, reconciliation of istio-system labels off with an east-west gateway', () => {
    const files = renderFiles(asmEnvironment({ retryCounter: 2 }));
    expect(docs(files, 'asm/asmmigratefromistio.yaml')).toEqual([
      {
        apiVersion: 'istio.alibabacloud.com/v1beta1',
        kind: 'ASMMigrateFromIstio',
        metadata: { name: 'default' },
        spec: { desiredState: 'Migrating', retryCounter: 2, advancedOptions: { disableIstioSystemLabelReconciliation: true } },
      },
    ]);
  });

  it('leaves the reconciliation on when no cluster has an east-west gateway', () => {
    const env = asmEnvironment({}, 'single');
    env.spec.clusters = [{ name: 'primary1', role: 'primary', network: 'net1' }];
    const [migration] = docs(renderFiles(env), 'asm/asmmigratefromistio.yaml');
    expect(migration.spec.advancedOptions).toEqual({ disableIstioSystemLabelReconciliation: false });
  });

  it('sets PROXY_CONFIG_XDS_AGENT "true" (a string) on every cluster from SetupIstioForMigrate on, and not in Init', () => {
    for (const [state, expected] of [
      ['Init', undefined],
      ['SetupIstioForMigrate', { PROXY_CONFIG_XDS_AGENT: 'true' }],
      ['Migrating', { PROXY_CONFIG_XDS_AGENT: 'true' }],
    ] as const) {
      const files = renderFiles(asmEnvironment({ desiredState: state }));
      for (const cluster of ['primary1', 'remote1']) {
        const text = files.get(`clusters/${cluster}/istio-operator.yaml`)!;
        expect(parse(text).spec.meshConfig.defaultConfig?.proxyMetadata, `${state} ${cluster}`).toEqual(expected);
        if (expected) expect(text).toContain('PROXY_CONFIG_XDS_AGENT: "true"');
      }
    }
  });

  it('puts the proxy metadata and the egress gateway into the install plan, which the Helm values project too', () => {
    const m = model(asmEnvironment({ desiredState: 'SetupIstioForMigrate' }));
    const topology = topologyOf(m);
    const plan = planClusterInstall(m, topology, topology.byName.get('remote1')!);
    expect(plan.proxyMetadata).toEqual({ PROXY_CONFIG_XDS_AGENT: 'true' });
    expect(plan.egressGateway?.ports.map((p) => [p.name, p.port, p.targetPort])).toEqual([
      ['http2', 80, 8080],
      ['https', 443, 8443],
    ]);
  });

  it("renders the seed's egress VirtualService on the primary (its istiod configures the remote's proxies too), weights split by asmWeight", () => {
    const files = renderFiles(asmEnvironment());
    expect(files.has('clusters/remote1/virtualservice.yaml')).toBe(false);
    for (const cluster of ['primary1']) {
      const vs = docs(files, `clusters/${cluster}/virtualservice.yaml`).find((d) => d.metadata.name === 'egress-edition.cnn.com');
      expect(vs).toEqual({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'egress-edition.cnn.com', namespace: 'istio-system' },
        spec: {
          hosts: ['edition.cnn.com'],
          gateways: ['istio-egressgateway', 'mesh'],
          http: [
            {
              match: [{ gateways: ['mesh'], port: 80 }],
              route: [
                { destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', port: { number: 80 } }, weight: 99 },
                { destination: { host: 'asm-egressgateway.istio-system.svc.cluster.local', port: { number: 80 } }, weight: 1 },
              ],
            },
            {
              match: [{ gateways: ['istio-egressgateway'], port: 80 }],
              route: [{ destination: { host: 'edition.cnn.com', port: { number: 80 } }, weight: 100 }],
            },
          ],
        },
      });
      expect(files.get(`clusters/${cluster}/kustomization.yaml`)).toContain('serviceentry.yaml');
    }
  });

  it("keeps Istio's egress gateway installed and gives the routes the Gateway and ServiceEntry they need", () => {
    const files = renderFiles(asmEnvironment({ egress: [{ host: 'edition.cnn.com', port: 80, asmWeight: 1 }, { host: 'api.example.com', port: 8081, asmWeight: 30 }] }));
    const iop = parse(files.get('clusters/remote1/istio-operator.yaml')!);
    expect(iop.spec.components.egressGateways).toEqual([
      {
        name: 'istio-egressgateway',
        enabled: true,
        k8s: {
          service: {
            ports: [
              { name: 'http2', port: 80, targetPort: 8080 },
              { name: 'https', port: 443, targetPort: 8443 },
              { name: 'http-8081', port: 8081, targetPort: 8081 },
            ],
          },
        },
      },
    ]);
    // The remote's egress gateway pods are configured by its primary's Gateway.
    const gateway = docs(files, 'clusters/primary1/gateway.yaml').find((d) => d.metadata.name === 'istio-egressgateway');
    expect(gateway.spec).toEqual({
      selector: { istio: 'egressgateway' },
      servers: [
        { port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['edition.cnn.com'] },
        { port: { number: 8081, name: 'http-8081', protocol: 'HTTP' }, hosts: ['api.example.com'] },
      ],
    });
    expect(docs(files, 'clusters/primary1/serviceentry.yaml').map((d) => [d.metadata.name, d.spec])).toEqual([
      ['egress-api.example.com', { hosts: ['api.example.com'], ports: [{ number: 8081, name: 'http-8081', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' }],
      ['egress-edition.cnn.com', { hosts: ['edition.cnn.com'], ports: [{ number: 80, name: 'http-80', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' }],
    ]);
  });

  it("with argocd, an Application syncs asm/ to the ASM instance, permitted by the AppProject", () => {
    const env = asmEnvironment({ destination: 'https://asm.example.com:6443' });
    env.spec.istio.install = 'istioctl';
    env.spec.argocd = { repoURL: 'https://git.example.com/mesh.git', targetRevision: 'main' };
    const files = renderFiles(env);
    const [application] = docs(files, 'argocd/asm-application.yaml');
    expect(application.metadata).toEqual({
      name: 'asm.asm.migration',
      namespace: 'argocd',
      labels: { 'meshops.dev/environment': 'asm' },
      annotations: { 'argocd.argoproj.io/sync-wave': '4' },
    });
    expect(application.spec).toEqual({
      project: 'mesh-asm',
      destination: { server: 'https://asm.example.com:6443', namespace: 'istio-system' },
      source: { repoURL: 'https://git.example.com/mesh.git', targetRevision: 'main', path: 'rendered/asm/asm' },
      syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
    });
    const [project] = docs(files, 'argocd/appproject.yaml');
    expect(project.spec.destinations).toContainEqual({ server: 'https://asm.example.com:6443', namespace: 'istio-system' });
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: 'istio.alibabacloud.com', kind: 'ASMMigrateFromIstio' });
    expect(files.get('MIGRATION.md')).toContain('Argo CD (Application `asm.asm.migration`) syncs `rendered/asm/asm/` to the ASM instance (server https://asm.example.com:6443)');

    env.spec.migration.asm.destination = 'asm-hz-prod';
    expect(docs(renderFiles(env), 'argocd/asm-application.yaml')[0].spec.destination).toEqual({ name: 'asm-hz-prod', namespace: 'istio-system' });
  });

  it('refuses an environment name too long for the ASM Application name (a label value)', () => {
    const env = asmEnvironment({ destination: 'asm-hz-prod' }, `e${'x'.repeat(49)}`);
    env.spec.argocd = { repoURL: 'https://git.example.com/mesh.git' };
    expect(messages(env)).toContain(
      `metadata.name: the Argo CD Application "e${'x'.repeat(49)}.asm.migration" of the ASM migration would be 64 characters; Argo CD writes it into a label value (at most 63): shorten the environment name`,
    );
  });

  it('renders no egress gateway, routes, asm/ or runbook without a migration', () => {
    const files = renderFiles(baseEnvironment());
    expect([...files.keys()].filter((p) => p.startsWith('asm/') || p === 'MIGRATION.md' || p.endsWith('serviceentry.yaml'))).toEqual([]);
    expect(parse(files.get('clusters/primary1/istio-operator.yaml')!).spec.components.egressGateways).toBeUndefined();
    expect(parse(files.get('clusters/primary1/istio-operator.yaml')!).spec.meshConfig).toEqual({ trustDomain: 'cluster.local' });
  });
});

describe('the runbook', () => {
  it('says where an ASM migration stands and gives the next steps with the seed commands', () => {
    const runbook = renderFiles(asmEnvironment()).get('MIGRATION.md')!;
    expect(runbook.split('\n')[0]).toBe('<!-- Generated by meshops from environments/asm/mesh.yaml. Do not edit: change the environment and run `meshops render`. -->');
    for (const expected of [
      '`desiredState: Migrating`, `retryCounter: 0`',
      '### 2. SetupIstioForMigrate: prepare Istio for mixed proxies (passed)',
      '### 3. Migrating: move workloads and gateways to ASM (desired now)',
      '**Next step:** finish the steps of Migrating below, then set `desiredState: Finished` (keeping `retryCounter: 0`).',
      "set `retryCounter: 1` in `environments/asm` (same state, counter + 1), render and commit; by hand that is the seed's `kubectl --kubeconfig=${ASM_KUBECONFIG} patch asmmigratefromistio default --type='merge' -p '{\"spec\":{\"retryCounter\":1}}'`",
      `kubectl --kubeconfig=\${ASM_KUBECONFIG} patch asmmigratefromistio default --type='merge' -p '{"spec":{"desiredState":"SetupIstioForMigrate"}}'`,
      'kubectl --context primary1 label namespace istio-system istio-injection-',
      'kubectl get pod <pod> -o yaml | grep PROXY_CONFIG_XDS_AGENT',
      'kubectl --context remote1 -n <namespace> rollout restart deployment',
      `'{"spec":{"template":{"metadata":{"labels":{"sidecar.asm.aliyun.com/inject":"true"}}}}}'`,
      '| edition.cnn.com | 80 | 99% | 1% |',
      'curl -L https://istio.io/downloadIstio | ISTIO_VERSION=1.22.3 sh -',
      'istio-1.22.3/bin/istioctl --context remote1 uninstall --purge',
      'no Istio sidecar is left',
      'egress entries still on Istio: `edition.cnn.com:80`',
    ]) {
      expect(runbook).toContain(expected);
    }
  });

  it('gives the TCM steps: same version, istioctl install per cluster, remote secrets, moving workloads over', () => {
    const env = tcmEnvironment({});
    env.spec.istio.install = 'istioctl';
    const runbook = renderFiles(env).get('MIGRATION.md')!;
    for (const expected of [
      'TCM runs 1.18.5, and so does this mesh.',
      'curl -L https://istio.io/downloadIstio | ISTIO_VERSION=1.18.5 sh -',
      'istioctl --context primary1 install -f rendered/tcm/clusters/primary1/istio-operator.yaml',
      'istioctl --context remote1 create-remote-secret --name=remote1 | kubectl --context primary1 apply -f -',
      '| TCM (being left) | `cls-old1` |',
      'different root CAs',
    ]) {
      expect(runbook).toContain(expected);
    }
    expect(runbook).not.toContain('ASMMigrateFromIstio');

    env.spec.remoteSecrets = { store: { name: 'vault' } };
    const withStore = renderFiles(env).get('MIGRATION.md')!;
    expect(withStore).toContain('Each primary has an ExternalSecret per remote (`istio-remote-secret-<remote>`), filled from the ClusterSecretStore `vault`.');
    expect(withStore).not.toContain('create-remote-secret --name=remote1 |');
  });
});
