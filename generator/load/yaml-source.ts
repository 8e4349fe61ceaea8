/**
 * YAML input with source positions. Parsing is strict about what hand-written mesh files get wrong:
 * duplicate keys, multiple documents, alias bombs, and files too large to be a mesh definition.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Finding } from '../findings.js';

/** Far above any real environment (a 1,000-cluster mesh.yaml is ~300 KiB); refuses runaway input. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;
/** Aliases are legitimate for sharing a locality or annotations block; a bomb needs thousands. */
export const MAX_ALIAS_COUNT = 100;

export type FieldPath = readonly (string | number)[];

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

export function parseYamlSource(file: string, text: string): { ok: true; source: SourceDocument } | { ok: false; findings: Finding[] } {
  const syntax = (message: string, pos?: Position): Finding => ({
    rule: 'input-syntax',
    severity: 'error',
    message,
    file,
    line: pos?.line,
    column: pos?.column,
  });
  if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) {
    return { ok: false, findings: [syntax(`file is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; refusing to parse it`)] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, version: '1.2' });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return {
      ok: false,
      findings: problems.map((e) => syntax(describeYamlError(e.code, e.message, text.slice(e.pos[0], e.pos[1])), at(e.pos[0]))),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The only throw toJS makes on a parsed document is the alias-expansion limit.
    return { ok: false, findings: [syntax(`too many alias expansions (limit ${MAX_ALIAS_COUNT}): refusing a possible alias bomb (${(e as Error).message})`)] };
  }
  return { ok: true, source: { file, data, locate: (path) => locateInDocument(doc, path, at) } };
}

function describeYamlError(code: string, message: string, excerpt: string): string {
  const first = message.split('\n')[0] ?? message;
  switch (code) {
    case 'DUPLICATE_KEY':
      return `duplicate key ${JSON.stringify(excerpt.trim())}: a key may appear only once in a mapping`;
    case 'MULTIPLE_DOCS':
      return 'a mesh file holds exactly one YAML document; found a second "---" document';
    default:
      return first.replace(/ at line \d+, column \d+:?$/, '');
  }
}

function locateInDocument(doc: Document, path: FieldPath, at: (offset: number) => Position): Position | undefined {
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
