/**
 * A mesh file in the plain subset is read by js-yaml (generator/load/plain-yaml.ts); the `yaml`
 * library stays the authority. Wherever the fast reading answers, the `yaml` library must read the
 * same file without a complaint and to the same data: checked on every shipped environment, on a
 * bench fleet's environment, and on seeded mutants of them that put YAML's look-alike scalars and
 * keys where values and keys were.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainYamlData } from '../generator/load/plain-yaml.js';
import { parseYamlSource, parseYamlSourceFully } from '../generator/load/yaml-source.js';
import { writeSyntheticFleet } from '../scripts/synthetic-fleet.js';
import { REPO_ROOT } from './helpers.js';
import { seededRandom } from './seeded-random.js';

/** Where the fast reading answers, the `yaml` library reads the same data and finds nothing wrong. */
function expectReadAlike(text: string, label: string): boolean {
  const fast = plainYamlData(text);
  if (fast === undefined) return false;
  const full = parseYamlSourceFully('mesh.yaml', text);
  expect(full.ok ? [] : full.findings.map((f) => f.message), `${label}: the yaml library refuses what the fast reading took\n${text}`).toEqual([]);
  if (full.ok) expect(fast, `${label}: the two readings differ\n${text}`).toStrictEqual(full.source.data);
  return true;
}

const shipped = readdirSync(path.join(REPO_ROOT, 'environments'))
  .map((env) => path.join(REPO_ROOT, 'environments', env, 'mesh.yaml'))
  .filter((file) => {
    try {
      return readFileSync(file, 'utf8').length > 0;
    } catch {
      return false;
    }
  });

function benchEnvironment(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-plain-yaml-'));
  try {
    writeSyntheticFleet(dir, { clusters: 30, clustersPerEnvironment: 30, clustersPerNetwork: 10 });
    const [env] = readdirSync(path.join(dir, 'environments'));
    return readFileSync(path.join(dir, 'environments', env!, 'mesh.yaml'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Scalars YAML 1.2 core and other readers take differently, and text that changes the structure. */
const LOOK_ALIKES = [
  'null', 'Null', 'NULL', '~', '', 'true', 'True', 'TRUE', 'yes', 'no', 'on', 'off', 'y', '0', '-0', '+1', '012', '0o17', '0o19', '0x1F', '0xG',
  '0b101', '1_000', '1.', '.5', '+.5', '1e3', '1E-3', '1.5e', '.inf', '-.Inf', '.NaN', '.nan', '2024-01-01', '1.18', '1.30.1', "'quoted'", '"quoted"',
  "'it''s'", 'a: b', 'a #c', 'a#c', '- x', ': x', '#', '"', "'", '-', 'x:', '  y: 1', '\n  z: 2', '\n- w',
];

function mutate(text: string, next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const lines = text.split('\n');
  for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
    const i = Math.floor(next() * lines.length);
    const line = lines[i]!;
    const colon = line.indexOf(': ');
    switch (Math.floor(next() * 5)) {
      case 0: // a value replaced
        if (colon >= 0) lines[i] = `${line.slice(0, colon + 2)}${pick(LOOK_ALIKES)}`;
        break;
      case 1: {
        // a key replaced
        const indent = /^[\s-]*/.exec(line)![0];
        if (colon >= 0) lines[i] = `${indent}${pick(LOOK_ALIKES)}${line.slice(colon)}`;
        break;
      }
      case 2: // a line repeated, or dropped
        if (next() < 0.5) lines.splice(i, 0, line);
        else lines.splice(i, 1);
        break;
      case 3: // indentation changed
        lines[i] = next() < 0.5 ? ` ${line}` : line.replace(/^ /, '');
        break;
      default: // text inserted
        lines[i] = `${line.slice(0, Math.floor(next() * (line.length + 1)))}${pick(LOOK_ALIKES)}${line.slice(Math.floor(next() * (line.length + 1)))}`;
    }
  }
  return lines.join('\n');
}

describe('the fast reading of plain mesh files', () => {
  it('reads a bench fleet environment and the plain shipped environments as the yaml library does (braces inside a value are text)', () => {
    expect(expectReadAlike(benchEnvironment(), 'bench environment')).toBe(true);
    const fast = shipped.filter((file) => expectReadAlike(readFileSync(file, 'utf8'), path.relative(REPO_ROOT, file)));
    expect(fast.length).toBeGreaterThan(0);
  });

  it('agrees with the yaml library on every seeded mutant it takes', () => {
    // Mutants of the files it reads (hand-written environments in flow style go to the yaml library whole).
    const sources = [benchEnvironment(), ...shipped.map((file) => readFileSync(file, 'utf8'))].filter((text) => plainYamlData(text) !== undefined);
    let taken = 0;
    sources.forEach((source, s) => {
      const next = seededRandom(1400 + s);
      for (let i = 0; i < 400; i++) if (expectReadAlike(mutate(source, next), `source ${s} mutant ${i}`)) taken++;
    });
    // The property is only worth its name if the fast reading answered for many mutants.
    expect(taken).toBeGreaterThan(200);
  });

  it.each([
    ['a key YAML reads as null', 'spec:\n  null: 1\n'],
    ['a key YAML reads as a number', 'spec:\n  1: x\n'],
    ['a key YAML reads as a boolean', 'spec:\n  true: x\n'],
    ['__proto__', 'spec:\n  __proto__: off\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow collection', 'a: [1, 2]\n'],
    ['a flow mapping in a sequence', 'a:\n  - {b: 1}\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['an escape', 'a: "\\x41"\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['a CR', 'a: 1\r\nb: 2\r\n'],
    ['text beyond ASCII', 'a: é\n'],
    ['a repeated key', 'a: 1\na: 2\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a document that is not a mapping', '- a\n- b\n'],
    ['an empty file', ''],
    ['a syntax error', 'a: b: c\n'],
  ])('leaves %s to the yaml library', (_, text) => {
    expect(plainYamlData(text)).toBeUndefined();
  });

  it('takes positions from the yaml library when a finding asks for one', () => {
    const text = 'spec:\n  istio:\n    version: "1.24.2"\n  clusters:\n    - name: a\n      role: primary\n';
    const parsed = parseYamlSource('mesh.yaml', text);
    if (!parsed.ok) throw new Error('expected a plain file to parse');
    expect(plainYamlData(text)).toBeDefined();
    expect(parsed.source.locate(['spec', 'clusters', 0, 'role'])).toEqual({ line: 6, column: 7 });
    expect(parsed.source.locate(['spec', 'istio', 'missing'])).toEqual({ line: 2, column: 3 });
  });
});
