/**
 * The yaml library's block style, written straight from the rendered objects. Building a yaml
 * Document per manifest (a node per value, a visit, a stringify with a context object per pair)
 * was half of a large render's time; the layout the renderer's documents need is small: maps and
 * sequences in block style, empty ones as `{}` and `[]`, and scalars that stand on one line.
 *
 * The output is byte for byte what `Document.toString({ lineWidth: 0, indentSeq: false })` writes
 * (test/block-yaml.test.ts holds the two equal on generated documents). Anything outside that
 * layout returns undefined and the caller takes the library's path: an object met twice (the
 * library writes anchors and aliases), an undefined item or a non-finite number, a class instance,
 * a string on several lines or starting like a document marker (its layout depends on where it
 * stands), or a key longer than an implicit key may be.
 */

/** A scalar string as it is written anywhere in a block collection, or undefined when that depends on where it stands. */
export type StringWriter = (value: string) => string | undefined;

/** The library writes a key longer than this as an explicit `? key`. */
const MAX_IMPLICIT_KEY = 1024;

/** Thrown from deep in a document to leave it to the library; never escapes blockDocument. */
const OUTSIDE = new Error('outside the block layout');

/** `document` as one YAML document (ending in a newline), or undefined when it is outside the layout. */
export function blockDocument(document: object, writeString: StringWriter): string | undefined {
  const seen = new Set<object>();
  const scalar = (value: unknown): string => {
    switch (typeof value) {
      case 'string': {
        const text = writeString(value);
        if (text === undefined) throw OUTSIDE;
        return text;
      }
      case 'number':
        if (!Number.isFinite(value)) throw OUTSIDE;
        return Object.is(value, -0) ? '-0' : JSON.stringify(value);
      case 'boolean':
        return value ? 'true' : 'false';
      default:
        if (value === null) return 'null';
        throw OUTSIDE;
    }
  };
  /** A plain object or array, each met once: the library would alias a second meeting. */
  const collection = (value: unknown): 'map' | 'seq' | undefined => {
    if (value === null || typeof value !== 'object') return undefined;
    if (seen.has(value)) throw OUTSIDE;
    seen.add(value);
    if (Array.isArray(value)) return 'seq';
    const proto = Object.getPrototypeOf(value);
    if ((proto !== Object.prototype && proto !== null) || Symbol.iterator in value || typeof (value as { toJSON?: unknown }).toJSON === 'function') throw OUTSIDE;
    return 'map';
  };
  /** A map's pairs at `indent`; '' when it has none (undefined values are left out). */
  const map = (object: Record<string, unknown>, indent: string): string => {
    let out = '';
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (value === undefined) continue;
      const keyText = scalar(key);
      if (keyText.length > MAX_IMPLICIT_KEY) throw OUTSIDE;
      const line = `${keyText}:${pairValue(value, indent)}`;
      out += out ? `\n${indent}${line}` : line;
    }
    return out;
  };
  /** What follows "key:": a space and a scalar or empty collection, or the collection on the next lines. */
  const pairValue = (value: unknown, indent: string): string => {
    const kind = collection(value);
    if (kind === 'seq') {
      // indentSeq: false, a sequence's dashes stand at its key's indent
      const items = seq(value as unknown[], indent);
      return items ? `\n${indent}${items}` : ' []';
    }
    if (kind === 'map') {
      const inner = `${indent}  `;
      const pairs = map(value as Record<string, unknown>, inner);
      return pairs ? `\n${inner}${pairs}` : ' {}';
    }
    return ` ${scalar(value)}`;
  };
  /** A sequence's items at `indent`; '' when it has none. */
  const seq = (items: readonly unknown[], indent: string): string => {
    let out = '';
    const inner = `${indent}  `;
    for (let i = 0; i < items.length; i++) {
      const line = `- ${node(items[i], inner)}`;
      out += i ? `\n${indent}${line}` : line;
    }
    return out;
  };
  /** A value standing where its first line is already indented (a document, a sequence item). */
  const node = (value: unknown, indent: string): string => {
    const kind = collection(value);
    if (kind === 'seq') return seq(value as unknown[], indent) || '[]';
    if (kind === 'map') return map(value as Record<string, unknown>, indent) || '{}';
    if (value === undefined) throw OUTSIDE;
    return scalar(value);
  };
  try {
    return `${node(document, '')}\n`;
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}
