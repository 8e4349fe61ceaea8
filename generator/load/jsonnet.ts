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
type JsonnetModule = { Jsonnet: new () => JsonnetEngine };

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
 * engine's YAML manifestation is very slow and meshops writes its own YAML anyway.
 */
export async function evaluateJsonnet(
  absFile: string,
  file: string,
  libDir: string,
  repoRoot: string,
): Promise<{ ok: true; source: SourceDocument } | { ok: false; findings: Finding[] }> {
  const engine = loadEngine();
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

/** Jsonnet reports "RUNTIME ERROR: msg\n\t/abs/file.jsonnet:2:17-29 ..."; keep its file:line. */
export function jsonnetErrorFinding(message: string, file: string, repoRoot: string): Finding {
  const where = /(\S+\.(?:jsonnet|libsonnet)):(\d+):(\d+)/.exec(message);
  const headline = message.split('\n')[0]!.trim();
  const finding: Finding = { rule: 'input-syntax', severity: 'error', file, message: headline };
  if (where) {
    const reported = path.isAbsolute(where[1]!) ? path.relative(repoRoot, where[1]!) : where[1]!;
    finding.file = reported.split(path.sep).join('/');
    finding.line = Number(where[2]);
    finding.column = Number(where[3]);
    finding.message = headline.replace(where[0], '').replace(/^(STATIC ERROR|RUNTIME ERROR):\s*:?\s*/, '$1: ').trim();
  }
  return finding;
}
