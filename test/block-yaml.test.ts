/**
 * The direct writer (generator/write/block-yaml.ts) writes what the yaml library writes, byte for
 * byte, and it is the path the renderer's documents take.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockDocument } from '../generator/write/block-yaml.js';
import { blockString, libraryDocumentYaml, toYaml } from '../generator/write/serialize.js';
import { renderEnvironment } from '../generator/render/environment.js';
import { baseEnvironment, model, vmEnvironment } from './helpers.js';

/** Strings the library quotes, escapes, folds or lays out by position, and names it writes plain. */
const TRICKY = [
  'on', 'No', 'y', '~', '', 'null', '0o17', '012', '1e3', '12:30', '.inf', '0x1F', '<<', '=', '-', '?', '- x', 'a: b', 'a:b', 'x #y', '#x',
  '*.local', '&x', '!x', '%x', '@x', '`x', '|', '>', '[x]', '{x}', ',x', ' lead', 'trail ', 'tab\there', 'it\'s', 'say "hi"', `both ' and "`,
  'back\\slash', '---', '---x', '...', '...x', 'two\nlines', 'ends\n', 'script\n  indented\n', '\nlead', 'cr\rhere', 'nel\u0085', 'nbsp\u00a0',
  'ls\u2028', 'bell\u0007', 'esc\u001b', 'lone\ud800', 'naïve', '日本', 'k'.repeat(1100), 'cls-dxgdg1rl', 'topology.istio.io/network', '10.0.0.1',
  '1.22.3', 'e-1', 'EXTERNAL_ISTIOD', 'a b c', 'x: ', 'http://a:80/b',
];

const text = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.stringMatching(/^[a-z][a-z0-9]{0,3}(?:[-.][a-z0-9]{1,3}){0,3}$/),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
/** Numbers, with the ones JSON and YAML spell differently (-0, exponents) drawn on purpose. */
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, 0.5, 1e21, 5e-7, -1e-300, Number.MAX_SAFE_INTEGER + 2));
const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null));

/** Documents of any shape: nested maps and sequences, empty ones, undefined map values. */
const { document } = fc.letrec<{ value: unknown; map: Record<string, unknown>; seq: unknown[]; document: object }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
  map: fc.dictionary(text, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
  seq: fc.array(tie('value'), { maxLength: 4 }),
  document: fc.oneof(tie('map'), tie('seq')) as fc.Arbitrary<object>,
}));

/** Documents of the renderer's layout: what the direct writer must take, not leave to the library. */
const oneLine = text.filter((s) => !s.includes('\n') && !/^(?:%|---|\.\.\.)/.test(s) && s.length <= 1000);
const { inLayout } = fc.letrec<{ value: unknown; map: Record<string, unknown>; inLayout: object }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, oneLine, number.filter(Number.isFinite), fc.boolean(), fc.constant(null), tie('map'), fc.array(tie('value'), { maxLength: 4 })),
  map: fc.dictionary(oneLine, tie('value'), { maxKeys: 5 }),
  inLayout: tie('map') as fc.Arbitrary<object>,
}));

describe('block-yaml', () => {
  it('writes every document byte for byte as the yaml library does', () => {
    fc.assert(
      fc.property(document, (doc) => {
        expect(toYaml([doc])).toBe(libraryDocumentYaml(doc));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes documents of the renderer layout itself', () => {
    fc.assert(
      fc.property(inLayout, (doc) => {
        expect(blockDocument(doc, blockString)).toBe(libraryDocumentYaml(doc));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes each string as the library does, as a key and as a value, wherever it stands', () => {
    for (const value of TRICKY) {
      const written = blockString(value);
      if (written === undefined) continue;
      const nested = { a: { b: [[{ [value]: [value] }]] } };
      expect(blockDocument({ value }, blockString), JSON.stringify(value)).toBe(libraryDocumentYaml({ value }));
      expect(toYaml([{ [value]: value }]), JSON.stringify(value)).toBe(libraryDocumentYaml({ [value]: value }));
      expect(toYaml([nested]), JSON.stringify(value)).toBe(libraryDocumentYaml(nested));
    }
    expect(['a: b', '<<', 'x'.repeat(2000)].map(blockString)).toEqual(['"a: b"', '<<', 'x'.repeat(2000)]);
    expect(['two\nlines', '---x', '...'].map(blockString)).toEqual([undefined, undefined, undefined]);
  });

  it('leaves to the library what only the library lays out: an object met twice (anchors), an undefined item, a long key', () => {
    const shared = { port: 15443 };
    const docs = [{ a: shared, b: shared }, { items: [1, undefined] }, { ['k'.repeat(1100)]: 1 }, { n: Number.NaN }, { d: new Date(0) }, { script: 'a\nb\n' }];
    for (const doc of docs) {
      expect(blockDocument(doc, blockString)).toBeUndefined();
      expect(toYaml([doc])).toBe(libraryDocumentYaml(doc));
    }
    expect(toYaml([docs[0]!])).toContain('&a1');
  });

  it('takes every rendered document with no string on several lines', () => {
    const environments = [baseEnvironment('direct'), vmEnvironment({ vmNetwork: 'vm-network' })];
    let direct = 0;
    for (const input of environments) {
      const m = model(input);
      for (const file of renderEnvironment(m, `environments/${m.metadata.name}/mesh.yaml`).files) {
        for (const doc of file.documents ?? []) {
          const multiLine = JSON.stringify(doc).includes('\\n');
          expect(blockDocument(doc, blockString) === undefined, `${file.path}: ${JSON.stringify(doc).slice(0, 80)}`).toBe(multiLine);
          if (!multiLine) direct++;
        }
      }
    }
    expect(direct).toBeGreaterThan(10);
  });
});
