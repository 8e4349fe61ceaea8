/**
 * Seeded fuzzing of the shipped environments (issue 14, "Done means"): a few hundred mutants of
 * each YAML environment, rendered and validated in-process (a few through the real binary).
 * Whatever the mutant, meshops exits 0 or 1; on 1 every finding has a file and a line and
 * rendered/ is unchanged; nothing is written outside rendered/<env>; no raw control character is
 * printed; and what render accepts, validate passes.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../generator/cli.js';
import { readTree } from '../generator/write/rendered-tree.js';
import { REPO_ROOT, runCli, scratchRepo } from './helpers.js';
import { seededRandom } from './seeded-random.js';

const ENVIRONMENTS = ['asm-migration', 'tcm-migration', 'vm-integration'];
const MUTANTS_PER_ENVIRONMENT = 100;
const THROUGH_THE_BINARY = 1;

/** What hostile or careless input puts into a mesh file. */
const TOKENS = [
  '\u001b[2K\u001b[1A', '\u202e', '\r', '\t', '\u0000', '*nowhere', '&anchor', '[', '{', ']', '}', ': ', '- ', '#', '"', "'", '---\n', '<<: *x',
  '__proto__: off', 'https://user:pass@evil.example', '-----BEGIN PRIVATE KEY-----', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIzNA',
  '../../etc/passwd', '0', '-1', '65536', '1.30.99', 'null', '~', 'yes', 'a'.repeat(64), '!!binary AAAA', '!!js/function x', '\u00a0', 'é', '\n  extra: 1\n',
];

function mutate(text: string, next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const lines = text.split('\n');
  let out = text;
  for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
    const at = Math.floor(next() * out.length);
    const line = Math.floor(next() * lines.length);
    switch (Math.floor(next() * 6)) {
      case 0: // insert a hostile token
        out = out.slice(0, at) + pick(TOKENS) + out.slice(at);
        break;
      case 1: // delete a span
        out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 20));
        break;
      case 2: {
        // duplicate or drop a line
        const all = out.split('\n');
        if (next() < 0.5) all.splice(line % all.length, 0, all[line % all.length]!);
        else all.splice(line % all.length, 1);
        out = all.join('\n');
        break;
      }
      case 3: // replace a value after a colon
        out = out.replace(new RegExp(`(^(?:.*\\n){${line % lines.length}}[^:\\n]*: )[^\\n]*`), `$1${pick(TOKENS)}`);
        break;
      case 4: // flip one character
        out = out.slice(0, at) + String.fromCharCode(32 + Math.floor(next() * 95)) + out.slice(at + 1);
        break;
      default: // truncate
        out = out.slice(0, at);
    }
  }
  return out;
}

/** Every file outside rendered/<env> with its size and modification time. */
function outside(repo: string, env: string): Map<string, string> {
  const seen = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (abs === path.join(repo, 'rendered', env)) continue;
      if (entry.isDirectory()) walk(abs);
      else {
        const s = statSync(abs, { throwIfNoEntry: false });
        seen.set(path.relative(repo, abs), s ? `${s.size} ${s.mtimeMs}` : 'gone');
      }
    }
  };
  walk(repo);
  return seen;
}

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

async function cli(args: string[], cwd: string): Promise<{ status: number; out: string }> {
  let out = '';
  const status = await main(args, { cwd, stdout: (t) => void (out += t), stderr: (t) => void (out += t) });
  return { status, out };
}

describe.each(ENVIRONMENTS)('fuzzing %s', (env) => {
  it(`${MUTANTS_PER_ENVIRONMENT} seeded mutants: exit 0 or 1, located findings, nothing changed on 1, nothing written elsewhere, escaped output, render and validate agree`, async () => {
    // Only the fuzzed environment (and environments/lib): what changes elsewhere is still seen, in fewer files to walk.
    const repo = scratchRepo({ rendered: true, environments: [env] });
    const meshFile = path.join(repo, 'environments', env, 'mesh.yaml');
    const original = readFileSync(path.join(REPO_ROOT, 'environments', env, 'mesh.yaml'), 'utf8');
    const next = seededRandom(14 + ENVIRONMENTS.indexOf(env));
    const outcomes = { accepted: 0, refused: 0 };
    for (let i = 0; i < MUTANTS_PER_ENVIRONMENT; i++) {
      const mutant = mutate(original, next);
      writeFileSync(meshFile, mutant);
      const label = `${env} mutant ${i}`;
      const renderedBefore = readTree(path.join(repo, 'rendered', env));
      const elsewhereBefore = outside(repo, env);
      const binary = i < THROUGH_THE_BINARY;
      const r = binary ? (({ status, stdout, stderr }) => ({ status, out: stdout + stderr }))(runCli(['render', '--env', env, '--format', 'json'], repo)) : await cli(['render', '--env', env, '--format', 'json'], repo);
      expect([0, 1], `${label}\n${r.out}`).toContain(r.status);
      expect(r.out, label).not.toMatch(RAW_CONTROL);
      expect(r.out, label).not.toContain('internal error');
      expect(outside(repo, env), label).toEqual(elsewhereBefore);
      if (r.status === 1) {
        outcomes.refused++;
        const violations = JSON.parse(r.out).violations as { file: string | null; line: number | null }[];
        expect(violations.length, label).toBeGreaterThan(0);
        for (const v of violations) expect([v.file, v.line], `${label}\n${r.out}`).toEqual([expect.any(String), expect.any(Number)]);
        expect(readTree(path.join(repo, 'rendered', env)), label).toEqual(renderedBefore);
      } else {
        outcomes.accepted++;
        const v = await cli(['validate', `rendered/${env}`, '--format', 'json'], repo);
        expect(v.out, label).not.toMatch(RAW_CONTROL);
        expect(JSON.parse(v.out).violations.filter((f: { severity: string }) => f.severity === 'error'), `${label}: render accepted what validate refuses\n${mutant}`).toEqual([]);
        expect(v.status, label).toBe(0);
      }
    }
    // The mutator must exercise both outcomes, or the assertions above test little.
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(MUTANTS_PER_ENVIRONMENT / 4);
  }, 120_000);
});
