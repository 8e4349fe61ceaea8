/**
 * Every cluster directory is a kustomize root whose build is exactly what Argo CD syncs: the
 * Kubernetes objects of the files kustomization.yaml lists. The IstioOperator sits beside them
 * without being listed, and kustomize reads only what is listed, so an Argo CD kustomize source
 * never sees it (modern clusters no longer serve its CRD, and applying it would fail the sync).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { findOnPath } from '../generator/validate/kubeconform.js';
import { baseEnvironment, readText, renderFiles, REPO_ROOT } from './helpers.js';

const KUBECTL = findOnPath('kubectl', process.env.PATH);
const NEEDS_KUBECTL = KUBECTL ? '' : ' [skipped: kubectl is not on PATH]';

/** rendered/<env>/clusters/<cluster> of the shipped examples, relative to the repository. */
function shippedClusterDirs(): string[] {
  const rendered = path.join(REPO_ROOT, 'rendered');
  return readdirSync(rendered, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(rendered, d.name, 'clusters')))
    .flatMap((env) => readdirSync(path.join(rendered, env.name, 'clusters')).map((c) => `rendered/${env.name}/clusters/${c}`))
    .sort();
}

function kustomize(dir: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(KUBECTL!, ['kustomize', dir], { cwd: REPO_ROOT, encoding: 'utf8' });
}

const objects = (text: string) => parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o !== null);
const ids = (list: any[]) => list.map((o) => `${o.apiVersion}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`).sort();

/** The objects of the files a kustomize root lists, read directly. */
function listedObjects(absDir: string): any[] {
  const kustomization = parse(readText(path.join(absDir, 'kustomization.yaml')));
  return kustomization.resources.flatMap((file: string) => objects(readText(path.join(absDir, file))));
}

/** Writes rendered files (path under rendered/<env>/ -> text) into a scratch directory, returning it. */
function writeTree(files: ReadonlyMap<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-kustomize-'));
  for (const [rel, text] of files) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('cluster directories as kustomize roots', () => {
  it('ships cluster directories', () => {
    expect(shippedClusterDirs().length).toBeGreaterThan(0);
  });

  it('lists every file of a cluster directory as a resource, except the IstioOperator', () => {
    for (const dir of shippedClusterDirs()) {
      const abs = path.join(REPO_ROOT, dir);
      const yaml = readdirSync(abs, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).sort();
      const listed = parse(readText(path.join(abs, 'kustomization.yaml'))).resources as string[];
      expect(yaml, dir).toEqual(['istio-operator.yaml', 'kustomization.yaml', ...listed].sort());
      for (const object of listedObjects(abs)) {
        expect(object, `${dir}: every listed document is a Kubernetes object`).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String), metadata: { name: expect.any(String) } });
        expect(object.kind, dir).not.toBe('IstioOperator');
      }
    }
  });

  it.skipIf(!KUBECTL)(`kubectl kustomize builds every shipped cluster directory into exactly its listed objects${NEEDS_KUBECTL}`, () => {
    for (const dir of shippedClusterDirs()) {
      const build = kustomize(dir);
      expect(build.status, `${dir}: ${build.stderr}`).toBe(0);
      const built = objects(build.stdout);
      expect(ids(built), dir).toEqual(ids(listedObjects(path.join(REPO_ROOT, dir))));
      expect(built.map((o) => o.kind), dir).not.toContain('IstioOperator');
    }
  });

  it.skipIf(!KUBECTL)(`kustomize reads only listed files: istio-operator.yaml and non-objects beside them are never built${NEEDS_KUBECTL}`, () => {
    const [first] = shippedClusterDirs();
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'meshops-kustomize-'));
    cpSync(path.join(REPO_ROOT, first!), scratch, { recursive: true });
    // YAML that looks like an object but is not one: an Argo CD directory source would fail on it.
    writeFileSync(path.join(scratch, 'notes.yaml'), 'owner: platform-team\nrunbook: see README\n');
    const before = kustomize(path.join(REPO_ROOT, first!));
    const after = kustomize(scratch);
    expect(after.status, after.stderr).toBe(0);
    expect(after.stdout).toBe(before.stdout);
  });

  it.skipIf(!KUBECTL)(`builds the cluster directories of a Helm-installed multi-network mesh${NEEDS_KUBECTL}`, () => {
    const env = baseEnvironment('helm');
    env.spec.istio = { version: '1.24.2' };
    env.spec.clusters = [
      { name: 'c1', role: 'primary', network: 'n1', eastWestGateway: { address: '10.0.0.10' } },
      { name: 'c2', role: 'remote', network: 'n2', eastWestGateway: { address: '10.0.0.20' } },
    ];
    env.spec.remoteSecrets = { store: { name: 'vault' } };
    env.spec.argocd = { repoURL: 'https://git.example.com/mesh.git' };
    const dir = writeTree(renderFiles(env));
    for (const cluster of ['c1', 'c2']) {
      const build = kustomize(path.join(dir, 'clusters', cluster));
      expect(build.status, build.stderr).toBe(0);
      expect(ids(objects(build.stdout))).toEqual(ids(listedObjects(path.join(dir, 'clusters', cluster))));
    }
  });
});
