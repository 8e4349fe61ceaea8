/**
 * Issue 14, hangs and misleading output on hostile input: files that are not files, huge
 * mappings, deep nesting, alias bombs, escape sequences, and content that must not be echoed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readRegularFile } from '../generator/fs/read-regular.js';
import { evaluateJsonnet } from '../generator/load/jsonnet.js';
import { MAX_ALIAS_COUNT, parseYamlSource } from '../generator/load/yaml-source.js';
import { formatFindings } from '../generator/report/format.js';
import { validateFiles } from './helpers.js';
import { baseEnvironment, runMain, scratchRepo, toYamlText } from './helpers.js';

const messages = (r: { ok: boolean; findings?: { message: string; line?: number }[] }) => (r.ok ? [] : r.findings!.map((f) => `${f.line}: ${f.message}`));

describe('reading', () => {
  it('a FIFO as mesh.yaml is refused at once, not waited on', async () => {
    const repo = scratchRepo();
    const mesh = path.join(repo, 'environments', 'vm-integration', 'mesh.yaml');
    rmSync(mesh);
    expect(spawnSync('mkfifo', [mesh]).status).toBe(0);
    const r = await runMain(['render', '--env', 'vm-integration'], repo);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('environments/vm-integration/mesh.yaml: error input: the mesh file: not a regular file (a FIFO); refusing to read it\n');
  });

  it('the byte cap holds while reading: /dev/zero is refused, a file over the cap is never read whole', () => {
    expect(readRegularFile('/dev/zero', 1024)).toEqual({ ok: false, reason: 'not a regular file (a device); refusing to read it' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-read-'));
    writeFileSync(path.join(dir, 'big'), 'x'.repeat(100_001));
    expect(readRegularFile(path.join(dir, 'big'), 100_000)).toMatchObject({ ok: false, oversize: true });
    writeFileSync(path.join(dir, 'fits'), 'x'.repeat(100_000));
    expect(readRegularFile(path.join(dir, 'fits'), 100_000)).toEqual({ ok: true, text: 'x'.repeat(100_000) });
  });

  it('a mesh.yaml linked to a file outside the repository is not read, and nothing of it is shown', async () => {
    const repo = scratchRepo();
    const secret = path.join(mkdtempSync(path.join(os.tmpdir(), 'meshops-secret-')), 'credentials');
    writeFileSync(secret, 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    const mesh = path.join(repo, 'environments', 'vm-integration', 'mesh.yaml');
    rmSync(mesh);
    symlinkSync(secret, mesh);
    const r = await runMain(['render', '--env', 'vm-integration', '--format', 'github'], repo);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('the mesh file is a symbolic link to a file outside the repository');
    expect(r.stdout).not.toContain('wJalr');
  });

});

describe('cost bounded by the input', () => {
  it('a mapping of 50,000 keys parses (it was quadratic: half a minute), and unknown-key findings locate each key', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `  k${i}: ${i}`).join('\n');
    const r = parseYamlSource('m.yaml', `metadata:\n${keys}\n`);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.source.locate(['metadata', 'k49999'])).toEqual({ line: 50_001, column: 3 });
  });

  it('duplicate keys are still reported, each with the line of the first', () => {
    expect(messages(parseYamlSource('m.yaml', 'a: 1\nb: 2\na: 3\nb: 4\n'))).toEqual([
      '3: duplicate key "a" (first set on line 1): a key may appear only once in a mapping; remove one of them',
      '4: duplicate key "b" (first set on line 2): a key may appear only once in a mapping; remove one of them',
    ]);
  });

  it('a key that is a list or mapping is a finding at the key, with no warning of the parser printed', () => {
    const warnings = vi.spyOn(process, 'emitWarning');
    try {
      const text = 'spec:\n  [a, b]: 1\n  ? {c: d}\n  : 2\n';
      expect(messages(parseYamlSource('mesh.yaml', text))).toEqual(['2: a key is a list or mapping; a mesh file keys its fields by name', '3: a key is a list or mapping; a mesh file keys its fields by name']);
      expect(warnings).not.toHaveBeenCalled();
    } finally {
      warnings.mockRestore();
    }
  });

  it('block mappings nested thousands deep are refused in words, where the parser gave up', () => {
    const text = Array.from({ length: 2800 }, (_, i) => `${' '.repeat(i)}a:\n`).join('');
    const r = parseYamlSource('m.yaml', text);
    expect(messages(r)).toEqual([expect.stringMatching(/^\d+: mappings or lists nest too deeply to read \(the parser ran out of stack\); no mesh definition nests more than a few levels$/)]);
  });

  it('4 MiB of [ is refused by the nesting limit', () => {
    expect(messages(parseYamlSource('m.yaml', `a:\n  - ${'['.repeat(4 * 1024 * 1024 - 10)}`))).toEqual([
      '2: flow collections ([ or {) nest more than 64 deep; no mesh definition does, refusing to parse it',
    ]);
    // Brackets inside scalars and comments are not nesting.
    expect(parseYamlSource('m.yaml', `a: "${'['.repeat(100)}"\nb: x${'['.repeat(100)}\n# ${'{'.repeat(100)}\nc: [[1]]\n`).ok).toBe(true);
  });

  it(`exactly ${MAX_ALIAS_COUNT} aliases are accepted, one more is refused; an undefined alias is called that`, () => {
    const aliases = (n: number) => `a: &a x\nb: [${Array(n).fill('*a').join(', ')}]\n`;
    expect(parseYamlSource('m.yaml', aliases(MAX_ALIAS_COUNT)).ok).toBe(true);
    expect(messages(parseYamlSource('m.yaml', aliases(MAX_ALIAS_COUNT + 1)))).toEqual([
      `2: more than ${MAX_ALIAS_COUNT} aliases (*name): refusing what looks like an alias bomb ("billion laughs"); repeat the values instead`,
    ]);
    expect(messages(parseYamlSource('m.yaml', 'a: *nowhere\n'))).toEqual(['1: undefined alias *nowhere: no anchor &nowhere is set before it']);
  });

  it('a nested alias bomb within the alias count is refused by the expansion budget', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(',')}]`).join('\n');
    const r = parseYamlSource('m.yaml', `l0: &l0 [lol]\n${levels}\n`);
    expect(messages(r)[0]).toMatch(/aliases \(\*name\) expand to too many nodes/);
  });

  it('CR-only line endings read as line breaks', () => {
    const text = toYamlText(baseEnvironment('cr')).replace(/\n/g, '\r');
    const r = parseYamlSource('m.yaml', text);
    expect(r.ok && (r.source.data as { metadata: { name: string } }).metadata.name).toBe('cr');
  });

  it('a 500-byte alias bomb in a manifest under validate is refused quickly with a finding', () => {
    const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb}', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
      .concat(Array.from({ length: 9 }, (_, i) => `  ${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`))
      .join('\n');
    const findings = validateFiles('bomb', new Map([['clusters/c1/bomb.yaml', bomb]]));
    expect(findings.filter((f) => f.file === 'rendered/bomb/clusters/c1/bomb.yaml').map((f) => [f.rule, f.line, f.message])).toEqual([
      ['schema', 6, 'aliases (*name) are used more than 100 times or expand to more than 100,000 nodes: refusing what looks like an alias bomb ("billion laughs"); write the values out'],
    ]);
  });
});

describe('messages', () => {
  it('an escape sequence or bidi override in a key is shown escaped, in every format', async () => {
    const repo = scratchRepo();
    const env = baseEnvironment('vm-integration');
    env.spec['\u001b[2K\u001b[1Ahidden\u202e'] = 1;
    writeFileSync(path.join(repo, 'environments', 'vm-integration', 'mesh.yaml'), toYamlText(env));
    for (const format of ['text', 'json', 'github', 'sarif']) {
      const r = await runMain(['render', '--env', 'vm-integration', '--format', format], repo);
      expect(r.status).toBe(1);
      const out = r.stdout + r.stderr;
      expect(out, format).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
      expect(out).toContain(format === 'text' || format === 'github' ? '\\x1b[2K\\x1b[1Ahidden\\u202e' : '\\\\x1b[2K');
    }
    const text = formatFindings([{ rule: 'r', severity: 'error', message: 'a\nb\u0007', file: 'f\u2066' }], 'text', { version: '0.0.0', rules: [] });
    expect(text).toBe('f\\u2066: error r: a\\x0ab\\x07\n');
  });
});

describe('Jsonnet', () => {
  const jsonnetRepo = (source: string) => {
    const repo = scratchRepo();
    writeFileSync(path.join(repo, 'environments', 'mdemo-multicloud', 'mesh.jsonnet'), source);
    return repo;
  };
  const evaluate = (repo: string, limitMs?: number) =>
    evaluateJsonnet(path.join(repo, 'environments/mdemo-multicloud/mesh.jsonnet'), 'environments/mdemo-multicloud/mesh.jsonnet', path.join(repo, 'environments/lib'), repo, undefined, limitMs);

  it('an evaluation that never ends is stopped at its time limit with a clear error', async () => {
    const r = await evaluate(jsonnetRepo('local f(x) = f(x + 1) tailstrict; f(0)\n'), 1000);
    expect(r).toEqual({
      ok: false,
      findings: [{ rule: 'input-syntax', severity: 'error', file: 'environments/mdemo-multicloud/mesh.jsonnet', message: 'Jsonnet evaluation exceeded 1 s or its memory limit (1536 MiB) and was stopped' }],
    });
  });

  it.each([
    ["importstr '/etc/shadow'", 'importstr'],
    ["import '../../../../../../../../etc/passwd'", 'import'],
    ['{ a: importbin @"/etc/hostname" }', 'importbin'],
  ])('%s is refused before evaluation', async (source, kind) => {
    const r = await evaluate(jsonnetRepo(`// comment\n${source}\n`));
    expect(r).toEqual({
      ok: false,
      findings: [{ rule: 'input', severity: 'error', file: 'environments/mdemo-multicloud/mesh.jsonnet', line: 2, message: `${kind} of a file outside the repository; an environment may import only files in the repository (e.g. environments/lib/)` }],
    });
  });

  it('evaluates again after any file it reads changes, though a process remembers evaluations', async () => {
    const repo = jsonnetRepo("local lib = import 'lib.libsonnet';\n{ lib: lib.value, text: importstr 'note.txt' }\n");
    const envDir = path.join(repo, 'environments', 'mdemo-multicloud');
    const libFile = path.join(repo, 'environments', 'lib', 'lib.libsonnet');
    writeFileSync(libFile, '{ value: 1 }\n');
    writeFileSync(path.join(envDir, 'note.txt'), 'a');
    const data = async () => {
      const r = await evaluate(repo);
      if (!r.ok) throw new Error(r.findings.map((f) => f.message).join('; '));
      return r.source.data;
    };
    expect(await data()).toEqual({ lib: 1, text: 'a' });
    expect(await data()).toEqual({ lib: 1, text: 'a' });
    writeFileSync(libFile, '{ value: 2 }\n'); // an imported library
    expect(await data()).toEqual({ lib: 2, text: 'a' });
    writeFileSync(path.join(envDir, 'note.txt'), 'b'); // an importstr target
    expect(await data()).toEqual({ lib: 2, text: 'b' });
    // A file appearing where the engine looks before the library directory: the environment's own.
    writeFileSync(path.join(envDir, 'lib.libsonnet'), '{ value: 3 }\n');
    expect(await data()).toEqual({ lib: 3, text: 'b' });
    // The failure of a missing import is not remembered past the file's creation either.
    rmSync(path.join(envDir, 'lib.libsonnet'));
    rmSync(libFile);
    expect(await evaluate(repo)).toMatchObject({ ok: false });
    writeFileSync(libFile, '{ value: 4 }\n');
    expect(await data()).toEqual({ lib: 4, text: 'b' });
  });

  it('copies of a repository share an evaluation, but each sees its own path and its errors name its own files', async () => {
    const copies = [0, 1].map(() => jsonnetRepo("local lib = import 'lib.libsonnet';\n{ me: std.thisFile, lib: lib.value }\n"));
    for (const repo of copies) writeFileSync(path.join(repo, 'environments', 'lib', 'lib.libsonnet'), '{ value: 1 }\n');
    for (const repo of copies) {
      expect(await evaluate(repo)).toMatchObject({ ok: true, source: { data: { me: path.join(repo, 'environments/mdemo-multicloud/mesh.jsonnet'), lib: 1 } } });
    }
    for (const repo of copies) writeFileSync(path.join(repo, 'environments', 'lib', 'lib.libsonnet'), "{ value: error 'no value' }\n");
    for (const repo of copies) {
      expect(await evaluate(repo)).toMatchObject({ ok: false, findings: [{ file: 'environments/lib/lib.libsonnet', line: 1 }] });
    }
  });

  it('a library importing outside the repository is refused at its own line; imports inside evaluate', async () => {
    const repo = jsonnetRepo("local lib = import 'evil.libsonnet';\nlib\n");
    writeFileSync(path.join(repo, 'environments', 'lib', 'evil.libsonnet'), "{\n  x: importstr '/etc/hostname',\n}\n");
    expect(await evaluate(repo)).toMatchObject({ ok: false, findings: [{ file: 'environments/lib/evil.libsonnet', line: 2 }] });
    expect(await evaluate(jsonnetRepo("local text = importstr 'mesh.jsonnet';\n{ a: std.length(text) > 0 }\n"))).toMatchObject({ ok: true, source: { data: { a: true } } });
  });
});
