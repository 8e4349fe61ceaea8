/** The picture formats of `meshops graph`: Mermaid (GitHub renders it in markdown) and Graphviz's dot. */
import { toDot } from './dot.js';
import type { MeshGraph } from './mesh-graph.js';
import { toMermaid } from './mermaid.js';

export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function drawGraph(graph: MeshGraph, format: GraphFormat): string {
  return format === 'dot' ? toDot(graph) : toMermaid(graph);
}
