/**
 * mesh.jsonnet evaluation. Jsonnet is code, reviewed like code, but its evaluation is bounded: it
 * runs in a process of its own with a time limit and a memory limit (killed past either), and its
 * imports may only name files inside the repository (checked before it runs). The engine
 * (@hanazuki/node-jsonnet, a native addon) is an optional dependency; without it a Jsonnet
 * environment is a clear input error, and YAML environments work as before.
 *
 * A process, not a worker thread: the engine evaluates in native code on libuv's thread pool,
 * which terminating a worker does not stop, and a worker's resourceLimits bound V8's heap only,
 * not the engine's own allocations.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Finding } from '../findings.js';
import { readRegularFile } from '../fs/read-regular.js';
import { packageRoot } from '../package-root.js';
import { MAX_INPUT_BYTES } from './environment-files.js';
import type { SourceDocument } from './yaml-source.js';

/** Far beyond any mesh (the shipped Jsonnet environment evaluates in well under a second). */
export const JSONNET_TIME_LIMIT_MS = 10_000;
/** Address space of the evaluation process: Node itself needs about 700 MiB of it reserved. */
const JSONNET_MEMORY_LIMIT_KIB = 1536 * 1024;

interface JsonnetEngine {
  addJpath(dir: string): JsonnetEngine;
  evaluateFile(file: string): Promise<string>;
}
export type JsonnetModule = { Jsonnet: new () => JsonnetEngine };

let engineModule: JsonnetModule | null | undefined;
function loadEngine(): JsonnetModule | null {
  if (engineModule === undefined) {
    try {
      engineModule = createRequire(import.meta.url)('@hanazuki/node-jsonnet') as JsonnetModule;
    } catch {
      engineModule = null;
    }
  }
  return engineModule;
}

/**
 * Evaluates `absFile` with `libDir` on the import path. The result is JSON, parsed here: the
 * engine's YAML manifestation is very slow and meshops writes its own YAML anyway. `engine` is the
 * installed addon, or null when it is not installed.
 */
export async function evaluateJsonnet(
  absFile: string,
  file: string,
  libDir: string,
  repoRoot: string,
  engine: JsonnetModule | null = loadEngine(),
  timeLimitMs = JSONNET_TIME_LIMIT_MS,
): Promise<{ ok: true; source: SourceDocument } | { ok: false; findings: Finding[] }> {
  if (!engine) {
    return {
      ok: false,
      findings: [
        {
          rule: 'input-syntax',
          severity: 'error',
          file,
          message:
            'this environment is written in Jsonnet, but the Jsonnet engine (@hanazuki/node-jsonnet, an optional dependency built with g++ and cmake) is not installed; run `npm install @hanazuki/node-jsonnet` or write mesh.yaml',
        },
      ],
    };
  }
  const graph = importGraph(absFile, libDir, repoRoot);
  if (graph.escaping) return { ok: false, findings: [graph.escaping.finding(file)] };
  const outcome = await evaluateRemembered(absFile, libDir, repoRoot, graph, timeLimitMs);
  if (outcome.ok) {
    try {
      return { ok: true, source: { file, data: JSON.parse(outcome.json), locate: () => undefined } };
    } catch {
      return { ok: false, findings: [{ rule: 'input-syntax', severity: 'error', file, message: 'Jsonnet evaluation did not produce JSON' }] };
    }
  }
  if (outcome.limit) return { ok: false, findings: [{ rule: 'input-syntax', severity: 'error', file, message: outcome.limit }] };
  return { ok: false, findings: [jsonnetErrorFinding(outcome.message, file, repoRoot)] };
}

type ChildOutcome = { ok: true; json: string } | { ok: false; message: string; limit?: string };

