/**
 * A MeshGraph as a Mermaid flowchart, the form GitHub renders inside a ```mermaid block in
 * markdown (pull-request summaries, rendered/<env>/README.md). Every label is quoted and escaped
 * with Mermaid's entity codes, so no name or address can break the diagram's syntax.
 */
import type { EdgeKind, GraphNode, MeshGraph, NodeKind } from './mesh-graph.js';

/**
 * Mermaid's default maxTextSize: a longer diagram is not drawn ("Maximum text size in diagram
 * exceeded"); https://mermaid.js.org/config/schema-docs/config-properties-maxtextsize.html
 */
export const MERMAID_MAX_TEXT = 50_000;

const SHAPES: Record<NodeKind, [string, string]> = {
  primary: ['[', ']'],
  remote: ['[', ']'],
  gateway: ['([', '])'],
  vm: ['{{', '}}'],
  external: ['(', ')'],
};

const LINKS: Record<EdgeKind, string> = {
  control: '-->',
  peer: '<-->',
  gateway: '---',
  migration: '-.->',
};

const ENTITIES: Record<string, string> = { '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;' };

/** Inside a quoted Mermaid label; one pass, so the '#' of an entity code is never escaped again. */
export function mermaidText(text: string): string {
  return text.replace(/[#"<>]/g, (c) => ENTITIES[c]!);
}

const label = (lines: readonly string[]) => `"${lines.map(mermaidText).join('<br/>')}"`;

function node(n: GraphNode): string {
  const [open, close] = SHAPES[n.kind];
  return `${n.id}${open}${label(n.label)}${close}`;
}

/**
 * The picture in markdown, where GitHub draws it: a ```mermaid block, or, past what Mermaid draws,
 * the command that draws it with Graphviz instead.
 */
export function mermaidMarkdown(mermaid: string, env: string): string {
  if (mermaid.length <= MERMAID_MAX_TEXT) return `\`\`\`mermaid\n${mermaid}\`\`\`\n`;
  return `The picture (${mermaid.length} characters) is larger than Mermaid draws (${MERMAID_MAX_TEXT}); \`meshops graph --env ${env} --format dot | dot -Tsvg\` draws it with Graphviz.\n`;
}

export function toMermaid(graph: MeshGraph): string {
  const lines = ['flowchart TB', `  %% ${graph.title.replace(/[\r\n]/g, ' ')}`];
  for (const group of graph.groups) {
    lines.push(`  subgraph ${group.id}[${label([group.label])}]`);
    for (const n of group.nodes) lines.push(`    ${node(n)}`);
    lines.push('  end');
  }
  for (const e of graph.edges) {
    lines.push(`  ${e.from} ${LINKS[e.kind]}${e.label ? `|${label([e.label])}|` : ''} ${e.to}`);
  }
  // Primaries stand out from remotes; external control planes are drawn dashed.
  lines.push('  classDef primary stroke-width:3px', '  classDef external stroke-dasharray:4 3');
  const ofKind = (kind: NodeKind) => graph.groups.flatMap((g) => g.nodes).filter((n) => n.kind === kind).map((n) => n.id);
  for (const kind of ['primary', 'external'] as const) {
    const ids = ofKind(kind);
    if (ids.length) lines.push(`  class ${ids.join(',')} ${kind}`);
  }
  return `${lines.join('\n')}\n`;
}
