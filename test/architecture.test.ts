/**
 * The dependency direction README's "How the code is laid out" describes, checked over every import
 * (static, dynamic and type-only) of generator/, policies/ and scripts/:
 *
 *   shared leaves (layout, findings, json, package-root, rule, markdown, report/, istio/, schemas/, fs/, credentials)
 *     <- generator: model <- load, render (graph/) <- write, plan/ <- pipeline
 *     <- validator: validate/                          (the two sides never import each other)
 *   <- policies/ (the rule registry: reads the model and the validator's facts, nothing else)
 *   <- commands/ <- cli.ts, scripts/
 *
 * A module may import its own layer or a lower layer of its own side or the shared leaves; commands
 * and entry points may import anything below them. No import cycles at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

type Side = 'shared' | 'generator' | 'validator' | 'rules' | 'commands' | 'entry';

interface Layer {
  name: string;
  side: Side;
  rank: number;
  /** Repository-relative prefixes (a directory ending in '/', or a file). */
  paths: string[];
}

const LAYERS: Layer[] = [
  { name: 'shared', side: 'shared', rank: 0, paths: ['generator/layout.ts', 'generator/findings.ts', 'generator/json.ts', 'generator/package-root.ts', 'generator/report/', 'generator/istio/', 'generator/rule.ts', 'generator/markdown.ts', 'generator/schemas/', 'generator/fs/', 'generator/credentials.ts'] },
  { name: 'model', side: 'generator', rank: 1, paths: ['generator/model/'] },
  { name: 'load', side: 'generator', rank: 2, paths: ['generator/load/'] },
  // The topology picture is a rendering of the model too (the planning sheet embeds it).
  { name: 'render', side: 'generator', rank: 2, paths: ['generator/render/', 'generator/graph/'] },
  { name: 'write', side: 'generator', rank: 3, paths: ['generator/write/'] },
  { name: 'adopt', side: 'generator', rank: 3, paths: ['generator/adopt/'] },
  { name: 'plan', side: 'generator', rank: 3, paths: ['generator/plan/'] },
  { name: 'pipeline', side: 'generator', rank: 4, paths: ['generator/pipeline.ts'] },
  { name: 'validate', side: 'validator', rank: 1, paths: ['generator/validate/'] },
  // The registry: input rules check the model, policies check rendered trees through the engine's
  // facts. It may read both, but nothing of render/load/write, and neither side imports it.
  { name: 'policies', side: 'rules', rank: 3, paths: ['policies/'] },
  { name: 'commands', side: 'commands', rank: 5, paths: ['generator/commands/'] },
  { name: 'entry', side: 'entry', rank: 6, paths: ['generator/cli.ts', 'scripts/'] },
];

const SCANNED = ['generator', 'policies', 'scripts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Repository-relative .ts files this file imports (relative specifiers only: packages are not ours). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(path.join(REPO_ROOT, file), 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
}

function layerOf(file: string): Layer | undefined {
  return LAYERS.find((l) => l.paths.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)));
}

function allowed(from: Layer, to: Layer): boolean {
  if (from === to) return true;
  if (to.rank >= from.rank) return false;
  if (from.side === 'rules') return to.side === 'shared' || to.side === 'validator' || to.name === 'model';
  return to.side === 'shared' || to.side === from.side || from.side === 'commands' || from.side === 'entry';
}

const files = SCANNED.flatMap(sourceFiles).sort();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** Strongly connected components of more than one module (or a module importing itself): Tarjan. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
    }
  };
  for (const f of graph.keys()) if (!indexOf.has(f)) visit(f);
  return found;
}

describe('how the code is laid out', () => {
  it('places every source file in a layer', () => {
    expect(files.filter((f) => !layerOf(f))).toEqual([]);
  });

  it('resolves every relative import to a source file', () => {
    const missing = [...graph].flatMap(([from, tos]) => tos.filter((to) => !graph.has(to)).map((to) => `${from} -> ${to}`));
    expect(missing).toEqual([]);
  });

  it('imports only downwards, and never between the generator and the validator', () => {
    const wrong = [...graph].flatMap(([from, tos]) =>
      tos.filter((to) => graph.has(to) && !allowed(layerOf(from)!, layerOf(to)!)).map((to) => `${from} -> ${to}`),
    );
    expect(wrong).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds cycles and refuses the wrong-way imports the issue names (the checks themselves)', () => {
    const toy = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['d']], ['e', ['a']]]);
    expect(cycles(toy)).toEqual([['a', 'b', 'c'], ['d']]);
    const layer = (f: string) => layerOf(f)!;
    expect(allowed(layer('generator/render/argocd.ts'), layer('generator/validate/cluster-facts.ts'))).toBe(false);
    expect(allowed(layer('generator/validate/engine.ts'), layer('generator/load/environments.ts'))).toBe(false);
    expect(allowed(layer('generator/validate/engine.ts'), layer('policies/index.ts'))).toBe(false);
    expect(allowed(layer('generator/model/topology.ts'), layer('generator/render/types.ts'))).toBe(false);
    expect(allowed(layer('generator/layout.ts'), layer('generator/render/types.ts'))).toBe(false);
    expect(allowed(layer('generator/commands/check.ts'), layer('generator/cli.ts'))).toBe(false);
    expect(allowed(layer('generator/commands/check.ts'), layer('policies/index.ts'))).toBe(true);
    expect(allowed(layer('policies/mesh-id-match.ts'), layer('generator/layout.ts'))).toBe(true);
  });
});
