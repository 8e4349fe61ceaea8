/**
 * A structural reader for the Mermaid flowcharts meshops writes (no Mermaid parser is installed):
 * every line is a header, a comment, a subgraph opening or `end`, a node declaration, an edge, or a
 * class statement, and anything else is an error. What it returns lets a test check that every node
 * is declared once, edges name declared nodes, and subgraphs are balanced.
 */
export interface MermaidStructure {
  /** node id -> its subgraph id (undefined at top level). */
  nodes: Map<string, string | undefined>;
  labels: Map<string, string>;
  subgraphs: { id: string; label: string; parent?: string }[];
  edges: { from: string; link: string; label?: string; to: string }[];
  errors: string[];
}

const ID = '[A-Za-z][A-Za-z0-9_]*';
// A quoted label: no raw '"' inside (meshops escapes it as #quot;).
const QUOTED = '"([^"]*)"';
const SHAPES = [
  ['\\[', '\\]'],
  ['\\(\\[', '\\]\\)'],
  ['\\{\\{', '\\}\\}'],
  ['\\(', '\\)'],
];
const NODE = new RegExp(`^(${ID})(?:${SHAPES.map(([o, c]) => `${o}${QUOTED}${c}`).join('|')})$`);
const EDGE = new RegExp(`^(${ID}) (-->|<-->|---|-\\.->)(?:\\|${QUOTED}\\|)? (${ID})$`);
const SUBGRAPH = new RegExp(`^subgraph (${ID})\\[${QUOTED}\\]$`);
const CLASS = new RegExp(`^(?:classDef ${ID} .+|class ${ID}(?:,${ID})* ${ID})$`);

export function readMermaid(text: string): MermaidStructure {
  const out: MermaidStructure = { nodes: new Map(), labels: new Map(), subgraphs: [], edges: [], errors: [] };
  const lines = text.split('\n');
  if (!/^flowchart (TB|TD|LR|RL|BT)$/.test(lines[0] ?? '')) out.errors.push(`line 1: not a flowchart header: ${lines[0]}`);
  const stack: string[] = [];
  const pendingEdges: { line: number; from: string; to: string }[] = [];
  lines.slice(1).forEach((raw, i) => {
    const line = raw.trim();
    const at = `line ${i + 2}`;
    if (line === '' || line.startsWith('%%')) return;
    let m: RegExpMatchArray | null;
    if ((m = line.match(SUBGRAPH))) {
      if (out.subgraphs.some((s) => s.id === m![1]) || out.nodes.has(m[1]!)) out.errors.push(`${at}: ${m[1]} declared twice`);
      out.subgraphs.push({ id: m[1]!, label: m[2]!, parent: stack.at(-1) });
      stack.push(m[1]!);
    } else if (line === 'end') {
      if (stack.pop() === undefined) out.errors.push(`${at}: end without subgraph`);
    } else if ((m = line.match(NODE))) {
      if (out.nodes.has(m[1]!) || out.subgraphs.some((s) => s.id === m![1])) out.errors.push(`${at}: node ${m[1]} declared twice`);
      out.nodes.set(m[1]!, stack.at(-1));
      out.labels.set(m[1]!, m.slice(2).find((g) => g !== undefined)!);
    } else if ((m = line.match(EDGE))) {
      out.edges.push({ from: m[1]!, link: m[2]!, label: m[3], to: m[4]! });
      pendingEdges.push({ line: i + 2, from: m[1]!, to: m[4]! });
    } else if (!CLASS.test(line)) {
      out.errors.push(`${at}: unrecognised: ${line}`);
    }
  });
  if (stack.length) out.errors.push(`unclosed subgraphs: ${stack.join(', ')}`);
  for (const e of pendingEdges) {
    for (const end of [e.from, e.to]) if (!out.nodes.has(end)) out.errors.push(`line ${e.line}: edge names undeclared node ${end}`);
  }
  return out;
}
