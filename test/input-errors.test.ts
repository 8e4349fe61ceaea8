/**
 * Every kind of bad input, through the real `meshops` binary: exit 1 (2 for a bad --env), the
 * file:line:column of the field, the field path and a sentence, no stack trace, and rendered/
 * byte-for-byte unchanged. Unit tests of the Jsonnet error paths the binary cannot reach here.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { evaluateJsonnet, jsonnetErrorFinding } from '../generator/load/jsonnet.js';
import { readTree } from '../generator/write/rendered-tree.js';
import { runMain, scratchRepo } from './helpers.js';

const ENV = 'bad';
const FILE = `environments/${ENV}/mesh.yaml`;

/** A valid multi-network environment; each case breaks one thing in it. */
const VALID = `apiVersion: meshops.dev/v1alpha1
kind: MeshEnvironment
metadata:
  name: bad
spec:
  meshID: mesh1
  istio:
    version: 1.18.5
  clusters:
  - name: east
    role: primary
    network: net-a
    podSubnet: 10.1.0.0/16
    eastWestGateway:
      address: 10.0.0.1
  - name: east-remote
    role: remote
    network: net-a
    podSubnet: 10.2.0.0/16
    eastWestGateway:
      address: 10.0.0.2
  - name: west
    role: remote
    network: net-b
    podSubnet: 10.1.0.0/16
    eastWestGateway:
      address: 10.0.0.3
`;

/** Replaces exactly one occurrence of `from`. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`test bug: ${JSON.stringify(from)} must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** "FILE:line:column" of the first occurrence of `marker` in `text`. */
function at(text: string, marker: string, file = FILE): string {
  const offset = text.indexOf(marker);
  if (offset < 0) throw new Error(`test bug: no ${JSON.stringify(marker)}`);
  const before = text.slice(0, offset).split('\n');
  return `${file}:${before.length}:${before[before.length - 1]!.length + 1}`;
}

let repo: string;
let renderedBefore: Map<string, string>;

beforeAll(() => {
  repo = scratchRepo({ rendered: true });
  renderedBefore = readTree(path.join(repo, 'rendered'));
  expect(renderedBefore.size).toBeGreaterThan(0);
});

afterEach(() => {
  rmSync(path.join(repo, 'environments', ENV), { recursive: true, force: true });
});

function writeEnv(files: Record<string, string | Buffer>, env = ENV): void {
  const dir = path.join(repo, 'environments', env);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
}

/** Runs the binary and checks what every input error must satisfy; returns stderr's lines. */
async function renderFails(args: string[] = ['render'], exit = 1): Promise<string[]> {
  const r = await runMain(args, repo);
  expect(r.status, r.stderr).toBe(exit);
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // no stack trace
  expect(r.stderr).not.toMatch(/internal error/);
  expect(readTree(path.join(repo, 'rendered'))).toEqual(renderedBefore);
  return r.stderr.trimEnd().split('\n');
}

/** The one finding of this case: "file:line:col: error rule: message". */
function expectFinding(lines: string[], location: string, rule: string, message: string | RegExp): void {
  const prefix = `${location}: error ${rule}: `;
  const mine = lines.filter((l) => l.startsWith(`${FILE.replace('mesh.yaml', '')}`) || l.startsWith('environments/lib/'));
  expect(mine, lines.join('\n')).toHaveLength(1);
  expect(mine[0]!.startsWith(prefix), `${mine[0]}\n  should start with\n${prefix}`).toBe(true);
  const text = mine[0]!.slice(prefix.length);
  if (typeof message === 'string') expect(text).toBe(message);
  else expect(text).toMatch(message);
}

async function yamlCase(text: string): Promise<string[]> {
  writeEnv({ 'mesh.yaml': text });
  return await renderFails();
}

