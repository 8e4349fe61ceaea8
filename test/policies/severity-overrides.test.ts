/** spec.policies: per-environment severity (off | warning | error), applied by the engine to every rule. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayHoldKey } from '../../generator/commands/validate.js';
import { baseEnvironment, mutate, renderFiles, runMain, toYamlText, validateFiles } from '../helpers.js';

function environment(policies?: Record<string, string>): Record<string, any> {
  const env = baseEnvironment('overrides');
  env.spec.clusters[0].provider = 'aws';
  if (policies) env.spec.policies = policies;
  return env;
}

/** The rendered environment with a remote whose meshID differs and an unknown field in its Namespace. */
function defective(): Map<string, string> {
  const files = mutate(renderFiles(environment()), 'clusters/remote1/istio-operator.yaml', 'meshID: mesh1', 'meshID: mesh2');
  return mutate(files, 'clusters/remote1/namespace.yaml', 'metadata:\n', 'metadata:\n  colour: blue\n');
}

const severities = (overrides: Record<string, 'off' | 'warning' | 'error'>) =>
  validateFiles('overrides', defective(), overrides)
    .map((f) => `${f.rule}:${f.severity}`)
    .sort();

describe('severity overrides', () => {
  it('reports at the default severity without overrides', async () => {
    expect(severities({})).toEqual(['mesh-id-match:error', 'schema:error']);
  });

  it('turns an error into a warning, a warning into an error, and a rule off', async () => {
    expect(severities({ 'mesh-id-match': 'warning', schema: 'off' })).toEqual(['mesh-id-match:warning']);
    expect(severities({ 'mesh-id-match': 'off' })).toEqual(['schema:error']);
    const skewed = mutate(renderFiles(environment()), 'clusters/remote1/istio-operator.yaml', 'tag: 1.18.5', 'tag: 1.16.0');
    expect(validateFiles('overrides', skewed, { 'istio-version-skew': 'error' }).map((f) => `${f.rule}:${f.severity}`)).toEqual(['istio-version-skew:error']);
  });

  it("meshops validate applies the environment's spec.policies, and a warning alone exits 0", async () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'meshops-overrides-'));
    mkdirSync(path.join(repo, 'environments', 'overrides'), { recursive: true });
    writeFileSync(path.join(repo, 'environments', 'overrides', 'mesh.yaml'), toYamlText(environment({ 'mesh-id-match': 'warning', schema: 'off' })));
    for (const [file, text] of defective()) {
      mkdirSync(path.dirname(path.join(repo, 'rendered', 'overrides', file)), { recursive: true });
      writeFileSync(path.join(repo, 'rendered', 'overrides', file), text);
    }
    const r = await runMain(['validate', '--format', 'json'], repo);
    expect(JSON.parse(r.stdout).violations.map((v: { rule: string; severity: string }) => `${v.rule}:${v.severity}`)).toEqual(['mesh-id-match:warning']);
    expect(r.status).toBe(0);
    // validate reads the mesh file only when the key can be in it; a key spelled by escapes can.
    const meshFile = path.join(repo, 'environments', 'overrides', 'mesh.yaml');
    writeFileSync(meshFile, readFileSync(meshFile, 'utf8').replace(/^  policies:/m, '  "polic\\x69es":'));
    expect(readFileSync(meshFile, 'utf8')).not.toContain('policies');
    const escaped = await runMain(['validate', '--format', 'json'], repo);
    expect(JSON.parse(escaped.stdout).violations.map((v: { rule: string; severity: string }) => `${v.rule}:${v.severity}`)).toEqual(['mesh-id-match:warning']);
  });

  it('a mesh file may set spec.policies only if the word or an escape is in it', () => {
    expect(mayHoldKey('spec:\n  policies: {}\n', 'policies')).toBe(true);
    expect(mayHoldKey('spec:\n  "polic\\u0069es": {}\n', 'policies')).toBe(true);
    // A key folded over two lines gains a space; a quote doubled in single quotes is a quote.
    for (const text of ['spec:\n  ? poli\n    cies\n  : {}\n', "spec:\n  'poli''cies': {}\n", 'spec: {}\n']) expect(mayHoldKey(text, 'policies')).toBe(false);
  });
});
