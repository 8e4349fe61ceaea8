/**
 * Vitest global setup: one temporary directory for the whole run, removed when it ends. The tests
 * make hundreds of scratch repositories (os.tmpdir() based); TMPDIR points the workers, and every
 * process they start, into this directory, so a run leaves nothing behind in the system's /tmp.
 * Both projects list this setup; the first to run creates the directory and removes it at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MARK = 'MESHOPS_TEST_TMPDIR';

export default function setup(): (() => void) | void {
  if (process.env[MARK]) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshops-tests-'));
  process.env[MARK] = dir;
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