describe('meshops render refuses bad input and changes nothing under rendered/', () => {
  it('accepts the base environment of these cases (so each case fails for its own reason)', async () => {
    writeEnv({ 'mesh.yaml': VALID });
    const r = await runMain(['render', '--env', ENV], repo);
    expect(r.status, r.stderr).toBe(0);
    rmSync(path.join(repo, 'rendered', ENV), { recursive: true });
    expect(readTree(path.join(repo, 'rendered'))).toEqual(renderedBefore);
  });

  it('malformed YAML', async () => {
    const text = edit(VALID, '  meshID: mesh1', '  meshID: [mesh1');
    const lines = await yamlCase(text);
    expect(lines.some((l) => /^environments\/bad\/mesh\.yaml:\d+:\d+: error input-syntax: /.test(l)), lines.join('\n')).toBe(true);
  });

  it('a duplicate key, naming the key and its first line', async () => {
    const text = edit(VALID, '    role: primary\n', '    role: primary\n    role: remote\n');
    expectFinding(await yamlCase(text), at(text, 'role: remote\n    network: net-a\n    podSubnet: 10.1'), 'input-syntax', 'duplicate key "role" (first set on line 11): a key may appear only once in a mapping; remove one of them');
  });

  it('an alias bomb (billion laughs)', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']] as const) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `${levels.join('\n')}\n`;
    expectFinding(await yamlCase(text), at(text, '*a'), 'input-syntax', /^aliases \(\*name\) expand to too many nodes .*alias bomb/);
  });

  it('an oversized file, refused before it is parsed', async () => {
    const text = `${VALID}# ${'x'.repeat(5 * 1024 * 1024)}\n`;
    expectFinding(await yamlCase(text), `${FILE}:1:1`, 'input-syntax', 'the file is larger than 4 MiB; no mesh definition is that big, refusing to read it');
  });

  it('a second YAML document', async () => {
    const text = `${VALID}---\nkind: Other\n`;
    expectFinding(await yamlCase(text), at(text, '---'), 'input-syntax', 'a mesh file holds exactly one YAML document; found a second "---" document');
  });

  it('an empty file', async () => {
    expectFinding(await yamlCase(''), `${FILE}:1:1`, 'input', 'the file is empty: a mesh file holds one MeshEnvironment mapping with apiVersion, kind, metadata and spec');
  });

  it('tabs as indentation', async () => {
    const text = edit(VALID, '  meshID: mesh1', '\tmeshID: mesh1');
    expectFinding(await yamlCase(text), at(text, '\t'), 'input-syntax', 'tabs are not allowed as indentation in YAML; indent with spaces');
  });

  it('an unknown field at the top level', async () => {
    const text = `${VALID}extra: true\n`;
    expectFinding(await yamlCase(text), at(text, 'extra:'), 'input', 'unknown field "extra" at the top level (known fields: apiVersion, kind, metadata, spec)');
  });

  it('an unknown field in a cluster, with a suggestion', async () => {
    const text = edit(VALID, '    role: primary\n', '    role: primary\n    netwrok: net-a\n');
    expectFinding(await yamlCase(text), at(text, 'netwrok'), 'input', 'spec.clusters[0]: unknown field "netwrok"; did you mean "network"?');
  });

  it('an unknown field in eastWestGateway', async () => {
    const text = edit(VALID, '      address: 10.0.0.2\n', '      address: 10.0.0.2\n      externalIP: 1.2.3.4\n');
    expectFinding(
      await yamlCase(text),
      at(text, 'externalIP'),
      'input',
      'spec.clusters[1].eastWestGateway: unknown field "externalIP" (known fields: enabled, address, port, loadBalancer, annotations)',
    );
  });

  it('a wrong apiVersion', async () => {
    const text = edit(VALID, 'meshops.dev/v1alpha1', 'meshops.dev/v1');
    expectFinding(await yamlCase(text), `${FILE}:1:1`, 'input', 'apiVersion: must be "meshops.dev/v1alpha1" (found the string "meshops.dev/v1")');
  });

  it('a wrong kind', async () => {
    const text = edit(VALID, 'kind: MeshEnvironment', 'kind: Mesh');
    expectFinding(await yamlCase(text), at(text, 'kind:'), 'input', 'kind: must be "MeshEnvironment" (found the string "Mesh")');
  });

  it('metadata.name other than the directory', async () => {
    const text = edit(VALID, 'name: bad', 'name: prod');
    expectFinding(await yamlCase(text), at(text, 'name: prod'), 'input', 'metadata.name: must equal the directory name "bad" (found "prod"): rendered/bad/ is named after the directory');
  });

  it.each([
    ['an upper-case name', 'East_1'],
    ['a path-traversal name', '../../etc'],
    ['a name with a slash', 'a/b'],
  ])('a cluster name that is not a DNS-1123 label: %s', async (_, name) => {
    const text = edit(VALID, 'name: west', `name: ${JSON.stringify(name)}`);
    expectFinding(
      await yamlCase(text),
      at(text, `name: ${JSON.stringify(name)}`),
      'input',
      `spec.clusters[2].name: a cluster name must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit (found the string ${JSON.stringify(name)})`,
    );
  });

  it('a cluster name used twice', async () => {
    const text = edit(VALID, 'name: west', 'name: east');
    expectFinding(await yamlCase(text), at(text, 'name: east\n    role: remote\n    network: net-b'), 'input', 'spec.clusters[2].name: cluster name "east" is used twice (also spec.clusters[0])');
  });

  it('no primary', async () => {
    const text = edit(VALID, 'role: primary', 'role: remote');
    expectFinding(await yamlCase(text), at(text, 'clusters:'), 'input', 'spec.clusters: an environment needs at least one cluster with role: primary (a cluster that runs istiod)');
  });

  it('controlPlane naming a cluster that does not exist', async () => {
    const text = edit(VALID, '    network: net-b\n', '    network: net-b\n    controlPlane: north\n');
    expectFinding(await yamlCase(text), at(text, 'controlPlane'), 'input', 'spec.clusters[2].controlPlane: controlPlane "north" is not a cluster of this environment');
  });

  it('controlPlane naming a remote', async () => {
    const text = edit(VALID, '    network: net-b\n', '    network: net-b\n    controlPlane: east-remote\n');
    expectFinding(await yamlCase(text), at(text, 'controlPlane'), 'input', 'spec.clusters[2].controlPlane: controlPlane "east-remote" is a remote; it must name a primary');
  });

  it('a remote without controlPlane when there are two primaries', async () => {
    const text = `${edit(VALID, 'role: remote\n    network: net-b', 'role: primary\n    network: net-b')}  rootCA:\n    store: {name: vault}\n`;
    expectFinding(await yamlCase(text), at(text, 'role: remote'), 'input', 'spec.clusters[1].role: remote "east-remote" must name its primary in controlPlane: there are 2 primaries');
  });

  it('two primaries without a shared root CA, at the second primary', async () => {
    const text = edit(edit(VALID, 'role: remote\n    network: net-b', 'role: primary\n    network: net-b'), 'role: remote\n    network: net-a', 'role: remote\n    controlPlane: east\n    network: net-a');
    expectFinding(await yamlCase(text), at(text, 'role: primary\n    network: net-b'), 'input', /^spec\.clusters\[2\]\.role: 2 primaries need a shared root of trust: set spec\.rootCA/);
  });

  it('overlapping pod subnets on one network, naming both clusters', async () => {
    const text = edit(VALID, 'podSubnet: 10.2.0.0/16', 'podSubnet: 10.1.128.0/17');
    expectFinding(
      await yamlCase(text),
      at(text, 'podSubnet: 10.1.128.0/17'),
      'input',
      'spec.clusters[1].podSubnet: podSubnet 10.1.128.0/17 of "east-remote" overlaps 10.1.0.0/16 of "east" on network "net-a": clusters whose pod networks overlap must be on different networks',
    );
  });

  it('a podSubnet that is not a CIDR', async () => {
    const text = edit(VALID, 'podSubnet: 10.2.0.0/16', 'podSubnet: 10.2.0.0/33');
    expectFinding(await yamlCase(text), at(text, 'podSubnet: 10.2.0.0/33'), 'input', 'spec.clusters[1].podSubnet: must be a CIDR such as 10.201.0.0/16 or fd00:10::/64 (found the string "10.2.0.0/33")');
  });

  it('no east-west address on a cluster of a multi-network mesh', async () => {
    const text = edit(VALID, '    eastWestGateway:\n      address: 10.0.0.3\n', '');
    expectFinding(
      await yamlCase(text),
      at(text, 'name: west'),
      'input',
      'spec.clusters[2]: cluster "west" needs eastWestGateway.address (its load balancer\'s IP or hostname): the mesh spans 2 networks (net-a, net-b)',
    );
  });

  it('no east-west address on a primary serving remotes on one network', async () => {
    const single = `${edit(VALID.slice(0, VALID.indexOf('  - name: west')), '    eastWestGateway:\n      address: 10.0.0.1\n', '')}`;
    expectFinding(
      await yamlCase(single),
      at(single, 'name: east'),
      'input',
      'spec.clusters[0]: cluster "east" needs eastWestGateway.address (its load balancer\'s IP or hostname): it is a primary whose istiod remotes or VMs reach through it',
    );
  });

  it('the east-west gateway turned off where it is needed', async () => {
    const text = edit(VALID, '      address: 10.0.0.3\n', '      address: 10.0.0.3\n      enabled: false\n');
    expectFinding(await yamlCase(text), at(text, 'enabled: false'), 'input', 'spec.clusters[2].eastWestGateway.enabled: cluster "west" needs an east-west gateway: the mesh spans 2 networks (net-a, net-b)');
  });

  it('an Istio version YAML reads as a number', async () => {
    const text = edit(VALID, 'version: 1.18.5', 'version: 1.18');
    expectFinding(await yamlCase(text), at(text, 'version:'), 'input', 'spec.istio.version: expected a string, found the number 1.18; put it in quotes so YAML reads it as text');
  });

  it('an Istio version that is not x.y.z', async () => {
    const text = edit(VALID, 'version: 1.18.5', 'version: latest');
    expectFinding(await yamlCase(text), at(text, 'version:'), 'input', 'spec.istio.version: must be x.y.z with an optional -suffix, e.g. 1.18.5 or 1.15.3-mspider (found the string "latest")');
  });

  it.each([0, 70000])('east-west port %d', async (port) => {
    const text = edit(VALID, '      address: 10.0.0.1\n', `      address: 10.0.0.1\n      port: ${port}\n`);
    expectFinding(await yamlCase(text), at(text, 'port:'), 'input', `spec.clusters[0].eastWestGateway.port: a port must be between 1 and 65535 (found the number ${port})`);
  });

  it('a loadBalancer field the provider does not use', async () => {
    const text = edit(VALID, '      address: 10.0.0.1\n', '      address: 10.0.0.1\n      loadBalancer:\n        addressPool: first-pool\n');
    expectFinding(
      await yamlCase(text),
      at(text, 'addressPool'),
      'input',
      'spec.clusters[0].eastWestGateway.loadBalancer.addressPool: provider generic has no addressPool preset; set the annotation under eastWestGateway.annotations instead',
    );
  });

  it('an unknown rule id in spec.policies', async () => {
    const text = `${VALID}  policies:\n    no-such-rule: warning\n`;
    expectFinding(await yamlCase(text), at(text, 'no-such-rule'), 'input', /^spec\.policies: unknown rule "no-such-rule" \(known: .*single-istiooperator.*\)$/);
  });

  it('both mesh.yaml and mesh.jsonnet', async () => {
    writeEnv({ 'mesh.yaml': VALID, 'mesh.jsonnet': '{}' });
    const lines = await renderFails();
    expect(lines).toContain(`environments/${ENV}: error input: both mesh.yaml and mesh.jsonnet exist in environments/${ENV}/; an environment has exactly one mesh file, remove one`);
  });

  it('a Jsonnet runtime error keeps the .jsonnet file:line', async () => {
    writeEnv({ 'mesh.jsonnet': "local mesh = import 'mesh.libsonnet';\nlocal version = error 'pick an Istio version';\nmesh.environment('bad', { istio: { version: version } })\n" });
    const lines = await renderFails();
    expect(lines).toContain(`environments/${ENV}/mesh.jsonnet:2:17: error input-syntax: RUNTIME ERROR: pick an Istio version`);
  });

  it('a Jsonnet error raised in environments/lib names the call in the environment', async () => {
    writeEnv({ 'mesh.jsonnet': "local mesh = import 'mesh.libsonnet';\n{ x: mesh.locality('a/b/c/d') }\n" });
    const lines = await renderFails();
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^environments\/lib\/mesh\.libsonnet:\d+:\d+: error input-syntax: RUNTIME ERROR: locality "a\/b\/c\/d" is not region\[\/zone\[\/subzone\]\] \(called from environments\/bad\/mesh\.jsonnet:2:\d+\)$/,
      ),
    );
  });

  it('a Jsonnet syntax error', async () => {
    writeEnv({ 'mesh.jsonnet': '{\n  apiVersion: ,\n}\n' });
    expect(await renderFails()).toContainEqual(expect.stringMatching(/^environments\/bad\/mesh\.jsonnet:2:\d+: error input-syntax: STATIC ERROR: /));
  });

  it('a model error in a Jsonnet environment names the field', async () => {
    writeEnv({ 'mesh.jsonnet': VALID_JSONNET.replace("network: 'n'", "network: 'n', netwrk: 'x'") });
    expect(await renderFails()).toContain(`environments/${ENV}/mesh.jsonnet: error input: spec.clusters[0]: unknown field "netwrk"; did you mean "network"?`);
  });

  it('--env naming a missing environment (exit 1, listing the ones there are)', async () => {
    const lines = await renderFails(['render', '--env', 'nowhere']);
    expect(lines).toEqual([expect.stringMatching(/^environments\/nowhere: error input: no environment "nowhere": expected environments\/nowhere\/mesh\.yaml or environments\/nowhere\/mesh\.jsonnet \(environments here: .*tcm-migration.*\)$/)]);
  });

  it.each(['../x', 'a/b', '..', 'Prod'])('--env %j is a usage error (exit 2) that touches nothing', async (name) => {
    // An environment of that name outside environments/ must not be picked up either.
    writeFileSync(path.join(repo, 'mesh.yaml'), VALID);
    const lines = await renderFails(['render', '--env', name], 2);
    expect(lines[0]).toBe(`error: option '--env <name>' argument '${name}' is invalid. "${name}" is not an environment name (a directory directly under environments/, named as a DNS-1123 label).`);
    rmSync(path.join(repo, 'mesh.yaml'));
  });

  it('--format json prints the contract\'s object for render errors', async () => {
    const text = edit(VALID, '    role: primary\n', '    role: primary\n    netwrok: net-a\n');
    writeEnv({ 'mesh.yaml': text });
    const r = await runMain(['render', '--format', 'json'], repo);
    expect(r.status).toBe(1);
    expect(readTree(path.join(repo, 'rendered'))).toEqual(renderedBefore);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.violations).toContainEqual({
      rule: 'input',
      severity: 'error',
      message: 'spec.clusters[0]: unknown field "netwrok"; did you mean "network"?',
      file: FILE,
      line: Number(at(text, 'netwrok').split(':')[1]),
      column: 5,
      env: ENV,
      cluster: 'east',
    });
  });
});

