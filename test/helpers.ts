/** Shared test helpers: environments as objects, rendered and validated in memory. */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { main, type Io } from '../generator/cli.js';
import type { Finding } from '../generator/findings.js';
import { modelFromSource } from '../generator/load/environments.js';
import type { MeshEnvironment } from '../generator/model/mesh-environment.js';
import { renderEnvironment } from '../generator/render/environment.js';
import { validateEnvironment } from '../generator/validate/engine.js';
import { environmentTreeFromFiles, type EnvironmentTree } from '../generator/validate/manifests.js';
import type { SeveritySetting } from '../generator/validate/policy.js';
import { serializeEnvironment } from '../generator/write/serialize.js';
import { inputRules, policies } from '../policies/index.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'meshops.js');

/** A valid two-cluster primary-remote environment on one network; override what a test needs. */
export function baseEnvironment(name = 'test'): Record<string, any> {
  return {
    apiVersion: 'meshops.dev/v1alpha1',
    kind: 'MeshEnvironment',
    metadata: { name },
    spec: {
      meshID: 'mesh1',
      istio: { version: '1.18.5' },
      clusters: [
        { name: 'primary1', role: 'primary', network: 'net1', eastWestGateway: { address: '10.0.0.10' } },
        { name: 'remote1', role: 'remote', network: 'net1' },
      ],
    },
  };
}

/** Parses an environment object through the model (no positions); throws with the findings on error. */
export function model(input: unknown, dirName?: string): MeshEnvironment {
  const name = dirName ?? ((input as any)?.metadata?.name as string);
  const result = modelFromSource({ file: `environments/${name}/mesh.yaml`, data: input, locate: () => undefined }, name, inputRules);
  if (!result.ok) throw new Error(result.findings.map((f) => f.message).join('\n'));
  return result.env.model;
}

/** Input findings for an environment object (empty when valid). */
export function inputFindings(input: unknown, dirName?: string): Finding[] {
  const name = dirName ?? ((input as any)?.metadata?.name as string);
  const result = modelFromSource({ file: `environments/${name}/mesh.yaml`, data: input, locate: () => undefined }, name, inputRules);
  return result.ok ? [] : result.findings;
}

/** Rendered files of an environment object: path relative to rendered/<env>/ -> content. */
export function renderFiles(input: unknown): Map<string, string> {
  const m = model(input);
  const out = serializeEnvironment(renderEnvironment(m, `environments/${m.metadata.name}/mesh.yaml`));
  return new Map(out.files.map((f) => [f.path, f.content]));
}

export function treeOf(envName: string, files: ReadonlyMap<string, string>): EnvironmentTree {
  return environmentTreeFromFiles(envName, `rendered/${envName}`, files);
}

/** Validator findings over files laid out like rendered/<env>/, with spec.policies-style severity overrides. */
export function validateFiles(envName: string, files: ReadonlyMap<string, string>, overrides: Readonly<Record<string, SeveritySetting>> = {}): Finding[] {
  return validateEnvironment(treeOf(envName, files), { policies, overrides: new Map([[envName, overrides]]) });
}

/** A hand-written tree: cluster -> file name -> documents, as YAML texts laid out like rendered/<env>/. */
export function manifestFiles(clusters: Readonly<Record<string, Readonly<Record<string, readonly object[]>>>>): Map<string, string> {
  const files = new Map<string, string>();
  for (const [cluster, byFile] of Object.entries(clusters)) {
    for (const [file, docs] of Object.entries(byFile)) files.set(`clusters/${cluster}/${file}`, docs.map((d) => stringify(d)).join('---\n'));
  }
  return files;
}

/** Renders an environment object and validates the result in memory. */
export function renderAndValidate(input: unknown): Finding[] {
  const files = renderFiles(input);
  return validateFiles((input as any).metadata.name, files);
}

export function toYamlText(value: unknown): string {
  return stringify(value);
}

/** A scratch copy of the repository's environments (and optionally rendered/) to run the CLI in. */
export function scratchRepo(options: { rendered?: boolean; environments?: readonly string[] } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-test-'));
  const copy = (from: string) => (source: string) => {
    const [top, name] = path.relative(path.join(REPO_ROOT, from), source).split(path.sep);
    // environments/lib is not an environment; every other directory directly below is one.
    return !options.environments || top === '' || name !== undefined || top === 'lib' || options.environments.includes(top!);
  };
  cpSync(path.join(REPO_ROOT, 'environments'), path.join(dir, 'environments'), { recursive: true, filter: copy('environments') });
  if (options.rendered) cpSync(path.join(REPO_ROOT, 'rendered'), path.join(dir, 'rendered'), { recursive: true, filter: copy('rendered') });
  return dir;
}

/**
 * Runs the CLI in this process: main() with the output captured, from the source (no build needed).
 * The default for every test of what the CLI prints and its exit code; test/e2e/ runs the binary.
 */
export async function runMain(args: string[], cwd: string, io: Partial<Pick<Io, 'env' | 'color' | 'writerFs'>> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, { cwd, ...io, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

/** Runs the real `meshops` binary (dist/, built by test/e2e/global-setup.ts): for test/e2e/ only. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

/**
 * Seed 004: cluster1 (a primary on kube-network, east-west gateway at 172.16.0.250) and VM demo in
 * namespace vm with service account vm; `vmNetwork` puts the VM on a network of its own.
 */
export function vmEnvironment(o: { name?: string; vmNetwork?: string } = {}): Record<string, any> {
  return {
    apiVersion: 'meshops.dev/v1alpha1',
    kind: 'MeshEnvironment',
    metadata: { name: o.name ?? 'vm-mesh' },
    spec: {
      meshID: 'mesh1',
      istio: { version: '1.30.4' },
      clusters: [{ name: 'cluster1', role: 'primary', network: 'kube-network', provider: 'ack', eastWestGateway: { address: '172.16.0.250' } }],
      vms: [{ name: 'demo', namespace: 'vm', serviceAccount: 'vm', cluster: 'cluster1', ...(o.vmNetwork ? { network: o.vmNetwork } : {}) }],
    },
  };
}

/** A defect seeded into rendered text: `files` with `from` replaced by `to` in `file`, where `from` occurs exactly once. */
export function mutate(files: ReadonlyMap<string, string>, file: string, from: string, to: string): Map<string, string> {
  const text = files.get(file);
  if (text === undefined) throw new Error(`no rendered file ${file}`);
  if (text.split(from).length !== 2) throw new Error(`${JSON.stringify(from)} does not occur exactly once in ${file}`);
  return new Map(files).set(file, text.replace(from, to));
}

/** Runs git in `dir`; throws with git's stderr when it fails. */
export function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** An empty scratch git repository with a committer identity, for tests that need real revisions (`check --base`). */
export function scratchGitRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-git-'));
  git(dir, 'init', '-q', '-b', 'main');
  // What `git config` would write, in one go (three more git processes per repository otherwise).
  appendFileSync(path.join(dir, '.git', 'config'), '[user]\n\temail = test@meshops.invalid\n\tname = meshops test\n[commit]\n\tgpgsign = false\n');
  return dir;
}
