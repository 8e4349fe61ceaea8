/**
 * The pull-request check: `npm run pr-check` (scripts/pr-check.ts), which .github/workflows/pr.yml
 * runs, and the kubeconform integration it shares with `meshops validate --kubeconform`.
 * kubeconform is not installed on these machines: its runs use a stand-in that prints a report in
 * kubeconform's JSON format, so the parsing, the merge and the PATH-missing branch are all tested.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findOnPath, KubeconformError, kubeconformFindings, parseKubeconformJson } from '../generator/validate/kubeconform.js';
import { parseManifestText } from '../generator/validate/manifests.js';
import { changedClusters, runPrCheck } from '../scripts/pr-check.js';
import { baseEnvironment, git, REPO_ROOT, runMain, scratchGitRepo, toYamlText } from './helpers.js';
import { readMermaid } from './mermaid-structure.js';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'kubeconform', 'invalid.json');
const KUBECTL = findOnPath('kubectl', process.env.PATH);
const NEEDS_KUBECTL = KUBECTL ? '' : ' [skipped: kubectl is not on PATH]';

/** A repository with one rendered environment (primary + remote, Argo CD with Helm), in `dir` or a new scratch directory. */
async function meshRepo(dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-pr-'))): Promise<string> {
  const env = baseEnvironment('demo');
  env.spec.istio = { version: '1.24.2' };
  env.spec.argocd = { repoURL: 'https://git.example.com/mesh.git' };
  mkdirSync(path.join(dir, 'environments', 'demo'), { recursive: true });
  writeFileSync(path.join(dir, 'environments', 'demo', 'mesh.yaml'), toYamlText(env));
  const render = await runMain(['render'], dir);
  if (render.status !== 0) throw new Error(`render failed: ${render.stderr}`);
  return dir;
}

/** A directory holding only a `kubeconform` stand-in that logs its arguments and prints `report` (exit 1 when it lists failures). */
function fakeKubeconform(report: (inputs: string[]) => object): { dir: string; argsFile: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-fake-kubeconform-'));
  const argsFile = path.join(dir, 'args.json');
  const script = path.join(dir, 'kubeconform');
  const body = `const args = process.argv.slice(2);
require('node:fs').writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(args));
const inputs = args.filter((a, i) => !a.startsWith('-') && !['-output', '-schema-location'].includes(args[i - 1]));
const report = (${report.toString()})(inputs);
process.stdout.write(JSON.stringify(report, null, 2) + '\\n');
process.exit(report.resources.length ? 1 : 0);
`;
  writeFileSync(script, `#!${process.execPath}\n${body}`);
  chmodSync(script, 0o755);
  return { dir, argsFile };
}

/** PATH with the given directories first, then the system's (kubectl, git), never a real kubeconform. */
function pathWith(...dirs: string[]): string {
  const system = (process.env.PATH ?? '').split(path.delimiter).filter((d) => !existsSync(path.join(d, 'kubeconform')));
  return [...dirs, ...system].join(path.delimiter);
}

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

describe('kubeconform JSON report', () => {
  it('becomes schema findings that say they come from kubeconform, at the offending field\'s line', async () => {
    const gateway = parseManifestText(
      'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: istiod-gateway\n  namespace: istio-system\nspec:\n  servers:\n  - port:\n      number: "15012"\n',
      'rendered/demo/clusters/c1/gateway.yaml',
    );
    const namespace = parseManifestText('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n  label: {}\n', 'rendered/demo/clusters/c1/namespace.yaml');
    const resources = parseKubeconformJson(readFileSync(FIXTURE, 'utf8'));
    const findings = kubeconformFindings(
      resources,
      [gateway, namespace].map((f) => ({ input: f.path, sources: [f], display: f.path, env: 'demo', cluster: 'c1' })),
    );
    expect(findings).toEqual([
      {
        rule: 'schema',
        severity: 'error',
        message: 'kubeconform: Gateway istiod-gateway: spec.servers.0.port.number: got string, want integer',
        file: 'rendered/demo/clusters/c1/gateway.yaml',
        line: 9,
        env: 'demo',
        cluster: 'c1',
      },
      {
        rule: 'schema',
        severity: 'error',
        message: "kubeconform: Namespace istio-system: metadata: additional properties 'label' not allowed",
        file: 'rendered/demo/clusters/c1/namespace.yaml',
        line: 3,
        env: 'demo',
        cluster: 'c1',
      },
      {
        rule: 'schema',
        severity: 'error',
        message: 'kubeconform: Widget w: could not find schema for Widget',
        file: 'rendered/demo/clusters/c1/widget.yaml',
        line: undefined,
        env: undefined,
        cluster: undefined,
      },
    ]);
  });

  it('reads the older upper-case statuses, and refuses output that is not a report', async () => {
    const old = parseKubeconformJson('{"resources": [{"filename": "a.yaml", "kind": "Service", "version": "v1", "status": "INVALID", "msg": "bad"}, {"filename": "b.yaml", "kind": "Service", "version": "v1", "status": "VALID", "msg": ""}]}');
    expect(kubeconformFindings(old, []).map((f) => [f.file, f.message])).toEqual([['a.yaml', 'kubeconform: Service: bad']]);
    expect(() => parseKubeconformJson('Summary: 3 resources found')).toThrow(KubeconformError);
    expect(() => parseKubeconformJson('{"summary": {}}')).toThrow(/without a "resources" list/);
  });
});

