/**
 * Lines of fields, recorded while js-yaml parses a file (its `listener` option), so a finding costs
 * a lookup, not a second parse. js-yaml calls the listener when it opens and closes each node (one
 * composeNode call), in document order: a node's children are the nodes opened one level deeper
 * before it closes. Besides the nodes of the YAML (the root, keys, values, items), js-yaml opens a
 * node while it tries a value as a block-mapping key; that node holds the same result as its parent
 * and is looked through.
 */
import type { FieldPath } from '../findings.js';

export class NodeLines {
  /** Per node, in the order js-yaml opened them: nesting level (1 = a document's root), 0-based line, where it ended, what it read. */
  private readonly depth: number[] = [];
  private readonly line: number[] = [];
  private readonly end: number[] = [];
  private readonly result: unknown[] = [];
  private readonly open: number[] = [];
  private readonly roots: number[] = [];

  constructor(private readonly text: string) {}

  /** js-yaml's `listener`. */
  readonly listener = (event: string, state: { line: number; position: number; result: unknown }): void => {
    if (event === 'open') {
      const node = this.depth.length;
      if (this.open.length === 0) this.roots.push(node);
      this.open.push(node);
      this.depth.push(this.open.length);
      this.line.push(state.line);
      this.end.push(-1);
      this.result.push(undefined);
    } else {
      const node = this.open.pop()!;
      this.end[node] = state.position;
      this.result[node] = state.result;
    }
  };

  /** 1-based line of the field at `fieldPath` in document `index`, or of its closest existing ancestor. */
  lineOf(index: number, fieldPath: FieldPath): number | undefined {
    const root = this.roots[index];
    if (root === undefined || this.result[root] === null || this.result[root] === undefined) return undefined;
    let best = this.line[root]! + 1;
    let node: number | undefined = root;
    for (const segment of fieldPath) {
      if (node === undefined) break;
      node = this.lookThrough(node);
      const value = this.result[node];
      const children = this.children(node);
      if (Array.isArray(value)) {
        // A null item of a block sequence has no node: then items and nodes do not line up.
        if (typeof segment !== 'number' || children.length !== value.length) break;
        const item = children[segment];
        if (item === undefined) break;
        best = this.line[item]! + 1;
        node = item;
      } else if (value !== null && typeof value === 'object') {
        const k = children.findIndex((child) => this.isKey(child) && typeof this.result[child] !== 'object' && String(this.result[child]) === String(segment));
        if (k < 0) break;
        best = this.line[children[k]!]! + 1;
        const next = children[k + 1];
        // A key without a value (`key:` before the next key) has no value node.
        node = next !== undefined && !this.isKey(next) ? next : undefined;
      } else break;
    }
    return best;
  }

  /** The node that read `node`'s collection: past the nodes of tried keys holding the same result. */
  private lookThrough(node: number): number {
    for (;;) {
      const first = this.children(node)[0];
      if (first === undefined || this.result[first] !== this.result[node] || this.result[node] === null || typeof this.result[node] !== 'object') return node;
      node = first;
    }
  }

  private children(node: number): number[] {
    const out: number[] = [];
    const level = this.depth[node]!;
    for (let i = node + 1; i < this.depth.length && this.depth[i]! > level; i++) if (this.depth[i] === level + 1) out.push(i);
    return out;
  }

  /** A mapping's key is followed by ":" on its line; a value never is. */
  private isKey(node: number): boolean {
    let i = this.end[node]!;
    while (this.text.charCodeAt(i) === 0x20 || this.text.charCodeAt(i) === 0x09) i++;
    return this.text.charCodeAt(i) === 0x3a;
  }
}
