/**
 * Rendered YAML is read by YAML 1.1 parsers (kubectl, go-yaml v2) and YAML 1.2 ones (kustomize,
 * Argo CD): every string must come back as the same string from both, and bytes must be stable.
 */
import { parse, parseAllDocuments } from 'yaml';
import jsYaml from 'js-yaml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeFile, toYaml } from '../generator/write/serialize.js';
import { baseEnvironment, renderFiles } from './helpers.js';

const AMBIGUOUS = [
  // YAML 1.1 booleans, in the spellings go-yaml v2 and PyYAML accept
  'on', 'off', 'On', 'OFF', 'yes', 'no', 'Yes', 'NO', 'y', 'Y', 'n', 'N', 'true', 'False',
  // nulls
  'null', 'Null', '~', '',
  // numbers in either version: octal, hex, binary, exponent, sexagesimal, underscores, specials
  '0o17', '0x1F', '0b101', '012', '0777', '1e3', '-1.5', '+12', '1_000', '12:30', '1:2:3', '.inf', '-.Inf', '.NaN', '0.',
  // YAML 1.1 merge and value keys
  '<<', '=',
  // indicators and whitespace that change the structure
  '- x', 'a: b', '#comment', 'x #y', '@x', '`x', '%x', '!x', '*x', '&x', '{x}', '[x]', '|', '>', '?', ' lead', 'trail ', 'two\nlines',
];

const both = (text: string) => [parse(text, { version: '1.1' }), parse(text, { version: '1.2' }), jsYaml.load(text)];

describe('toYaml', () => {
  it.each(AMBIGUOUS)('writes %j so that YAML 1.1 and 1.2 read the same string back', (value) => {
    // As a key, "<<" is YAML 1.1's merge key whatever its quoting; the model only takes
    // Kubernetes-style keys for user maps, so it never reaches the writer as one.
    const object = value === '<<' ? { value } : { value, [value]: 'key' };
    for (const read of both(toYaml([object]))) expect(read).toEqual(object);
  });

  it('quotes the strings that would change meaning, and only those', () => {
    expect(toYaml([{ a: 'on', b: 'yes', c: 'NO', d: '0o17', e: '12:30', f: '012', g: '~', h: '1e3', i: 'null' }])).toBe(
      'a: "on"\nb: "yes"\nc: "NO"\nd: "0o17"\ne: "12:30"\nf: "012"\ng: "~"\nh: "1e3"\ni: "null"\n',
    );
    expect(toYaml([{ version: '1.18.5', address: '10.0.250.58', name: 'cls-dxgdg1rl', host: '*.local' }])).toBe(
      'version: 1.18.5\naddress: 10.0.250.58\nname: cls-dxgdg1rl\nhost: "*.local"\n',
    );
  });

  it('keeps real booleans and numbers unquoted', () => {
    expect(toYaml([{ EXTERNAL_ISTIOD: true, port: 15443, weight: 0 }])).toBe('EXTERNAL_ISTIOD: true\nport: 15443\nweight: 0\n');
  });

  it('round-trips any string map under YAML 1.1 and 1.2', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((k) => k !== '<<'), fc.string()), (map) => {
        const text = toYaml([{ map }]);
        for (const read of both(text)) expect(read).toEqual({ map });
      }),
      { numRuns: 300 },
    );
  });

  it('separates documents with ---', () => {
    const text = toYaml([{ kind: 'A' }, { kind: 'B' }]);
    expect(parseAllDocuments(text).map((d) => d.toJS())).toEqual([{ kind: 'A' }, { kind: 'B' }]);
  });
});