describe('meshops validate --kubeconform', () => {
  it('without kubeconform on PATH: says so on stderr and validates as without the option', async () => {
    const repo = await meshRepo();
    const env = { ...process.env, PATH: mkdtempSync(path.join(os.tmpdir(), 'meshops-empty-path-')) };
    const plain = await runMain(['validate', '--format', 'json'], repo, { env });
    const asked = await runMain(['validate', '--kubeconform', '--format', 'json'], repo, { env });
    expect(asked.stderr).toContain('meshops: --kubeconform: kubeconform is not on PATH; validated with meshops\' own schemas only');
    expect(asked.status).toBe(plain.status);
    expect(asked.stdout).toBe(plain.stdout);
  });

  it('runs kubeconform -strict with the project\'s schemas over the same files and merges its findings as rule schema', async () => {
    const repo = await meshRepo();
    const fake = fakeKubeconform((inputs) => ({
      resources: [
        {
          filename: inputs.find((i) => i.endsWith('clusters/primary1/namespace.yaml')),
          kind: 'Namespace',
          name: 'istio-system',
          version: 'v1',
          status: 'statusInvalid',
          msg: 'invalid',
          validationErrors: [{ path: '/metadata/labels', msg: 'stand-in finding' }],
        },
      ],
    }));
    const result = await runMain(['validate', '--kubeconform', '--format', 'json'], repo, { env: { ...process.env, PATH: pathWith(fake.dir) } });
    expect(result.status).toBe(1);
    const violations = JSON.parse(result.stdout).violations.filter((v: any) => v.message.startsWith('kubeconform:'));
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'schema', file: 'rendered/demo/clusters/primary1/namespace.yaml', line: 6, env: 'demo', cluster: 'primary1', message: 'kubeconform: Namespace istio-system: metadata.labels: stand-in finding' }),
    ]);
    const args: string[] = JSON.parse(readFileSync(fake.argsFile, 'utf8'));
    expect(args.slice(0, 5)).toEqual(['-strict', '-summary', '-output', 'json', '-schema-location']);
    expect(args[5]).toMatch(/\{\{ \.Group \}\}.\{\{ \.ResourceKind \}\}_\{\{ \.ResourceAPIVersion \}\}\.json$/);
    expect(args).toContain('rendered/demo/argocd/appproject.yaml');
    expect(args).toContain('rendered/demo/clusters/primary1/istio-operator.yaml');
  });
});

