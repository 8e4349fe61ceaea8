/**
 * `--helm`: every Helm source of the rendered Applications through a real helm v3 and Istio's own
 * charts (../shared/istio/<minor>/charts), then the schema and chart-output policies on the result.
 * helm comes from ../shared/tools/get-helm.sh into .tools/bin (gitignored); without it or the
 * charts, these tests say so and skip.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverEnvironments, loadEnvironment } from '../generator/load/environments.js';
import { renderEnvironment } from '../generator/render/environment.js';
import { validateEnvironment } from '../generator/validate/engine.js';
import { renderTreeCharts } from '../generator/validate/helm-template.js';
import { serializeEnvironment } from '../generator/write/serialize.js';
import type { Finding } from '../generator/findings.js';
import { inputRules, policies } from '../policies/index.js';
import { model, mutate, REPO_ROOT, runMain, scratchRepo, treeOf } from './helpers.js';

const SHARED = path.resolve(REPO_ROOT, '..', 'shared');
const CHARTS = path.join(SHARED, 'istio');
const HELM = path.join(REPO_ROOT, '.tools', 'bin', 'helm');
const GET_HELM = path.join(SHARED, 'tools', 'get-helm.sh');

/** Installs helm once (a no-op when it is in place); the reason to skip when it cannot. */
function helmMissing(): string | undefined {
  if (!existsSync(HELM) && existsSync(GET_HELM)) spawnSync('bash', [GET_HELM, path.dirname(HELM)], { encoding: 'utf8' });
  if (!existsSync(HELM)) return `no helm at ${HELM} (${GET_HELM} missing or failed)`;
  if (!existsSync(CHARTS)) return `no Istio charts at ${CHARTS}`;
  return undefined;
}
const skip = helmMissing();
if (skip) console.warn(`helm-template tests skipped: ${skip}`);

/**
 * The Istio release whose charts ../shared/istio/<minor> holds (VERSION, line 1). A skipped describe
 * is still collected, so without ../shared this names the minor's .0 release instead of failing.
 */
const releaseOf = (minor: string) => {
  const file = path.join(CHARTS, minor, 'VERSION');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n')[0]!.trim() : `${minor}.0`;
};

type Files = Map<string, string>;

function filesOf(input: unknown): Files {
  const m = model(input);
  return new Map(serializeEnvironment(renderEnvironment(m, `environments/${m.metadata.name}/mesh.yaml`)).files.map((f) => [f.path, f.content]));
}

/** helm's own findings and every policy's (chart-output ones included) over rendered trees, rendered together as one run of validate does. */
async function checkWithHelm(environments: readonly { env: string; files: Files }[]) {
  const trees = environments.map(({ env, files }) => treeOf(env, files));
  const findings = await renderTreeCharts(trees, { helm: HELM, charts: CHARTS });
  return { trees, findings: [...findings, ...trees.flatMap((tree) => validateEnvironment(tree, { policies }))] };
}

describe.skipIf(skip !== undefined)('helm template of the shipped examples', () => {
  const names = discoverEnvironments(REPO_ROOT).names;

  it.each(['1.24', '1.26', '1.30'])(`every Helm Application of every example, installed with Helm and Istio %s, renders and checks clean`, async (minor) => {
    const version = releaseOf(minor);
    const environments: { env: string; files: Files }[] = [];
    for (const name of names) {
      const loaded = await loadEnvironment(REPO_ROOT, name, inputRules);
      if (!loaded.ok) throw new Error(`${name}: ${loaded.findings.map((f) => f.message).join('; ')}`);
      // The examples pinned to another version or to istioctl, as they would install from the charts.
      const input = structuredClone(loaded.env.model) as any;
      input.spec.istio = { ...input.spec.istio, version, install: 'helm' };
      environments.push({ env: name, files: filesOf(input) });
    }
    const { trees, findings } = await checkWithHelm(environments);
    // tcm-version-match warns that the swapped version is not TCM's: the swap's doing, not a defect.
    expect(findings.filter((f) => f.rule !== 'tcm-version-match'), `at ${version}`).toEqual([]);
    let applications = 0;
    for (const tree of trees) {
      const istiods = tree.charts!.filter((r) => r.source.chart === 'istiod');
      expect(istiods.length, tree.name).toBe(tree.clusters.length);
      applications += new Set(tree.charts!.map((r) => r.source.app)).size;
    }
    expect(applications).toBeGreaterThan(names.length);
  }, 180_000);
});

