/** The fast YAML writer must write exactly what the yaml library path writes, or decline. */
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { libraryYaml, toYaml } from '../generator/write/serialize.js';
import { emitYamlDocument } from '../generator/write/yaml-emitter.js';

/** Strings YAML 1.1 or 1.2 readers take for something else, indicators, escapes, long and non-ASCII text. */
const TRICKY = [
  '', ' ', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', 'null', 'NULL', '~', '<<', '=', '0', '017', '0o17', '0x1F', '0b101',
  '1_000', '1e3', '.5', '1.0', '-1', '+1', '.inf', '-.Inf', '.NaN', '12:30', '190:20:30', '2020-01-01', '2001-12-14t21:59:43.10-05:00',
  '-', '?', ':', 'a: b', 'a:', 'a:b', 'a #b', 'a#b', '*.local', '&x', '!tag', '%x', '@x', '`x', '|', '>', '#x', '---', '...', '...a',
  '--x', '-a', '?a', 'a,b', '[x]', '{x}', "it's", 'say "hi"', 'back\\slash', 'line\nbreak', 'two\n\nbreaks', 'tab\there', ' lead',
  'trail ', 'ünïcödé', 'emoji 🙂', '\u0085', '\u2028', 'ctrl\u0007', 'del\u007f', 'x'.repeat(1100), '15443', 'http://x.example:8080/p?q=1',
  'istio-system', 'topology.istio.io/network', 'fleet-000-c00001', '10.0.0.0/16', '192.168.0.1', 'a=b', 'a~b', '_x', '/abs', 'a/b:c@d+e',
];

const key = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 8 }), fc.stringMatching(/^[a-z][a-z0-9.\/-]{0,12}$/));
const anyScalar = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, 2 ** 60, Number.MAX_SAFE_INTEGER + 2, 1.5),
  fc.boolean(),
  fc.constant(null),
);
/** What renderers produce: printable ASCII strings, whole numbers, booleans, null; mostly written by the emitter itself. */
const renderedScalar = fc.oneof(
  fc.constantFrom(...TRICKY.filter((s) => /^[\x20-\x7e]*$/.test(s) && s.length < 100)),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[a-z0-9][a-z0-9.\/:-]{0,20}$/),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

function documents(keys: fc.Arbitrary<string>, scalars: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalars,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(keys, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
    ),
  }));
  return fc.dictionary(keys, value, { minKeys: 1, maxKeys: 6 });
}

describe('yaml-emitter', () => {
  it('writes random documents byte for byte as the yaml library path does', () => {
    fc.assert(
      fc.property(documents(key, anyScalar), (doc) => {
        expect(toYaml([doc])).toBe(libraryYaml(doc));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes random rendered-like documents byte for byte as the yaml library path does', () => {
    fc.assert(
      fc.property(documents(fc.stringMatching(/^[a-z][a-z0-9.\/-]{0,12}$/), renderedScalar), (doc) => {
        expect(toYaml([doc])).toBe(libraryYaml(doc));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes names plain exactly when both YAML versions read them back, and every reader takes them back', () => {
    // Names of every shape, the one-letter first parts the writer has to quote ("e-1" is a YAML 1.1 float) included.
    const name = fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9]{0,3}(?:[-.][a-z0-9]{1,3}){1,3}$/),
      fc.constantFrom('y-1', 'on-off', 'no.yes', 'e-1', 'e-10', 'e.1', 'x.inf', 'n.a', 'null-0', 'ee-1', 'e1-2'),
    );
    fc.assert(
      fc.property(name, (value) => {
        const text = toYaml([{ value }]);
        // Plain exactly when both YAML versions read the bare word back as itself.
        const readsBack = parse(value, { version: '1.1' }) === value && parse(value, { version: '1.2' }) === value;
        expect(text).toBe(readsBack ? `value: ${value}\n` : `value: ${JSON.stringify(value)}\n`);
        expect(parse(text, { version: '1.1' }).value).toBe(value);
        expect(parse(text, { version: '1.2' }).value).toBe(value);
        expect((jsYaml.load(text) as { value: unknown }).value).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes rendered-looking documents itself rather than declining them', () => {
    const gateway = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'cross-network-gateway', namespace: 'istio-system', labels: {} },
      spec: {
        selector: { istio: 'eastwestgateway' },
        servers: [{ port: { name: 'tls', number: 15443, protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }],
        nested: [[1, 'two'], [], [{ a: [true, null] }]],
        annotations: { 'istio/multiCluster': 'true', port: '15443' },
      },
    };
    const plain = (s: string) => libraryYaml({ s }) === `s: ${s}\n`;
    const text = emitYamlDocument(gateway, plain);
    expect(text).toBeDefined();
    expect(text).toBe(libraryYaml(gateway));
  });

  it('declines what it cannot reproduce, and the library writes it', () => {
    const shared = { port: 15443 };
    const plain = () => true;
    expect(emitYamlDocument({ a: shared, b: shared }, plain)).toBeUndefined();
    expect(emitYamlDocument({ when: new Date(0) }, plain)).toBeUndefined();
    expect(emitYamlDocument({ ratio: 0.5 }, plain)).toBeUndefined();
    expect(toYaml([{ a: shared, b: shared }])).toBe(libraryYaml({ a: shared, b: shared }));
    expect(toYaml([{ a: shared, b: shared }])).toContain('*');
  });
});
