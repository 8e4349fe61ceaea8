/**
 * The lines validate reports come from js-yaml's own parse (generator/validate/node-lines.ts); they
 * must be the lines `yaml`'s syntax tree gives for the same field, which is what a second parse used
 * to compute. Checked for every field of every rendered file and of hand-written odd YAML.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { FieldPath } from '../generator/findings.js';
import { parseManifestText } from '../generator/validate/manifests.js';
import { REPO_ROOT } from './helpers.js';

/** The line of the field at `fieldPath` (or its closest ancestor) in `yaml`'s syntax tree of a file. */
function yamlLines(text: string): (index: number, fieldPath: FieldPath) => number | undefined {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  return (index, fieldPath) => {
    const doc = Array.isArray(docs) ? docs[index] : undefined;
    if (!doc) return undefined;
    let node = doc.contents as Node | null;
    let best = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    for (const segment of fieldPath) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        best = lineCounter.linePos((pair.key as Node).range![0]).line;
        node = pair.value as Node | null;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        best = lineCounter.linePos(item.range![0]).line;
        node = item;
      } else break;
    }
    return best;
  };
}

/** Every field path of a parsed value, plus one missing field below each mapping. */
function fieldPaths(value: unknown, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...fieldPaths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    out.push([...prefix, 'no-such-field']);
    for (const [k, v] of Object.entries(value)) out.push(...fieldPaths(v, [...prefix, k]));
  }
  return out;
}

function expectSameLines(text: string, name: string): void {
  const file = parseManifestText(text, name);
  expect(file.parseError, name).toBeUndefined();
  const yamlLine = yamlLines(text);
  for (const doc of file.docs) {
    for (const fieldPath of fieldPaths(doc.object)) {
      expect({ name, fieldPath, line: file.lineOf(doc.index, fieldPath) }).toEqual({ name, fieldPath, line: yamlLine(doc.index, fieldPath) });
    }
  }
}

describe('field lines from the single parse', () => {
  it('match yaml for every field of every rendered file', () => {
    const rendered = path.join(REPO_ROOT, 'rendered');
    const files = readdirSync(rendered, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name));
    expect(files.length).toBeGreaterThan(20);
    for (const e of files) expectSameLines(readFileSync(path.join(e.parentPath, e.name), 'utf8'), path.join(e.parentPath, e.name));
  });

  it.each([
    ['flow collections', 'a: {b: 1, c: [x, {d: 2}]}\ne: [1, 2]\n'],
    ['keys without values', 'a:\nb: 1\nc:\n  d:\n  e: [f]\n'],
    ['quoted and numeric keys', '"a b": 1\n\'c\': {"d": 2}\n1: x\ntrue: y\n'],
    ['comments, several documents and empty ones', '# head\n---\n# c\nkind: A\n---\n---\nkind: B\nspec:\n  # c\n  x:\n  - 1\n  -   y: 2\n      z: 3\n'],
    ['block scalars and multi-line plain scalars', 'a: |\n  text: not a key\nb: >-\n  folded\nc: plain\n  continued\nd: 1\n'],
    ['anchors, aliases and merge keys', 'base: &b {x: 1}\nuse: *b\nm:\n  <<: *b\n  y: 2\nl: &l\n- 1\n'],
    ['a byte order mark', '\ufeffa:\n  b: 1\n'],
    ['nested sequences', 'a:\n- - 1\n  - b: 2\n- c\n'],
    // Two bytes a node: more nodes than the recorder reserves for a file this size, so it grows.
    ['far more nodes than bytes over eight', `a: [${Array.from({ length: 600 }, () => '1').join(',')}]\nb:\n${'- [x,y]\n'.repeat(200)}`],
  ])('match yaml with %s', (_, text) => expectSameLines(text, 'x.yaml'));
});
