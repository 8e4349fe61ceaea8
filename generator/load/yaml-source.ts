/**
 * YAML input with source positions. Parsing is strict about what hand-written mesh files get wrong:
 * duplicate keys, multiple documents, alias bombs, and files too large to be a mesh definition.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair } from 'yaml';
import type { FieldPath, Finding } from '../findings.js';

import { MAX_INPUT_BYTES } from './environment-files.js';
import { plainYamlData } from './plain-yaml.js';

export { MAX_INPUT_BYTES };
/** Aliases are legitimate for sharing a locality or annotations block; a bomb needs thousands. */
export const MAX_ALIAS_COUNT = 100;


export interface Position {
  line: number;
  column: number;
}

export interface SourceDocument {
  file: string;
  data: unknown;
  /** The position of the field at `path`, or of its closest existing ancestor. */
  locate(path: FieldPath): Position | undefined;
}

const syntaxFinding = (file: string, message: string, pos?: Position): Finding => ({
  rule: 'input-syntax',
  severity: 'error',
  message,
  file,
  line: pos?.line,
  column: pos?.column,
});

/** The finding for a mesh file over MAX_INPUT_BYTES (checked before reading it, too). */
export function oversizeFinding(file: string): Finding {
  return syntaxFinding(file, `the file is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; no mesh definition is that big, refusing to read it`, START);
}

const START: Position = { line: 1, column: 1 };

/** Deeper than any mesh file nests (about 8 levels); the parser's cost grows steeply with depth. */
export const MAX_FLOW_DEPTH = 64;
/**
 * The alias resolver's budget for what aliases expand to (the yaml library's measure: uses of an
 * anchor times the aliases inside it), on top of the MAX_ALIAS_COUNT aliases a file may hold.
 */
const MAX_ALIAS_EXPANSION = 10_000;

export type ParsedYamlSource = { ok: true; source: SourceDocument } | { ok: false; findings: Finding[] };

/**
 * A mesh file's data with its positions. A file in the plain subset (plain-yaml.ts) is read by
 * js-yaml, and the `yaml` library reads it only when a position is first asked for; any other file
 * is read by the `yaml` library at once.
 */
export function parseYamlSource(file: string, input: string): ParsedYamlSource {
  if (Buffer.byteLength(input, 'utf8') > MAX_INPUT_BYTES) return { ok: false, findings: [oversizeFinding(file)] };
  const data = plainYamlData(input);
  if (data === undefined) return parseYamlSourceFully(file, input);
  let full: ParsedYamlSource | undefined;
  const locate = (path: FieldPath): Position | undefined => {
    full ??= parseYamlSourceFully(file, input);
    return full.ok ? full.source.locate(path) : START;
  };
  return { ok: true, source: { file, data, locate } };
}

/** A mesh file read by the `yaml` library: data, positions and every syntax finding. */
export function parseYamlSourceFully(file: string, input: string): ParsedYamlSource {
  const syntax = (message: string, pos?: Position) => syntaxFinding(file, message, pos);
  if (Buffer.byteLength(input, 'utf8') > MAX_INPUT_BYTES) return { ok: false, findings: [oversizeFinding(file)] };
  // A lone CR is a line break in YAML 1.2 (old Mac files); the parser only knows LF and CRLF.
  // One character for one, so every offset and line stays where it was.
  const text = input.includes('\r') ? input.replace(/\r(?!\n)/g, '\n') : input;
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const deep = flowDepthExceeded(text);
  if (deep !== undefined) {
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0 && i < deep; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    return { ok: false, findings: [syntax(`flow collections ([ or {) nest more than ${MAX_FLOW_DEPTH} deep; no mesh definition does, refusing to parse it`, at(deep))] };
  }
  // uniqueKeys is checked here, not by the parser: its check compares every key with every other
  // (quadratic: 50,000 keys took half a minute).
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true, version: '1.2' });
  // Duplicate keys are independent of each other; after any other syntax error the parser's
  // further complaints are mostly its consequences, so only the first one is reported.
  const firstOther = [...doc.errors, ...doc.warnings][0];
  const problems: { offset: number; message: string }[] = keyProblems(doc, at);
  if (firstOther) problems.push({ offset: firstOther.pos[0], message: describeYamlError(firstOther.code, firstOther.message) });
  if (problems.length > 0) {
    return { ok: false, findings: problems.sort((a, b) => a.offset - b.offset).map((p) => syntax(p.message, at(p.offset))) };
  }
  const aliasProblem = checkAliases(doc);
  if (aliasProblem) return { ok: false, findings: [syntax(aliasProblem.message, at(aliasProblem.offset))] };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch {
    // Aliases are all defined (checked above): the only throw left is the expansion budget.
    return {
      ok: false,
      findings: [
        syntax(
          `aliases (*name) expand to too many nodes (limit ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} expansions): refusing what looks like an alias bomb ("billion laughs"); repeat the values instead`,
          firstAlias(doc, at),
        ),
      ],
    };
  }
  const index = new WeakMap<object, Map<string, Pair>>();
  return { ok: true, source: { file, data, locate: (path) => locateInDocument(doc, path, at, index) ?? START } };
}

