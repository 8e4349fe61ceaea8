/**
 * A fast reading of the plainest mesh files. The `yaml` library stays the authority on input YAML
 * (data, positions, every syntax message), but it takes about 0.4 s to read the ten mesh files of a
 * 1,000-cluster fleet, most of a render's own work; js-yaml reads them in under 0.1 s. So a file
 * written in the plain subset of YAML below is read by js-yaml, and only the data is taken from it:
 * positions come from the `yaml` library when a finding first needs one (yaml-source.ts). What
 * could read differently is kept out, so both parsers give the same data
 * (test/plain-yaml.test.ts holds them equal on the shipped environments and seeded mutants):
 * - by the text: printable ASCII only, no tabs or CRs, lines of at most 1,024 characters (the
 *   `yaml` library's limit for a key), no escapes, and nothing where a node starts that makes it an
 *   anchor, alias, tag, directive, block scalar, flow collection or explicit key;
 * - by the result: one document, a mapping, no key repeated (js-yaml refuses it), and every key a
 *   string that no YAML 1.2 core type reads as something else (`null`, `1`, `true` keys are
 *   stringified differently by the two), and no `__proto__`;
 * - plain scalars are resolved by the `yaml` library's own YAML 1.2 core tags, in its order.
 * Anything else, errors included, goes to the `yaml` library as before.
 */
import jsYaml from 'js-yaml';
import { isScalar, Schema, type ScalarTag } from 'yaml';

/** The YAML 1.2 core schema's scalar tags other than str, in the order the `yaml` library tries them. */
const CORE_SCALAR_TAGS = new Schema({ schema: 'core' }).tags.filter((tag): tag is ScalarTag & { test: RegExp } => !('collection' in tag && tag.collection) && tag.test instanceof RegExp);

const coreTagOf = (text: string): (ScalarTag & { test: RegExp }) | undefined => CORE_SCALAR_TAGS.find((tag) => tag.test.test(text));

/** js-yaml reads a plain scalar as the `yaml` library does: the first core tag whose pattern matches, resolved by that tag. */
const CORE_SCALAR = new jsYaml.Type('tag:meshops.dev,2026:yaml-1.2-core-scalar', {
  kind: 'scalar',
  resolve: (text: string) => coreTagOf(text) !== undefined,
  // The `yaml` library's defaults (no BigInt), and a tag may wrap its value in a Scalar (bool, float).
  construct: (text: string) => {
    const value = coreTagOf(text)!.resolve(text, () => undefined, {});
    return isScalar(value) ? value.value : value;
  },
});

const PLAIN_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({ implicit: [CORE_SCALAR] });

/** Printable ASCII and line feeds. */
const PLAIN_TEXT = /^[\n\x20-\x7e]*$/;
/**
 * Where a node may start (after indentation, `: ` or `- `), the indicators of anchors, aliases, tags,
 * directives, block scalars, flow collections, explicit keys and reserved characters; inside a plain
 * scalar (`istio/remote-secrets/{cluster}`) they are text to both parsers. Escapes anywhere.
 */
const BEYOND_PLAIN = /(?:^ *|[:-] +)[&*!%|>{}[\]?@`]|\\/m;

/** The data of a mesh file in the plain subset, or undefined: then only the `yaml` library may read it. */
export function plainYamlData(text: string): Record<string, unknown> | undefined {
  if (!PLAIN_TEXT.test(text) || BEYOND_PLAIN.test(text)) return undefined;
  if (!text.split('\n').every((line) => line.length <= 1024 && quotesCloseOnTheirLine(line))) return undefined;
  let data: unknown;
  try {
    data = jsYaml.load(text, { schema: PLAIN_SCHEMA, json: false });
  } catch {
    return undefined;
  }
  return isMapping(data) && keysReadAlike(data) ? data : undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function keysReadAlike(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysReadAlike);
  if (!isMapping(value)) return true;
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__' || coreTagOf(key) !== undefined || !keysReadAlike(item)) return false;
  }
  return true;
}

/**
 * Whether every quoted scalar that starts on the line (where a node starts: after indentation and
 * `- `, or after `: `) also ends on it, with only a `:` or a comment after it. The parsers fold a
 * quoted scalar continued on the next lines differently (`yaml` holds its lines to the block's
 * indentation, js-yaml does not), so such a file is left to the `yaml` library.
 */
function quotesCloseOnTheirLine(line: string): boolean {
  let i = 0;
  const skipSpaces = () => {
    while (line[i] === ' ') i++;
  };
  skipSpaces();
  while (line[i] === '-' && (line[i + 1] === ' ' || i + 1 === line.length)) {
    i++;
    skipSpaces();
  }
  for (;;) {
    if (i >= line.length || line[i] === '#') return true;
    const quote = line[i];
    if (quote === '"' || quote === "'") {
      // '' is a quote inside single quotes; no escapes reach here.
      let end = i + 1;
      for (;;) {
        end = line.indexOf(quote, end);
        if (end < 0) return false;
        if (quote === "'" && line[end + 1] === "'") end += 2;
        else break;
      }
      i = end + 1;
      skipSpaces();
      if (i >= line.length || line[i] === '#') return true;
      if (line[i] !== ':') return false;
      i++;
      skipSpaces();
      continue;
    }
    // A plain scalar runs to `: ` (then a value starts) or to ` #` or the line's end.
    const colon = line.indexOf(': ', i);
    const comment = line.indexOf(' #', i);
    if (colon < 0 || (comment >= 0 && comment < colon)) return true;
    i = colon + 2;
    skipSpaces();
  }
}
