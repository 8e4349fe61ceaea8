/** Shared test helpers: environments as objects, rendered and validated in memory. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { Finding } from '../generator/findings.js';
import { modelFromSource } from '../generator/load/environments.js';
import type { MeshEnvironment } from '../generator/model/mesh-environment.js';
import { renderEnvironment } from '../generator/render/environment.js';
import { validateEnvironment } from '../generator/validate/engine.js';
import { environmentTreeFromFiles, type EnvironmentTree } from '../generator/validate/manifests.js';
import { serializeEnvironment } from '../generator/write/serialize.js';
import { policies } from '../policies/index.js';

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
  const result = modelFromSource({ file: `environments/${name}/mesh.yaml`, data: input, locate: () => undefined }, name);
  if (!result.ok) throw new Error(result.findings.map((f) => f.message).join('\n'));
  return result.env.model;
}

/** Input findings for an environment object (empty when valid). */
export function inputFindings(input: unknown, dirName?: string): Finding[] {
  const name = dirName ?? ((input as any)?.metadata?.name as string);
  const result = modelFromSource({ file: `environments/${name}/mesh.yaml`, data: input, locate: () => undefined }, name);
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

/** Validator findings over files laid out like rendered/<env>/. */
export function validateFiles(envName: string, files: ReadonlyMap<string, string>): Finding[] {
  return validateEnvironment(treeOf(envName, files), { policies });
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
export function scratchRepo(options: { rendered?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-test-'));
  cpSync(path.join(REPO_ROOT, 'environments'), path.join(dir, 'environments'), { recursive: true });
  if (options.rendered) cpSync(path.join(REPO_ROOT, 'rendered'), path.join(dir, 'rendered'), { recursive: true });
  return dir;
}

/** Runs the real `meshops` binary. */
export function runCli(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}