/**
 * The offset where flow collections first nest deeper than MAX_FLOW_DEPTH, if they do. A `[` or
 * `{` opens a collection only after white space, or right after an indicator inside a flow
 * collection (in `a[b` it is part of a plain scalar); quoted scalars and comments are skipped.
 */
function flowDepthExceeded(text: string): number | undefined {
  let depth = 0;
  let previous = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    // After a space or a line break; inside a flow collection also right after [ { , or :.
    const opensHere = previous === '\n' || previous === ' ' || previous === '\t' || (depth > 0 && '[{,:'.includes(previous));
    if ((c === '"' || c === "'") && opensHere) {
      // A quoted scalar: to its closing quote ('' and \" stay inside).
      for (i++; i < text.length; i++) {
        if (c === '"' && text[i] === '\\') i++;
        else if (text[i] === c) {
          if (c === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === '#' && (previous === '\n' || previous === ' ' || previous === '\t')) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
      previous = ' ';
      continue;
    } else if ((c === '[' || c === '{') && opensHere) {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    previous = c === '\r' ? '\n' : c;
  }
  return undefined;
}

/** One finding per repeated key, naming it and where it was first set, and per key that is a collection; linear in the keys. */
function keyProblems(doc: Document, at: (offset: number) => Position): { offset: number; message: string }[] {
  const found: { offset: number; message: string }[] = [];
  visit(doc, {
    Map(_, map) {
      const first = new Map<unknown, Node>();
      for (const pair of map.items) {
        if (isMap(pair.key) || isSeq(pair.key)) {
          // JavaScript objects key by strings: the parser would print a warning of its own and key it by its text.
          found.push({ offset: pair.key.range?.[0] ?? 0, message: 'a key is a list or mapping; a mesh file keys its fields by name' });
          continue;
        }
        if (!isScalar(pair.key)) continue;
        const earlier = first.get(pair.key.value);
        if (!earlier) {
          first.set(pair.key.value, pair.key);
          continue;
        }
        const offset = pair.key.range?.[0] ?? 0;
        const firstLine = earlier.range ? ` (first set on line ${at(earlier.range[0]).line})` : '';
        found.push({ offset, message: `duplicate key ${JSON.stringify(String(pair.key.value))}${firstLine}: a key may appear only once in a mapping; remove one of them` });
      }
    },
  });
  return found;
}

/**
 * Every alias names an anchor set before it, and there are at most MAX_ALIAS_COUNT of them. Counted
 * before resolving: the parser resolves each alias by a search of the whole document.
 */
function checkAliases(doc: Document): { offset: number; message: string } | undefined {
  const anchors = new Set<string>();
  let count = 0;
  let problem: { offset: number; message: string } | undefined;
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) {
        const offset = node.range?.[0] ?? 0;
        if (!anchors.has(node.source)) {
          problem = { offset, message: `undefined alias *${node.source}: no anchor &${node.source} is set before it` };
          return visit.BREAK;
        }
        if (++count > MAX_ALIAS_COUNT) {
          problem = { offset, message: `more than ${MAX_ALIAS_COUNT} aliases (*name): refusing what looks like an alias bomb ("billion laughs"); repeat the values instead` };
          return visit.BREAK;
        }
      } else if (node.anchor) anchors.add(node.anchor);
      return undefined;
    },
  });
  return problem;
}

function describeYamlError(code: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  switch (code) {
    case 'MULTIPLE_DOCS':
      return 'a mesh file holds exactly one YAML document; found a second "---" document';
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed as indentation in YAML; indent with spaces';
    case 'RESOURCE_EXHAUSTION':
      // The parser's own words are "Maximum call stack size exceeded".
      return 'mappings or lists nest too deeply to read (the parser ran out of stack); no mesh definition nests more than a few levels';
    default:
      return first.replace(/ at line \d+, column \d+:?$/, '');
  }
}

function firstAlias(doc: Document, at: (offset: number) => Position): Position {
  let pos = START;
  visit(doc, {
    Alias(_, alias) {
      if (alias.range) pos = at(alias.range[0]);
      return visit.BREAK;
    },
  });
  return pos;
}

export function locateInDocument(doc: Document, path: FieldPath, at: (offset: number) => Position, index = new WeakMap<object, Map<string, Pair>>()): Position | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  let best: Position | undefined = node?.range ? at(node.range[0]) : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      // Keys indexed once per mapping: a lookup per finding must not scan a mapping of 100,000 keys.
      let keys = index.get(node);
      if (!keys) {
        keys = new Map();
        for (const p of node.items) if (isScalar(p.key) && !keys.has(String(p.key.value))) keys.set(String(p.key.value), p as Pair);
        index.set(node, keys);
      }
      const pair = keys.get(String(segment));
      if (!pair) return best;
      // Point at the key: "clusters:" is where a person looks for the field.
      const keyNode = pair.key as Node;
      best = keyNode.range ? at(keyNode.range[0]) : best;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return best;
      best = item.range ? at(item.range[0]) : best;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}