describe('rendered files', () => {
  /** An environment whose user-supplied strings are the worst YAML has to offer. */
  function trickyEnvironment() {
    const env = baseEnvironment('tricky');
    env.spec.meshID = 'yes';
    env.spec.clusters[0].network = 'on';
    env.spec.clusters[1].network = 'on';
    env.spec.clusters[0].eastWestGateway.annotations = { 'z.example.com/last': 'no', 'a.example.com/first': '0x1F', 'm.example.com/mid': '12:30' };
    env.spec.clusters[0].ingressGateway = { enabled: true, annotations: { 'b.example.com/x': 'y', 'a.example.com/y': '~' } };
    return env;
  }

  it('re-parse identically under YAML 1.1 and 1.2', () => {
    // The YAML files; the planning sheet (README.md) is markdown.
    for (const [file, text] of [...renderFiles(trickyEnvironment())].filter(([f]) => f.endsWith('.yaml'))) {
      const v11 = parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());
      const v12 = parseAllDocuments(text, { version: '1.2' }).map((d) => d.toJS());
      expect(v11, file).toEqual(v12);
      expect(jsYaml.loadAll(text), file).toEqual(v12);
    }
    const iop = parse(renderFiles(trickyEnvironment()).get('clusters/primary1/istio-operator.yaml')!, { version: '1.1' });
    expect(iop.spec.values.global.meshID).toBe('yes');
    expect(iop.spec.values.global.network).toBe('on');
  });

  it('are byte-identical for the same input', () => {
    expect(renderFiles(trickyEnvironment())).toEqual(renderFiles(trickyEnvironment()));
  });

  it('write user maps sorted, whatever order they were given in', () => {
    const iop = renderFiles(trickyEnvironment()).get('clusters/primary1/istio-operator.yaml')!;
    const eastWestKeys = [...iop.matchAll(/^ +([a-z]\.example\.com\/\w+):/gm)].map((m) => m[1]);
    expect(eastWestKeys).toEqual(['a.example.com/y', 'b.example.com/x', 'a.example.com/first', 'm.example.com/mid', 'z.example.com/last']);
  });

  it('start with the generated-from header, after a shebang line when there is one', () => {
    expect(serializeFile({ path: 'a.yaml', documents: [{ a: 1 }] }, 'environments/e/mesh.yaml')).toBe(
      '# Generated by meshops from environments/e/mesh.yaml. Do not edit: change the environment and run `meshops render`.\na: 1\n',
    );
    expect(serializeFile({ path: 'run.sh', text: '#!/bin/sh\necho hi\n', executable: true }, 'environments/e/mesh.yaml')).toBe(
      '#!/bin/sh\n# Generated by meshops from environments/e/mesh.yaml. Do not edit: change the environment and run `meshops render`.\necho hi\n',
    );
  });
});

describe('plain names', () => {
  it('writes names plain exactly when both YAML versions read them back, and every reader takes them back', () => {
    // Names of every shape; serialize.ts skips its parse for most of them, so the one-letter first
    // parts it must still quote ("e-1" is a YAML 1.1 float) are drawn on purpose.
    const name = fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9]{0,3}(?:[-.][a-z0-9]{1,3}){1,3}$/),
      fc.constantFrom('y-1', 'on-off', 'no.yes', 'e-1', 'e-10', 'e.1', 'x.inf', 'n.a', 'null-0', 'ee-1', 'e1-2'),
    );
    fc.assert(
      fc.property(name, (value) => {
        const text = toYaml([{ value }]);
        const readsBack = parse(value, { version: '1.1' }) === value && parse(value, { version: '1.2' }) === value;
        expect(text).toBe(readsBack ? `value: ${value}\n` : `value: ${JSON.stringify(value)}\n`);
        expect(parse(text, { version: '1.1' }).value).toBe(value);
        expect(parse(text, { version: '1.2' }).value).toBe(value);
        expect((jsYaml.load(text) as { value: unknown }).value).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes versions, addresses and paths plain exactly when both YAML versions read them back', () => {
    // serialize.ts decides these by the schemas' patterns instead of parsing: held to the parse here.
    const word = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_/][A-Za-z0-9_./-]{0,10}$/),
      fc.constantFrom('1.22', '1.22.3', '0x1F', '0b1_0', '1_000', '2001-12-14', '12:30', '0.', '1e3', '1.5e-3', 'Yes', 'ON', 'n', 'NULL', '0o17', '0777', '/inject/x', '10.0.0.0/20', '_x', '.5'),
    );
    fc.assert(
      fc.property(word, (value) => {
        const readsBack = parse(value, { version: '1.1' }) === value && parse(value, { version: '1.2' }) === value;
        expect(toYaml([{ value }])).toBe(readsBack ? `value: ${value}\n` : `value: ${JSON.stringify(value)}\n`);
      }),
      { numRuns: 2000 },
    );
  });
});
