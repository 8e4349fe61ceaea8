/**
 * A direct YAML writer for what the renderers produce, byte for byte what serialize.ts's `yaml`
 * Document path writes (block style, sequences not indented, no line folding), and about four
 * times faster: a 1,000-cluster render spent most of its time building and printing yaml Documents.
 * It writes only what it can reproduce exactly and declines the rest (returns undefined) so the
 * caller falls back to the yaml library: an object met twice (yaml writes an anchor and an alias),
 * a class instance, a non-integer number, a string outside printable ASCII, a key that needs quotes.
 * test/yaml-emitter.test.ts holds it to the library's output on random documents.
 */

/** Printable ASCII that both readers take plain; the first character is no YAML indicator. */
const SIMPLE_PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./:@=+~-]*$/;
/** Printable ASCII: double-quoted, yaml writes these exactly as JSON.stringify does. */
const PRINTABLE = /^[\x20-\x7e]*$/;
/** yaml writes keys longer than 1,024 characters as explicit `? key` entries. */
const MAX_KEY_LENGTH = 1000;

class Declined extends Error {}

/**
 * The YAML text of one document (a non-empty plain object), or undefined when it holds something
 * this writer does not reproduce. `plain(s)` says whether `s` may be written unquoted.
 */
export function emitYamlDocument(object: object, plain: (value: string) => boolean): string | undefined {
  const seen = new Set<object>();
  const lines: string[] = [];

  const scalar = (value: unknown, isKey: boolean): string => {
    if (typeof value === 'string') {
      if (plain(value) && value.length <= MAX_KEY_LENGTH && SIMPLE_PLAIN.test(value) && !value.endsWith(':')) return value;
      // yaml writes "<<" as the YAML 1.1 merge key whatever its style; a key that needs quotes may
      // be special in the same way, so both are left to the library.
      if (!isKey && !plain(value) && value !== '<<' && PRINTABLE.test(value)) return JSON.stringify(value);
      throw new Declined();
    }
    if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (value === null) return 'null';
    throw new Declined();
  };

  /** A collection's entries (key undefined for sequence items), or undefined for a scalar. */
  const entriesOf = (value: unknown): [string | undefined, unknown][] | undefined => {
    if (value === null || typeof value !== 'object') return undefined;
    if (seen.has(value)) throw new Declined();
    seen.add(value);
    if (Array.isArray(value)) {
      const items: [undefined, unknown][] = [];
      for (let i = 0; i < value.length; i++) {
        if (!(i in value) || value[i] === undefined) throw new Declined();
        items.push([undefined, value[i]]);
      }
      return items;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new Declined();
    // yaml leaves out pairs whose value is undefined.
    return Object.entries(value).filter(([, v]) => v !== undefined);
  };

  /**
   * Writes a non-empty collection at `indent`; `first` replaces the first line's indentation
   * (the "- " of an enclosing sequence item).
   */
  const collection = (entries: [string | undefined, unknown][], indent: string, first: string): void => {
    entries.forEach(([key, value], i) => {
      const lead = i === 0 ? first : indent;
      const head = key === undefined ? `${lead}- ` : `${lead}${scalar(key, true)}:`;
      const space = key === undefined ? '' : ' ';
      const children = entriesOf(value);
      if (children === undefined) {
        lines.push(`${head}${space}${scalar(value, false)}`);
      } else if (children.length === 0) {
        lines.push(`${head}${space}${Array.isArray(value) ? '[]' : '{}'}`);
      } else if (key === undefined) {
        // A collection inside a sequence item starts on the item's line, two columns in.
        collection(children, `${indent}  `, head);
      } else {
        lines.push(head);
        // Sequences are not indented under their key (indentSeq: false); mappings are.
        const childIndent = Array.isArray(value) ? indent : `${indent}  `;
        collection(children, childIndent, childIndent);
      }
    });
  };

  try {
    const entries = entriesOf(object);
    if (!entries || entries.length === 0 || Array.isArray(object)) return undefined;
    collection(entries, '', '');
  } catch (e) {
    if (e instanceof Declined) return undefined;
    throw e;
  }
  return `${lines.join('\n')}\n`;
}
