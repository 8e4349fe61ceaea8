/**
 * YAML input with source positions. Parsing is strict about what hand-written mesh files get wrong:
 * duplicate keys, multiple documents, alias bombs, and files too large to be a mesh definition.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { FieldPath, Finding } from '../findings.js';

/** Far above any real environment (a 1,000-cluster mesh.yaml is ~300 KiB); refuses runaway input. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;
/** Aliases are legitimate for sharing a locality or annotations block; a bomb needs thousands. */
const MAX_ALIAS_COUNT = 100;


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

export function parseYamlSource(file: string, text: string): { ok: true; source: SourceDocument } | { ok: false; findings: Finding[] } {
  const syntax = (message: string, pos?: Position) => syntaxFinding(file, message, pos);
  if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) return { ok: false, findings: [oversizeFinding(file)] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, version: '1.2' });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // Duplicate keys are independent of each other; after any other syntax error the parser's
  // further complaints are mostly its consequences, so only the first one is reported.
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const firstOther = [...doc.errors, ...doc.warnings].find((e) => e.code !== 'DUPLICATE_KEY');
  const problems = [...duplicates, ...(firstOther ? [firstOther] : [])].sort((a, b) => a.pos[0] - b.pos[0]);
  if (problems.length > 0) {
    return {
      ok: false,
      findings: problems.map((e) =>
        syntax(e.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(doc, e.pos[0], at) : describeYamlError(e.code, e.message), at(e.pos[0])),
      ),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    // The only throw toJS makes on a parsed document is the alias-expansion limit.
    return {
      ok: false,
      findings: [
        syntax(
          `aliases (*name) expand to too many nodes (limit ${MAX_ALIAS_COUNT} expansions): refusing what looks like an alias bomb ("billion laughs"); repeat the values instead`,
          firstAlias(doc, at),
        ),
      ],
    };
  }
  return { ok: true, source: { file, data, locate: (path) => locateInDocument(doc, path, at) ?? START } };
}

function describeYamlError(code: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  switch (code) {
    case 'MULTIPLE_DOCS':
      return 'a mesh file holds exactly one YAML document; found a second "---" document';
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed as indentation in YAML; indent with spaces';
    default:
      return first.replace(/ at line \d+, column \d+:?$/, '');
  }
}

/** Names the repeated key and where it first appeared: the parser only reports the second. */
function duplicateKeyMessage(doc: Document, offset: number, at: (offset: number) => Position): string {
  let message = 'duplicate key: a key may appear only once in a mapping';
  visit(doc, {
    Map(_, map) {
      const index = map.items.findIndex((p) => (p.key as Node | null)?.range?.[0] === offset);
      if (index < 0) return undefined;
      const key = map.items[index]!.key;
      const name = isScalar(key) ? String(key.value) : String(key);
      const first = map.items.find((p) => isScalar(p.key) && isScalar(key) && p.key.value === key.value);
      const firstLine = first && first !== map.items[index] ? (first.key as Node).range?.[0] : undefined;
      message =
        `duplicate key ${JSON.stringify(name)}` +
        (firstLine !== undefined ? ` (first set on line ${at(firstLine).line})` : '') +
        ': a key may appear only once in a mapping; remove one of them';
      return visit.BREAK;
    },
  });
  return message;
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

export function locateInDocument(doc: Document, path: FieldPath, at: (offset: number) => Position): Position | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  let best: Position | undefined = node?.range ? at(node.range[0]) : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
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
