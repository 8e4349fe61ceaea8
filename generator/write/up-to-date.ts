/**
 * Rule `rendered-up-to-date`: what the environments render to, compared with rendered/ on disk.
 */
import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import type { Finding } from '../findings.js';
import { ENVIRONMENTS_DIR, RENDERED_DIR, renderedEnvironmentDir } from '../layout.js';
import { readTree } from './rendered-tree.js';
import type { SerializedEnvironment } from './serialize.js';

export const RENDERED_UP_TO_DATE = {
  id: 'rendered-up-to-date',
  description: 'rendered/ is exactly what the environments render to (run `meshops render` and commit).',
  severity: 'error' as const,
};

export function compareWithDisk(repoRoot: string, outputs: readonly SerializedEnvironment[], allEnvironments: boolean): Finding[] {
  const findings: Finding[] = [];
  const finding = (env: string, rel: string, message: string, line?: number): Finding => ({
    rule: RENDERED_UP_TO_DATE.id,
    severity: 'error',
    file: `${renderedEnvironmentDir(env)}${rel ? `/${rel}` : ''}`,
    line,
    env,
    message: `${message}; run \`meshops render\` and commit the result`,
  });
  for (const { env, files } of outputs) {
    // A link, FIFO or unreadable file where a rendered file belongs is never what render writes.
    const onDisk = readTree(path.join(repoRoot, RENDERED_DIR, env), (rel, kind) => findings.push(finding(env, rel, `${kind.startsWith('a ') ? `not a regular file (${kind})` : kind}: render writes regular files only`)));
    for (const file of files) {
      const existing = onDisk.get(file.path);
      if (existing === undefined) findings.push(finding(env, file.path, 'missing: the environment renders this file but it is not committed'));
      else if (existing !== file.content) findings.push(finding(env, file.path, 'differs from what the environment renders to', firstDifferentLine(existing, file.content)));
    }
    const expected = new Set(files.map((f) => f.path));
    for (const extra of [...onDisk.keys()].filter((p) => !expected.has(p)).sort()) {
      findings.push(finding(env, extra, 'stale: no environment renders this file'));
    }
  }
  if (allEnvironments) {
    const root = path.join(repoRoot, RENDERED_DIR);
    const known = new Set(outputs.map((o) => o.env));
    const dirs = existsSync(root) ? readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')) : [];
    for (const dir of dirs.filter((d) => !known.has(d.name))) {
      findings.push(finding(dir.name, '', `stale: ${ENVIRONMENTS_DIR}/${dir.name} does not exist`));
    }
  }
  return findings;
}

function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  let i = 0;
  while (i < left.length && i < right.length && left[i] === right[i]) i++;
  return i + 1;
}
