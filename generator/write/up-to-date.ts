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
  help:
    'Argo CD syncs rendered/ as committed, so it must be exactly what environments/ renders to. A difference means a rendered file was ' +
    'edited by hand (the next render undoes it) or an environment changed without `meshops render`. The finding names the environment ' +
    'file: change that file if the edit was meant, run `meshops render --env <env>` and commit rendered/ with it. Other findings in the same ' +
    'file usually follow from the same edit and are listed under it.',
};

export function compareWithDisk(repoRoot: string, outputs: readonly SerializedEnvironment[], allEnvironments: boolean): Finding[] {
  const findings: Finding[] = [];
  const finding = (env: string, rel: string, message: string, line?: number, render = 'meshops render'): Finding => ({
    rule: RENDERED_UP_TO_DATE.id,
    severity: 'error',
    file: `${renderedEnvironmentDir(env)}${rel ? `/${rel}` : ''}`,
    line,
    env,
    message: `${message}; run \`${render}\` and commit the result`,
  });
  for (const { env, sourceFile, files } of outputs) {
    // A link, FIFO or unreadable file where a rendered file belongs is never what render writes.
    const onDisk = readTree(path.join(repoRoot, RENDERED_DIR, env), (rel, kind) => findings.push(finding(env, rel, `${kind.startsWith('a ') ? `not a regular file (${kind})` : kind}: render writes regular files only`)));
    // The environment file to re-render: a hand edit of rendered/ is undone by rendering it again.
    const rerender = `meshops render --env ${env}`;
    for (const file of files) {
      const existing = onDisk.get(file.path);
      if (existing === undefined) findings.push(finding(env, file.path, `missing: ${sourceFile} renders this file but it is not committed`, undefined, rerender));
      else if (existing !== file.content) {
        findings.push(finding(env, file.path, `differs from what ${sourceFile} renders to (edited by hand, or not re-rendered)`, firstDifferentLine(existing, file.content), rerender));
      }
    }
    const expected = new Set(files.map((f) => f.path));
    for (const extra of [...onDisk.keys()].filter((p) => !expected.has(p)).sort()) {
      findings.push(finding(env, extra, `stale: ${sourceFile} does not render this file`, undefined, rerender));
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