function evaluateInChild(absFile: string, libDir: string, timeLimitMs: number): Promise<ChildOutcome> {
  const script = path.join(packageRoot(), 'dist', 'generator', 'load', 'jsonnet-evaluate.js');
  // ulimit -v bounds the engine's native allocations too; where the shell cannot set it, the
  // time limit still holds.
  const shell = `ulimit -v ${JSONNET_MEMORY_LIMIT_KIB} 2>/dev/null; exec "$0" "$@"`;
  const seconds = `${timeLimitMs / 1000} s`;
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', shell, process.execPath, script, absFile, libDir],
      { timeout: timeLimitMs, killSignal: 'SIGKILL', maxBuffer: 4 * MAX_INPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, json: stdout });
        const e = error as Error & { killed?: boolean; signal?: string; code?: number | string };
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ ok: false, message: '', limit: `Jsonnet evaluation produced more than ${(4 * MAX_INPUT_BYTES) / 1024 / 1024} MiB of JSON` });
        if (e.killed || e.signal) return resolve({ ok: false, message: '', limit: `Jsonnet evaluation exceeded ${seconds} or its memory limit (${JSONNET_MEMORY_LIMIT_KIB / 1024} MiB) and was stopped` });
        if (/out of memory|bad_alloc|Cannot allocate memory/i.test(stderr)) return resolve({ ok: false, message: '', limit: `Jsonnet evaluation exceeded its memory limit (${JSONNET_MEMORY_LIMIT_KIB / 1024} MiB)` });
        resolve({ ok: false, message: stderr || e.message });
      },
    );
  });
}

/**
 * Every file an evaluation of `absFile` can read (the file, what it imports, recursively, and what
 * it importstr/importbin's), and the first of them that resolves outside the repository (or through
 * a link out of it): Jsonnet import paths are string literals, so all of them are known before
 * anything is evaluated.
 */
interface ImportGraph {
  escaping?: { finding: (file: string) => Finding };
  /** Every file the evaluation can read, with the text the walk read of it (the importers). */
  reads: Map<string, string | undefined>;
  binary: boolean;
}

function importGraph(absFile: string, libDir: string, repoRoot: string): ImportGraph {
  const root = realpathSync(repoRoot);
  const inside = (p: string) => {
    let real: string;
    try {
      real = realpathSync(p);
    } catch {
      return true; // does not exist: the engine reports it as a missing import
    }
    return real === root || real.startsWith(`${root}${path.sep}`);
  };
  const seen = new Set<string>();
  const reads = new Map<string, string | undefined>([[absFile, undefined]]);
  let binary = false;
  const pending = [absFile];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    const read = readRegularFile(current, MAX_INPUT_BYTES);
    if (!read.ok) continue; // the engine says what is wrong with it
    const text = read.text;
    reads.set(current, text);
    for (const { kind, target, offset } of importsOf(text)) {
      const candidates = path.isAbsolute(target) ? [target] : [path.resolve(path.dirname(current), target), path.resolve(libDir, target)];
      const resolved = candidates.find((c) => existsSync(c)) ?? candidates[0]!;
      const line = text.slice(0, offset).split('\n').length;
      const where = path.relative(repoRoot, current).split(path.sep).join('/');
      if (!inside(resolved)) {
        const finding = (file: string): Finding => ({
          rule: 'input',
          severity: 'error',
          file: where || file,
          line,
          message: `${kind} of a file outside the repository; an environment may import only files in the repository (e.g. ${path.relative(repoRoot, libDir).split(path.sep).join('/')}/)`,
        });
        return { escaping: { finding }, reads, binary };
      }
      // Every place the engine may look: a file created later where it looks first is a new input.
      for (const candidate of candidates) if (!reads.has(candidate)) reads.set(candidate, undefined);
      if (kind === 'importbin') binary = true;
      if (kind === 'import') pending.push(resolved);
    }
  }
  return { reads, binary };
}

/**
 * Outcomes of finished evaluations by what they read: an evaluation is a function of its files
 * (meshops passes no external variables or native functions), and a process that reads the same
 * environment again (check renders and validates it, plan reads it twice, a test suite many times)
 * should not pay another evaluation process for it. Keyed by the bytes of every file the
 * evaluation can read, so an edit to any of them is a new key. Bounded: oldest entries go first.
 */
const evaluations = new Map<string, ChildOutcome>();
const MAX_REMEMBERED_EVALUATIONS = 64;

/**
 * The key of an evaluation, or undefined when it cannot be known from the files' text: an input
 * that is not a regular file (a FIFO is read by the engine, under its limits), or binary imports.
 * Paths count relative to the repository, so a copy of it (a worktree, a test's scratch copy)
 * shares the evaluation, unless a file asks for its own path (std.thisFile).
 */