describe.skipIf(skip !== undefined)('chart-output rules: each fires on exactly its defect', () => {
  // seed 004's cluster1 (vm-integration), Istio 1.30: one primary, its istiod and east-west gateway.
  const env = 'helm-mutants';
  const input = {
    apiVersion: 'meshops.dev/v1alpha1',
    kind: 'MeshEnvironment',
    metadata: { name: env },
    spec: {
      meshID: 'mesh1',
      istio: { version: releaseOf('1.30') },
      clusters: [{ name: 'cluster1', role: 'primary', network: 'kube-network', provider: 'ack', eastWestGateway: { address: '172.16.0.250' } }],
      vms: [{ name: 'demo', namespace: 'vm', serviceAccount: 'vm', cluster: 'cluster1' }],
      argocd: { repoURL: 'https://git.example.com/platform/mesh.git' },
    },
  };
  const clean = filesOf(input);
  const istiodApp = 'argocd/application-cluster1.yaml';
  const gatewaysApp = 'argocd/application-cluster1.gateways.yaml';

  const cases: { rule: string; defect: string; seed(files: Files): Files; file: string }[] = [
    {
      rule: 'helm-template',
      defect: 'a misspelt value Helm would silently ignore',
      seed: (f) => mutate(f, istiodApp, '        meshConfig:\n', '        meshConfg:\n          accessLogFile: /dev/stdout\n        meshConfig:\n'),
      file: istiodApp,
    },
    {
      rule: 'helm-template',
      defect: 'a value the chart refuses (the gateway chart\'s values.schema.json)',
      seed: (f) => mutate(f, gatewaysApp, '        networkGateway: kube-network\n', '        networkGateway: kube-network\n        replicaCount: two\n'),
      file: gatewaysApp,
    },
    {
      rule: 'helm-gateway-network',
      defect: 'the east-west gateway release without networkGateway: no network label, no requested network view',
      seed: (f) => mutate(f, gatewaysApp, '        networkGateway: kube-network\n', ''),
      file: gatewaysApp,
    },
    {
      rule: 'helm-istiod-values',
      defect: 'EXTERNAL_ISTIOD set in the Helm values only',
      seed: (f) => mutate(f, istiodApp, '        meshConfig:\n', '        pilot:\n          env:\n            EXTERNAL_ISTIOD: true\n        meshConfig:\n'),
      file: istiodApp,
    },
    {
      rule: 'helm-duplicate-object',
      defect: "the kustomize root adds the Service the gateway chart renders",
      seed: (f) =>
        mutate(
          new Map(f).set(
            'clusters/cluster1/service.yaml',
            'apiVersion: v1\nkind: Service\nmetadata:\n  name: istio-eastwestgateway\n  namespace: istio-system\nspec:\n  ports:\n  - port: 15443\n',
          ),
          'clusters/cluster1/kustomization.yaml',
          '- serviceaccount.yaml\n',
          '- service.yaml\n- serviceaccount.yaml\n',
        ),
      file: gatewaysApp,
    },
  ];

  /**
   * The clean tree and every seeded one, each an environment of its own, checked in one run as
   * validate checks a rendered/ of several environments: what they share renders once.
   */
  let run: Promise<Map<string, Finding[]>> | undefined;
  const findingsOf = async (name: string) => {
    run ??= checkWithHelm([{ env, files: clean }, ...cases.map((c, i) => ({ env: `${env}-${i}`, files: c.seed(clean) }))]).then(({ findings }) => {
      const byEnvironment = new Map<string, Finding[]>([[env, []], ...cases.map((_, i) => [`${env}-${i}`, []] as [string, Finding[]])]);
      for (const f of findings) byEnvironment.get(f.env!)!.push(f);
      return byEnvironment;
    });
    return (await run).get(name)!;
  };

  it('the environment checks clean before any defect is seeded', async () => {
    expect(await findingsOf(env)).toEqual([]);
  });

  it.each(cases.map((c, i) => ({ ...c, i })))('$rule: $defect', async ({ rule, file, i }) => {
    const findings = await findingsOf(`${env}-${i}`);
    expect([...new Set(findings.map((f) => f.rule))]).toEqual([rule]);
    expect(findings.every((f) => f.file === `rendered/${env}-${i}/${file}` && (f.line ?? 0) > 0)).toBe(true);
  });

  it('renders what several Applications ask for alike once, and reports it at each of them', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-helm-count-'));
    const calls = path.join(dir, 'calls');
    const counting = path.join(dir, 'helm');
    writeFileSync(counting, `#!/bin/sh\necho "$2" >> '${calls}'\nexec '${HELM}' "$@"\n`);
    chmodSync(counting, 0o755);
    try {
      const refused = mutate(clean, gatewaysApp, '        networkGateway: kube-network\n', '        networkGateway: kube-network\n        replicaCount: two\n');
      const trees = ['first', 'second'].map((name) => treeOf(name, refused));
      const findings = await renderTreeCharts(trees, { helm: counting, charts: CHARTS });
      // Two trees of three releases each (base, istiod, the east-west gateway): three renders.
      expect(readFileSync(calls, 'utf8').trim().split('\n').sort()).toEqual(['istio-base', 'istio-eastwestgateway', 'istiod']);
      expect(trees.map((t) => t.charts!.map((c) => c.source.releaseName))).toEqual([
        ['istio-base', 'istiod'],
        ['istio-base', 'istiod'],
      ]);
      expect(findings.map((f) => `${f.rule} ${f.file}`)).toEqual([`helm-template rendered/first/${gatewaysApp}`, `helm-template rendered/second/${gatewaysApp}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every chart-output rule has a case here', async () => {
    const chartRules = policies.map((p) => p.id).filter((id) => /^helm-/.test(id) && id !== 'helm-values-match');
    expect([...new Set(cases.map((c) => c.rule))].sort()).toEqual(['helm-template', ...chartRules].sort());
  });
});

describe('meshops validate/check --helm', () => {
  it('is a usage error (exit 2) when there is no helm to run', async () => {
    const r = await runMain(['validate', '--helm', path.join(REPO_ROOT, '.tools', 'no-such-helm')], REPO_ROOT);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('helm not found at');
  });

  it.skipIf(skip !== undefined)('checks the committed Helm-installed examples with the local charts (exit 0)', async () => {
    // The examples Argo CD installs from the charts (the istioctl ones have no Helm source to render).
    const repo = scratchRepo({ rendered: true, environments: ['multi-primary', 'vm-integration'] });
    const r = await runMain(['check', '--helm', HELM, '--charts', CHARTS, '--format', 'json'], repo);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, violations: [] });
    expect(r.status).toBe(0);
  }, 120_000);
});
