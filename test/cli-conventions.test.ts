/**
 * The command-line conventions of the field (kubectl, kubeconform, conftest): --version, a summary
 * line, exit 2 when there is nothing to check, --quiet, colour only on a terminal, EPIPE-safe
 * output, JSON for usage errors too. In-process through main() where the process does not matter.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../generator/cli.js';
import { REPO_ROOT } from './helpers.js';

async function run(args: string[], cwd = REPO_ROOT, extra: Partial<Io> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), ...extra });
  return { code, stdout, stderr };
}

describe('--version', () => {
  it('prints the version in package.json and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });
});