function evaluationKey(absFile: string, libDir: string, repoRoot: string, graph: ImportGraph): string | undefined {
  if (graph.binary) return undefined;
  const relative = (p: string) => path.relative(repoRoot, p);
  const hash = createHash('sha256').update(`${relative(absFile)}\0${relative(libDir)}\0`);
  for (const file of [...graph.reads.keys()].sort()) {
    // The importers' text as the walk read it; what they importstr, or may find later, read here.
    const known = graph.reads.get(file);
    const read = known === undefined ? readRegularFile(file, MAX_INPUT_BYTES) : { ok: true as const, text: known };
    if (!read.ok && !existsSync(file)) hash.update(`${relative(file)}\0absent\0`);
    else if (!read.ok) return undefined;
    else {
      if (read.text.includes('thisFile')) hash.update(`${absFile}\0`);
      hash.update(`${relative(file)}\0${read.text}\0`);
    }
  }
  return hash.digest('hex');
}

async function evaluateRemembered(absFile: string, libDir: string, repoRoot: string, graph: ImportGraph, timeLimitMs: number): Promise<ChildOutcome> {
  const key = evaluationKey(absFile, libDir, repoRoot, graph);
  // An error names absolute paths: it is remembered for this repository only.
  const errorKey = key === undefined ? undefined : `${key}\0${repoRoot}`;
  const known = key === undefined ? undefined : (evaluations.get(key) ?? evaluations.get(errorKey!));
  if (known) return known;
  const outcome = await evaluateInChild(absFile, libDir, timeLimitMs);
  // A limit depends on the machine's load as much as on the files: never remembered.
  if (key !== undefined && (outcome.ok || !outcome.limit)) {
    if (evaluations.size >= MAX_REMEMBERED_EVALUATIONS) evaluations.delete(evaluations.keys().next().value!);
    evaluations.set(outcome.ok ? key : errorKey!, outcome);
  }
  return outcome;
}

/** Jsonnet imports: the keyword and a string literal ('…', "…", @'…', @"…" or a ||| block). */
function importsOf(text: string): { kind: string; target: string; offset: number }[] {
  const found: { kind: string; target: string; offset: number }[] = [];
  const pattern = /\b(importstr|importbin|import)\s*(?:(@?)(['"])((?:\\.|(?!\3)[^\\])*)\3|\|\|\|[^\n]*\n([\s\S]*?)\n\s*\|\|\|)/g;
  for (const m of text.matchAll(pattern)) {
    const raw = m[4] ?? m[5]!.trim();
    const target = m[2] || m[4] === undefined ? raw : raw.replace(/\\(.)/g, '$1');
    found.push({ kind: m[1]!, target, offset: m.index! });
  }
  return found;
}

/**
 * Jsonnet reports "RUNTIME ERROR: msg\n\t/abs/file.jsonnet:2:17-29 ..." (a stack, innermost frame
 * first; a multi-line span is written "file:(2:17)-(3:4)"). The finding points at the innermost
 * frame; when that is in a library, the frame in the environment's own file is named too, since
 * that is usually the call to fix.
 */
export function jsonnetErrorFinding(message: string, file: string, repoRoot: string): Finding {
  const frames = [...message.matchAll(/(\S+?\.(?:jsonnet|libsonnet)):(?:\((\d+):(\d+)\)-\(\d+:\d+\)|(\d+):(\d+)(?:-\d+)?)/g)].map((m) => {
    const reported = path.isAbsolute(m[1]!) ? path.relative(repoRoot, m[1]!) : m[1]!;
    return { text: m[0], file: reported.split(path.sep).join('/'), line: Number(m[2] ?? m[4]), column: Number(m[3] ?? m[5]) };
  });
  const headline = message.split('\n')[0]!.trim();
  const finding: Finding = { rule: 'input-syntax', severity: 'error', file, message: headline };
  const innermost = frames[0];
  if (innermost) {
    finding.file = innermost.file;
    finding.line = innermost.line;
    finding.column = innermost.column;
    finding.message = headline.replace(innermost.text, '').replace(/^(STATIC ERROR|RUNTIME ERROR):\s*:?\s*/, '$1: ').trim();
    const caller = innermost.file === file ? undefined : frames.find((f) => f.file === file);
    if (caller) finding.message += ` (called from ${caller.file}:${caller.line}:${caller.column})`;
  }
  return finding;
}