const VALID_JSONNET = `{
  apiVersion: 'meshops.dev/v1alpha1',
  kind: 'MeshEnvironment',
  metadata: { name: 'bad' },
  spec: { meshID: 'm', istio: { version: '1.18.5' }, clusters: [{ name: 'solo', role: 'primary', network: 'n' }] },
}
`;

describe('Jsonnet error findings', () => {
  it('without the engine: a clear input error, not a crash', async () => {
    const result = await evaluateJsonnet('/repo/environments/e/mesh.jsonnet', 'environments/e/mesh.jsonnet', '/repo/environments/lib', '/repo', null);
    expect(result).toEqual({
      ok: false,
      findings: [
        {
          rule: 'input-syntax',
          severity: 'error',
          file: 'environments/e/mesh.jsonnet',
          message: expect.stringContaining('the Jsonnet engine (@hanazuki/node-jsonnet, an optional dependency built with g++ and cmake) is not installed'),
        },
      ],
    });
  });

  it('keeps the position of a static error, relative to the repository', async () => {
    expect(jsonnetErrorFinding('STATIC ERROR: /repo/environments/e/mesh.jsonnet:3:7: unexpected: "}" while parsing terminal\n', 'environments/e/mesh.jsonnet', '/repo')).toEqual({
      rule: 'input-syntax',
      severity: 'error',
      file: 'environments/e/mesh.jsonnet',
      line: 3,
      column: 7,
      message: 'STATIC ERROR: unexpected: "}" while parsing terminal',
    });
  });

  it('reads a multi-line span', async () => {
    const f = jsonnetErrorFinding('STATIC ERROR: /repo/environments/e/mesh.jsonnet:(3:7)-(5:2): bad\n', 'environments/e/mesh.jsonnet', '/repo');
    expect([f.line, f.column, f.message]).toEqual([3, 7, 'STATIC ERROR: bad']);
  });

  it('points at the innermost frame and names the caller in the environment', async () => {
    const message = 'RUNTIME ERROR: boom\n\t/repo/environments/lib/mesh.libsonnet:33:52-90\tfunction <locality>\n\t/repo/environments/e/mesh.jsonnet:7:5-20\tobject <anonymous>\n';
    expect(jsonnetErrorFinding(message, 'environments/e/mesh.jsonnet', '/repo')).toMatchObject({
      file: 'environments/lib/mesh.libsonnet',
      line: 33,
      column: 52,
      message: 'RUNTIME ERROR: boom (called from environments/e/mesh.jsonnet:7:5)',
    });
  });

  it('keeps a message without a position whole', async () => {
    expect(jsonnetErrorFinding('something odd', 'environments/e/mesh.jsonnet', '/repo')).toEqual({
      rule: 'input-syntax',
      severity: 'error',
      file: 'environments/e/mesh.jsonnet',
      message: 'something odd',
    });
  });
});
