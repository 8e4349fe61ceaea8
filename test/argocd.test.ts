import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ISTIO_CHART_REPO } from '../generator/istio/charts.js';
import { ARGOCD_REPO as REPO, helmEnvironment } from './environments.js';
import { baseEnvironment, inputFindings, renderFiles, validateFiles } from './helpers.js';

function doc(files: Map<string, string>, file: string): any {
  const text = files.get(file);
  if (text === undefined) throw new Error(`not rendered: ${file} (have ${[...files.keys()].join(', ')})`);
  return parse(text);
}

const argocdFiles = (files: Map<string, string>) => [...files.keys()].filter((f) => f.startsWith('argocd/')).sort();

describe('rendered/<env>/argocd/', () => {
  it('renders the AppProject, the root Application, per cluster an Application and one for its gateways, and argocd-cm, only with spec.argocd', () => {
    expect(argocdFiles(renderFiles(helmEnvironment()))).toEqual([
      'argocd/application-c1.gateways.yaml',
      'argocd/application-c1.yaml',
      'argocd/application-c2.gateways.yaml',
      'argocd/application-c2.yaml',
      'argocd/appproject.yaml',
      'argocd/root-application.yaml',
      'argocd/settings/argocd-cm.yaml',
    ]);
    const without = helmEnvironment();
    delete without.spec.argocd;
    expect(argocdFiles(renderFiles(without))).toEqual([]);
  });

  it('holds only Kubernetes objects, each valid against the Argo CD CRD schemas', () => {
    const files = renderFiles(helmEnvironment());
    for (const file of argocdFiles(files).filter((f) => !f.startsWith('argocd/settings/'))) {
      for (const d of parseAllDocuments(files.get(file)!)) {
        expect(d.toJS(), file).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: expect.stringMatching(/^(Application|AppProject)$/) });
      }
    }
    const schemaFindings = validateFiles('prod', files).filter((f) => f.rule === 'schema' && f.file?.startsWith('rendered/prod/argocd/'));
    expect(schemaFindings).toEqual([]);
  });

  it('fences the AppProject to exactly this mesh: its repository, the chart repository, its clusters', () => {
    const project = doc(renderFiles(helmEnvironment()), 'argocd/appproject.yaml');
    expect(project.metadata).toMatchObject({ name: 'mesh-prod', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } });
    expect(project.spec.sourceRepos).toEqual([REPO, ISTIO_CHART_REPO]);
    expect(project.spec.destinations).toEqual([
      { server: 'https://10.0.0.1:6443', namespace: 'istio-system' },
      { name: 'c2-prod', namespace: 'istio-system' },
    ]);
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' });

    const named = doc(renderFiles(helmEnvironment({ argocd: { project: 'istio', namespace: 'gitops' } })), 'argocd/application-c1.yaml');
    expect(named.spec.project).toBe('istio');
    expect(named.metadata.namespace).toBe('gitops');
  });

  it('lets destinations name clusters without an apiServer, and defaults to the cluster name', () => {
    const env = helmEnvironment({ argocd: { destinations: {} } });
    expect(doc(renderFiles(env), 'argocd/application-c2.yaml').spec.destination).toEqual({ name: 'c2', namespace: 'istio-system' });
    const byServer = helmEnvironment({ argocd: { destinations: { c2: { server: 'https://c2.example.com' } } } });
    expect(doc(renderFiles(byServer), 'argocd/application-c2.yaml').spec.destination).toEqual({ server: 'https://c2.example.com', namespace: 'istio-system' });
  });

  it("syncs a remote's annotated istio-system before its primary (and its remote secret), gateways after their istiod", () => {
    const files = renderFiles(helmEnvironment());
    const wave = (f: string) => Number(doc(files, f).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('argocd/appproject.yaml')).toBeLessThan(wave('argocd/application-c2.yaml'));
    expect(wave('argocd/application-c2.yaml')).toBeLessThan(wave('argocd/application-c1.yaml'));
    expect(wave('argocd/application-c1.yaml')).toBeLessThan(wave('argocd/application-c1.gateways.yaml'));
    expect(wave('argocd/application-c1.gateways.yaml')).toBeLessThan(wave('argocd/application-c2.gateways.yaml'));
    expect(doc(files, 'argocd/application-c2.yaml').metadata.labels).toEqual({
      'meshops.dev/environment': 'prod',
      'meshops.dev/cluster': 'c2',
      'meshops.dev/role': 'remote',
    });
  });

  it('install: helm installs base and istiod from the pinned charts with the kustomize root from Git, the gateways in an Application of their own', () => {
    const files = renderFiles(helmEnvironment());
    const sources = (f: string) => doc(files, f).spec.sources.map((s: any) => s.chart ?? s.path);
    expect(sources('argocd/application-c1.yaml')).toEqual(['base', 'istiod', 'rendered/prod/clusters/c1']);
    expect(sources('argocd/application-c1.gateways.yaml')).toEqual(['gateway']);
    const c2 = doc(files, 'argocd/application-c2.yaml');
    expect(c2.spec.sources.map((s: any) => s.helm?.releaseName ?? s.path)).toEqual(['istio-base', 'istiod', 'rendered/prod/clusters/c2']);
    const c2Gateways = doc(files, 'argocd/application-c2.gateways.yaml');
    expect(c2Gateways.metadata.name).toBe('prod.c2.gateways');
    expect(c2Gateways.spec.sources.map((s: any) => s.helm.releaseName)).toEqual(['istio-eastwestgateway', 'istio-ingressgateway']);
    for (const chart of [...c2.spec.sources.slice(0, 2), ...c2Gateways.spec.sources]) expect(chart).toMatchObject({ repoURL: ISTIO_CHART_REPO, targetRevision: '1.24.2' });
    expect(c2.spec.sources[2]).toEqual({ repoURL: REPO, targetRevision: 'main', path: 'rendered/prod/clusters/c2' });
    expect(c2.spec.source).toBeUndefined();
  });

  it('renders argocd-cm: the Application health check the waves need, and Endpoints/EndpointSlice back in for a Helm remote reaching istiod at an IP', () => {
    const cm = doc(renderFiles(helmEnvironment()), 'argocd/settings/argocd-cm.yaml');
    expect(cm.metadata).toMatchObject({ name: 'argocd-cm', namespace: 'argocd' });
    expect(cm.data['resource.customizations.health.argoproj.io_Application']).toContain('hs.status = obj.status.health.status');
    const exclusions = parse(cm.data['resource.exclusions']);
    expect(exclusions.flatMap((e: any) => e.kinds)).toContain('Lease');
    expect(exclusions.flatMap((e: any) => e.kinds)).not.toContain('EndpointSlice');
    expect(exclusions.flatMap((e: any) => e.kinds)).not.toContain('Endpoints');
    // istioctl installs the remote: no chart renders its endpoints, Argo CD's defaults stay.
    const istioctl = doc(renderFiles(helmEnvironment({ istio: { version: '1.18.5', install: 'istioctl' } })), 'argocd/settings/argocd-cm.yaml');
    expect(Object.keys(istioctl.data)).toEqual(['resource.customizations.health.argoproj.io_Application']);
  });

  it('keeps istio-system when an Application is deleted (Delete=false), with or without cascade', () => {
    const namespace = doc(renderFiles(helmEnvironment()), 'clusters/c2/namespace.yaml');
    expect(namespace.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Delete=false');
    const without = helmEnvironment();
    delete without.spec.argocd;
    expect(doc(renderFiles(without), 'clusters/c2/namespace.yaml').metadata.annotations['argocd.argoproj.io/sync-options']).toBeUndefined();
  });

  it('leaves the gateway chart out where a cluster has no east-west or ingress gateway', () => {
    const env = baseEnvironment('solo');
    env.spec.istio = { version: '1.24.2' };
    env.spec.clusters = [{ name: 'only', role: 'primary', network: 'n1' }];
    env.spec.argocd = { repoURL: REPO };
    const app = doc(renderFiles(env), 'argocd/application-only.yaml');
    expect(app.spec.sources.map((s: any) => s.chart ?? s.path)).toEqual(['base', 'istiod', 'rendered/solo/clusters/only']);
    expect(app.spec.sources[2].targetRevision).toBe('HEAD');
  });

  it('syncs the Helm install server-side, creating istio-system, and ignores the webhook fields istiod manages', () => {
    const app = doc(renderFiles(helmEnvironment()), 'argocd/application-c1.yaml');
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['CreateNamespace=true', 'ServerSideApply=true', 'RespectIgnoreDifferences=true']));
    expect(app.spec.ignoreDifferences).toContainEqual({
      group: 'admissionregistration.k8s.io',
      kind: 'ValidatingWebhookConfiguration',
      jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle', '.webhooks[]?.failurePolicy'],
    });
  });

  it('install: istioctl syncs only the kustomize root', () => {
    const files = renderFiles(helmEnvironment({ istio: { version: '1.18.5', install: 'istioctl' } }));
    const app = doc(files, 'argocd/application-c2.yaml');
    expect(app.spec.source).toEqual({ repoURL: REPO, targetRevision: 'main', path: 'rendered/prod/clusters/c2' });
    expect(app.spec.sources).toBeUndefined();
    expect(app.spec.ignoreDifferences).toBeUndefined();
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true']);
    expect(doc(files, 'argocd/appproject.yaml').spec.sourceRepos).toEqual([REPO]);
  });

  it('renders the root Application (app of apps) over argocd/ itself, in Argo CD\'s own cluster', () => {
    const root = doc(renderFiles(helmEnvironment()), 'argocd/root-application.yaml');
    expect(root.metadata).toMatchObject({ name: 'prod', namespace: 'argocd' });
    expect(root.spec).toEqual({
      project: 'default',
      source: { repoURL: REPO, targetRevision: 'main', path: 'rendered/prod/argocd' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, retry: { limit: 5, backoff: { duration: '30s', factor: 2, maxDuration: '5m' } } },
    });
    // No resources-finalizer: deleting the root never cascades into the clusters.
    expect(root.metadata.finalizers).toBeUndefined();
  });

  it('names Applications <env>.<cluster>, so environments sharing an Argo CD never collide', () => {
    const files = renderFiles(helmEnvironment());
    expect(doc(files, 'argocd/application-c1.yaml').metadata.name).toBe('prod.c1');
  });
});

