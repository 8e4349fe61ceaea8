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
  /**
   * Per node, in the order js-yaml opened them, three numbers: nesting level (1 = a document's
   * root), 0-based line, where it ended. In a typed array, off the collected heap: a rendered
   * environment holds as many nodes as its documents hold values, all alive until its policies
   * ran, and copying them at every young-generation collection cost more than parsing them.
   */
  private meta: Int32Array;
  private count = 0;
  /** What each node read. */
  private readonly result: unknown[] = [];
  private readonly open: number[] = [];
  private readonly roots: number[] = [];

  constructor(private readonly text: string) {
    // About one node per 12 bytes in rendered manifests: most files never grow the array.
    this.meta = new Int32Array(3 * Math.max(16, text.length >> 3));
  }

  /** js-yaml's `listener`. */
  readonly listener = (event: string, state: { line: number; position: number; result: unknown }): void => {
    if (event === 'open') {
      const node = this.count++;
      if (3 * this.count > this.meta.length) {
        const grown = new Int32Array(2 * this.meta.length);
        grown.set(this.meta);
        this.meta = grown;
      }
      if (this.open.length === 0) this.roots.push(node);
      this.open.push(node);
      this.meta[3 * node] = this.open.length;
      this.meta[3 * node + 1] = state.line;
      this.meta[3 * node + 2] = -1;
      this.result.push(undefined);
    } else {
      const node = this.open.pop()!;
      this.meta[3 * node + 2] = state.position;
      this.result[node] = state.result;
    }
  };

  /** 1-based line of the field at `fieldPath` in document `index`, or of its closest existing ancestor. */
  lineOf(index: number, fieldPath: FieldPath): number | undefined {
    const root = this.roots[index];
    if (root === undefined || this.result[root] === null || this.result[root] === undefined) return undefined;
    let best = this.meta[3 * root + 1]! + 1;
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
        best = this.meta[3 * item + 1]! + 1;
        node = item;
      } else if (value !== null && typeof value === 'object') {
        const k = children.findIndex((child) => this.isKey(child) && typeof this.result[child] !== 'object' && String(this.result[child]) === String(segment));
        if (k < 0) break;
        best = this.meta[3 * children[k]! + 1]! + 1;
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
    const level = this.meta[3 * node]!;
    for (let i = node + 1; i < this.count && this.meta[3 * i]! > level; i++) if (this.meta[3 * i] === level + 1) out.push(i);
    return out;
  }

  /** A mapping's key is followed by ":" on its line; a value never is. */
  private isKey(node: number): boolean {
    let i = this.meta[3 * node + 2]!;
    while (this.text.charCodeAt(i) === 0x20 || this.text.charCodeAt(i) === 0x09) i++;
    return this.text.charCodeAt(i) === 0x3a;
  }
}
