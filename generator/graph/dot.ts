/**
 * A MeshGraph in Graphviz's dot language (`dot -Tsvg`). Networks are `cluster_` subgraphs, which
 * Graphviz draws as boxes; every id and label is a quoted string with '"' and '\' escaped.
 */
import type { EdgeKind, GraphNode, MeshGraph, NodeKind } from './mesh-graph.js';

const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, ' ')}"`;
/** Label lines joined by dot's centred line break. */
const label = (lines: readonly string[]) => `"${lines.map((l) => quote(l).slice(1, -1)).join('\\n')}"`;

const NODE_ATTRS: Record<NodeKind, string> = {
  primary: 'shape=box, penwidth=2',
  remote: 'shape=box',
  gateway: 'shape=box, style=rounded',
  vm: 'shape=hexagon',
  external: 'shape=ellipse, style=dashed',
};

const EDGE_ATTRS: Record<EdgeKind, string> = {
  control: '',
  peer: 'dir=both',
  gateway: 'arrowhead=none',
  migration: 'style=dashed',
};

const node = (n: GraphNode) => `${quote(n.id)} [label=${label(n.label)}, ${NODE_ATTRS[n.kind]}];`;

export function toDot(graph: MeshGraph): string {
  const lines = [`digraph ${quote(graph.title)} {`, '  rankdir=TB;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const group of graph.groups) {
    lines.push(`  subgraph ${quote(`cluster_${group.id}`)} {`, `    label=${quote(group.label)};`);
    for (const n of group.nodes) lines.push(`    ${node(n)}`);
    lines.push('  }');
  }
  for (const e of graph.edges) {
    const attrs = [e.label ? `label=${quote(e.label)}` : '', EDGE_ATTRS[e.kind]].filter(Boolean).join(', ');
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)}${attrs ? ` [${attrs}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