describe("the shared root CA reaches istiod before it starts", () => {
  it('puts each primary\'s cacerts ExternalSecret in sync wave -1 of its Application, before the istiod chart; without Argo CD, no wave', () => {
    const env = helmEnvironment();
    env.spec.clusters[1] = { ...env.spec.clusters[1], role: 'primary' };
    env.spec.rootCA = { store: { name: 'vault' } };
    const cacerts = (files: Map<string, string>, cluster: string) =>
      parseAllDocuments(files.get(`clusters/${cluster}/externalsecret.yaml`)!).map((d) => d.toJS()).find((d) => d.metadata.name === 'cacerts');
    const files = renderFiles(env);
    for (const cluster of ['c1', 'c2']) expect(cacerts(files, cluster).metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    delete env.spec.argocd;
    expect(cacerts(renderFiles(env), 'c1').metadata.annotations).toBeUndefined();
  });
});

describe('argocd.applicationSet: one ApplicationSet for the fleet', () => {
  const fleet = () => {
    const env = helmEnvironment({ istio: { version: '1.18.5', install: 'istioctl' }, argocd: { applicationSet: true, destinations: {} } });
    delete env.spec.clusters[0].apiServer;
    env.spec.remoteSecrets = { store: { name: 'vault' } };
    return env;
  };

  it('replaces the per-cluster Applications: a Git directory generator per role, RollingSync remotes then primaries', () => {
    const files = renderFiles(fleet());
    expect(argocdFiles(files)).toEqual(['argocd/applicationset.yaml', 'argocd/appproject.yaml', 'argocd/root-application.yaml', 'argocd/settings/argocd-cm.yaml']);
    const set = doc(files, 'argocd/applicationset.yaml');
    expect(set.spec.generators).toEqual([
      { git: { repoURL: REPO, revision: 'main', directories: [{ path: 'rendered/prod/clusters/c1' }], values: { role: 'primary' } } },
      {
        git: {
          repoURL: REPO,
          revision: 'main',
          directories: [{ path: 'rendered/prod/clusters/*' }, { path: 'rendered/prod/clusters/c1', exclude: true }],
          values: { role: 'remote' },
        },
      },
    ]);
    expect(set.spec.strategy.rollingSync.steps.map((s: any) => s.matchExpressions[0].values)).toEqual([['remote'], ['primary']]);
    expect(set.spec.template.metadata.labels['meshops.dev/role']).toBe('{{.values.role}}');
    expect(set.spec.template.spec.syncPolicy.automated).toBeUndefined();
    expect(validateFiles('prod', files, { 'east-west-gateway-internal': 'off' })).toEqual([]);
  });

  it('is refused with install: helm and with named destinations', () => {
    const messages = (input: unknown) => inputFindings(input).map((f) => f.message);
    const helm = fleet();
    helm.spec.istio = { version: '1.24.2' };
    expect(messages(helm)).toEqual([expect.stringContaining('cannot carry per-cluster Helm values')]);
    const named = fleet();
    named.spec.argocd.destinations = { c2: { name: 'c2-prod' } };
    expect(messages(named)).toEqual([expect.stringContaining('register cluster "c2" in Argo CD under that name')]);
  });
});

describe('input errors of the delivery path', () => {
  const messages = (input: unknown) => inputFindings(input).map((f) => f.message);

  it('refuses a vendor version from the official chart repository, and takes a chart repository that serves it', () => {
    const vendor = helmEnvironment({ istio: { version: '1.24.2-mspider', hub: 'release.daocloud.io/mspider' } });
    expect(messages(vendor)).toEqual([expect.stringMatching(/publishes no chart "1\.24\.2-mspider".*argocd\.chartRepoURL/)]);

    const served = helmEnvironment({ istio: { version: '1.24.2-mspider' }, argocd: { chartRepoURL: 'https://charts.example.com/istio' } });
    expect(messages(served)).toEqual([]);
    const files = renderFiles(served);
    expect(doc(files, 'argocd/application-c1.yaml').spec.sources[1]).toMatchObject({ repoURL: 'https://charts.example.com/istio', chart: 'istiod', targetRevision: '1.24.2-mspider' });
    expect(doc(files, 'argocd/appproject.yaml').spec.sourceRepos).toEqual([REPO, 'https://charts.example.com/istio']);

    expect(messages(helmEnvironment({ istio: { version: '1.15.3-mspider', install: 'istioctl' } }))).toEqual([]);
  });

  it('refuses remotes from Helm before Istio 1.24 (no remote profile in the charts)', () => {
    expect(messages(helmEnvironment({ istio: { version: '1.23.3' } }))).toEqual([expect.stringContaining('remote "c2" cannot be installed from Helm charts with Istio 1.23.3')]);
    const primaryOnly = helmEnvironment({ istio: { version: '1.18.5' } });
    primaryOnly.spec.clusters = [{ name: 'c1', role: 'primary', network: 'n1' }];
    primaryOnly.spec.argocd.destinations = {};
    expect(messages(primaryOnly)).toEqual([]);
  });

  it('refuses an east-west port the gateway chart cannot expose before 1.30', () => {
    const moved = helmEnvironment();
    moved.spec.clusters[0].eastWestGateway.port = 16443;
    expect(messages(moved)).toEqual([expect.stringContaining('exposes the east-west gateway on 15443 only')]);
    const newer = helmEnvironment({ istio: { version: '1.30.1' } });
    newer.spec.clusters[0].eastWestGateway.port = 16443;
    expect(messages(newer)).toEqual([]);
  });

  it('refuses a cluster with both an apiServer and a destinations entry', () => {
    expect(messages(helmEnvironment({ argocd: { destinations: { c1: { name: 'elsewhere' } } } }))).toEqual([
      'spec.argocd.destinations.c1: cluster "c1" already names its Argo CD destination in apiServer; set one of the two',
    ]);
  });

  it('refuses Application names Argo CD cannot put into a label', () => {
    const long = helmEnvironment();
    long.metadata.name = `env-${'x'.repeat(40)}`;
    long.spec.clusters[1].name = `remote-${'y'.repeat(30)}`;
    long.spec.argocd.destinations = {};
    // The longest name is the gateway charts' Application, <env>.<cluster>.gateways.
    expect(messages(long)).toEqual([expect.stringMatching(/^spec\.clusters\[1\]\.name: the Argo CD Application .*\.gateways" would be 91 characters/)]);
  });
});
