/**
 * mesh.jsonnet evaluation. Jsonnet is trusted code: it runs with the permissions of whoever runs
 * meshops (it can import any file it can name), exactly like a Makefile. Only review it like code.
 * The engine (@hanazuki/node-jsonnet, a native addon) is an optional dependency; without it a
 * Jsonnet environment is a clear input error, and YAML environments work as before.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Finding } from '../findings.js';
import type { SourceDocument } from './yaml-source.js';

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
  try {
    const json = await new engine.Jsonnet().addJpath(libDir).evaluateFile(absFile);
    return { ok: true, source: { file, data: JSON.parse(json), locate: () => undefined } };
  } catch (e) {
    return { ok: false, findings: [jsonnetErrorFinding((e as Error).message, file, repoRoot)] };
  }
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