describe('npm run pr-check', () => {
  it('is the npm script the pull-request workflow runs', async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts['pr-check']).toBe('node dist/scripts/pr-check.js');
    const workflow = parse(readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'pr.yml'), 'utf8'));
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    const steps: any[] = workflow.jobs.check.steps;
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npm run pr-check -- --base "origin/${{ github.base_ref }}" --sarif meshops.sarif');
    expect(runs).toMatch(/sha256sum -c/);
    expect(workflow.jobs.check.env).toEqual({
      KUBECONFORM_VERSION: 'v0.7.0',
      KUBECONFORM_SHA256: expect.stringMatching(/^[0-9a-f]{64}$/),
      HELM_VERSION: 'v3.18.0',
      HELM_BINARY_SHA256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // helm is on PATH for pr-check, which then runs `meshops check --helm`.
    expect(runs).toMatch(/HELM_BINARY_SHA256.*sha256sum -c/);
    expect(steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))?.with).toMatchObject({ sarif_file: 'meshops.sarif' });

    const main = parse(readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'main.yml'), 'utf8'));
    expect(main.on).toEqual({ push: { branches: ['main'] } });
    expect(main.jobs['rendered-up-to-date'].steps.map((s: any) => s.run ?? '').join('\n')).toContain('npx meshops check');
  });

  it('workflows: actions pinned by commit with the release tag beside it, a concurrency group, permissions per job', () => {
    for (const name of ['pr.yml', 'main.yml']) {
      const text = readFileSync(path.join(REPO_ROOT, '.github', 'workflows', name), 'utf8');
      const w = parse(text);
      expect(w.permissions, name).toEqual({});
      expect(w.concurrency.group, name).toMatch(/\$\{\{ github\.(event\.pull_request\.number|ref) \}\}/);
      for (const job of Object.values<any>(w.jobs)) {
        expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
        for (const step of job.steps.filter((s: any) => s.uses)) expect(step.uses, name).toMatch(/^[\w-]+\/[\w/-]+@[0-9a-f]{40}$/);
      }
      const pins = [...text.matchAll(/^\s*(?:- )?uses: (\S+) # (v\d+\.\d+\.\d+)$/gm)];
      expect(pins.length, `${name}: every uses line ends with its tag`).toBe([...text.matchAll(/uses:/g)].length);
    }
  });

  it('workflows: SARIF upload skipped with a note on a fork\'s pull request; main uploads the baseline in the same category', () => {
    const pr = parse(readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'pr.yml'), 'utf8')).jobs.check.steps;
    const upload = pr.find((s: any) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload.if).toContain('!github.event.pull_request.head.repo.fork');
    const note = pr.find((s: any) => s.if?.includes('github.event.pull_request.head.repo.fork') && s.run);
    expect(note.run).toContain('::notice');
    expect(note.run).toContain('GITHUB_STEP_SUMMARY');
    const main = parse(readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'main.yml'), 'utf8')).jobs['rendered-up-to-date'].steps;
    expect(main.map((s: any) => s.run ?? '').join('\n')).toContain('npx meshops check --format sarif > meshops.sarif');
    expect(main.find((s: any) => s.uses?.startsWith('github/codeql-action/upload-sarif@')).with).toEqual({ sarif_file: 'meshops.sarif', category: upload.with.category });
  });

  it(`passes a clean repository, with kubeconform's absence noted and a job summary${NEEDS_KUBECTL}`, async () => {
    const repo = await meshRepo();
    const { out, io } = capture();
    const summary = path.join(repo, 'summary.md');
    const code = await runPrCheck({ cwd: repo, sarif: 'meshops.sarif', summary, env: { PATH: pathWith() }, ...io });
    const check = await runMain(['check'], repo);
    expect(code).toBe(check.status);
    expect(out.stderr).toContain('kubeconform is not installed');
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('## meshops PR check');
    expect(text).toContain('| kubeconform -strict | skipped: kubeconform is not installed |');
    expect(text).toContain('not a git checkout: changed clusters unknown');
    if (KUBECTL) expect(text).toContain('| kubectl kustomize (2 cluster directories) | passed |');
    const sarif = JSON.parse(readFileSync(path.join(repo, 'meshops.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toContain('helm-values-match');
  });

  it('fails on rendered/ drift and writes annotations and the findings table under GitHub Actions', async () => {
    const repo = await meshRepo();
    const file = path.join(repo, 'rendered', 'demo', 'argocd', 'application-remote1.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('meshID: mesh1', 'meshID: mesh2'));
    const stepSummary = path.join(repo, 'step-summary.md');
    writeFileSync(stepSummary, '## an earlier step\n');
    const { out, io } = capture();
    const code = await runPrCheck({ cwd: repo, env: { PATH: pathWith(), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: stepSummary }, ...io });
    expect(code).toBe(1);
    expect(out.stdout).toMatch(/^::error file=rendered\/demo\/argocd\/application-remote1\.yaml,line=\d+,title=rendered-up-to-date::/m);
    expect(out.stdout).toMatch(/^::error file=rendered\/demo\/argocd\/application-remote1\.yaml,line=\d+,title=helm-values-match::/m);
    const text = readFileSync(stepSummary, 'utf8');
    expect(text.startsWith('## an earlier step\n## meshops PR check\n')).toBe(true);
    expect(text).toMatch(/\| meshops check \| failed: \d+ errors?, \d+ warnings? \|/);
    // The hand edit is the root cause; the helm-values-match finding in the same file is listed under it.
    expect(text).toMatch(
      /\| error \| rendered-up-to-date \| rendered\/demo\/argocd\/application-remote1\.yaml:\d+ \| differs from what environments\/demo\/mesh\.yaml renders to .*\|\n\| error \| ↳ helm-values-match \(follows from rendered-up-to-date\) \| rendered\/demo\/argocd\/application-remote1\.yaml:\d+ \| Application "demo\.remote1" installs/,
    );
  });

  it.skipIf(!KUBECTL)(`fails when a cluster directory does not build${NEEDS_KUBECTL}`, async () => {
    const repo = await meshRepo();
    rmSync(path.join(repo, 'rendered', 'demo', 'clusters', 'remote1', 'namespace.yaml'));
    const { out, io } = capture();
    const code = await runPrCheck({ cwd: repo, summary: path.join(repo, 's.md'), env: { PATH: pathWith() }, ...io });
    expect(code).toBe(1);
    expect(out.stderr).toContain('pr-check: kubectl kustomize rendered/demo/clusters/remote1 failed');
    expect(readFileSync(path.join(repo, 's.md'), 'utf8')).toContain('rendered/demo/clusters/remote1 do not build');
  });

  it.skipIf(!KUBECTL)(`runs kubeconform over each cluster's kustomize build and points its findings into the rendered files${NEEDS_KUBECTL}`, async () => {
    const repo = await meshRepo();
    const fake = fakeKubeconform((inputs) => ({
      resources: inputs
        .filter((i) => i.endsWith('remote1.yaml'))
        .map((filename) => ({
          filename,
          kind: 'Namespace',
          name: 'istio-system',
          version: 'v1',
          status: 'statusInvalid',
          msg: 'invalid',
          validationErrors: [{ path: '/metadata/annotations', msg: 'stand-in finding' }],
        })),
    }));
    const { out, io } = capture();
    const code = await runPrCheck({ cwd: repo, summary: path.join(repo, 's.md'), env: { PATH: pathWith(fake.dir) }, ...io });
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/^rendered\/demo\/clusters\/remote1\/namespace\.yaml:\d+: error schema: kubeconform: Namespace istio-system: metadata\.annotations: stand-in finding$/m);
    const args: string[] = JSON.parse(readFileSync(fake.argsFile, 'utf8'));
    expect(args.filter((a) => a.endsWith('.yaml')).map((a) => path.basename(a)).sort()).toEqual(['primary1.yaml', 'remote1.yaml']);
    expect(args).not.toContain('-ignore-missing-schemas');
    expect(readFileSync(path.join(repo, 's.md'), 'utf8')).toContain('| kubeconform -strict | failed: 1 error, 0 warnings |');
  });

  it('lists the clusters a change touches, against the merge base', async () => {
    const repo = await meshRepo(scratchGitRepo());
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'mesh');
    git(repo, 'checkout', '-qb', 'change');
    const meshFile = path.join(repo, 'environments', 'demo', 'mesh.yaml');
    writeFileSync(meshFile, readFileSync(meshFile, 'utf8').replace('address: 10.0.0.10', 'address: 10.0.0.11'));
    expect((await runMain(['render'], repo)).status).toBe(0);
    const changed = changedClusters(repo, 'main');
    expect(changed).toBeInstanceOf(Map);
    expect([...(changed as Map<string, string[]>).keys()]).toEqual(['demo\tREADME.md', 'demo\targocd/', 'demo\tprimary1', 'demo\tremote1']);
    writeFileSync(path.join(repo, 'rendered', 'demo', 'NOTES.md'), 'untracked\n');
    expect([...(changedClusters(repo, 'main') as Map<string, string[]>).keys()]).toContain('demo\tNOTES.md');
    expect(changedClusters(repo, 'no-such-branch')).toMatch(/^no merge base with no-such-branch/);
  });

  it('leads the summary with the plan against the merge base and the changed topology in Mermaid, then the findings', async () => {
    const repo = await meshRepo(scratchGitRepo());
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'mesh');
    git(repo, 'checkout', '-qb', 'change');
    const meshFile = path.join(repo, 'environments', 'demo', 'mesh.yaml');
    const env = parse(readFileSync(meshFile, 'utf8'));
    env.spec.clusters[1] = { ...env.spec.clusters[1], network: 'net2', eastWestGateway: { address: '10.0.1.10' } };
    writeFileSync(meshFile, toYamlText(env));
    expect((await runMain(['render'], repo)).status).toBe(0);
    const { out, io } = capture();
    const summary = path.join(repo, 's.md');
    const code = await runPrCheck({ cwd: repo, base: 'main', summary, env: { PATH: pathWith() }, ...io });
    const text = readFileSync(summary, 'utf8');
    expect(code, `${out.stderr}\n${text}`).toBe(0);
    const order = ['## meshops PR check', '## Plan: the working tree against `merge base with main`', '| `spec.clusters[remote1].network` | net1 -> net2 |', '### Topology of demo after this change', '```mermaid\nflowchart TB', '### Findings (', '### Steps', '### Changed clusters (against main)'];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0), JSON.stringify(positions)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(readMermaid(text.split('```mermaid\n')[1]!.split('```')[0]!).errors).toEqual([]);
  });
});
