/**
 * One render writes rendered/ at a time. The lock is a file created exclusively (O_EXCL) holding
 * its holder's PID and that process's start time: a PID alone is not an identity, since PIDs are
 * reused (a container's render is always PID 1), so a lock whose holder is gone, or whose PID now
 * belongs to a process started at another time, is stale and taken over.
 */
import { readFileSync } from 'node:fs';
import type { WriterFs } from './file-system.js';

/** How long a render waits for another one to finish before giving up. */
const WAIT_MS = 30_000;
const POLL_MS = 50;

export class LockHeldError extends Error {}

/** The start time of a process as the kernel records it (clock ticks since boot), when known. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces, so count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderIsGone(text: string): boolean {
  const [pidText, started] = text.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return startTimeOf(pid) !== started || started === undefined;
  if (!alive(pid)) return true;
  const now = startTimeOf(pid);
  return now !== undefined && started !== undefined && now !== started;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Takes the lock at `file` (waiting for a live holder), returns its release. */
export function acquireLock(file: string, fs: WriterFs): () => void {
  const identity = `${process.pid} ${startTimeOf(process.pid) ?? ''}\n`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      fs.writeFile(file, identity, { mode: 0o644, exclusive: true });
      return () => fs.remove(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: string;
    let age: number;
    try {
      holder = fs.readFile(file);
      age = Date.now() - fs.mtime(file);
    } catch {
      continue; // released between our open and read
    }
    // An empty lock is a holder between creating and writing it, or one killed right there.
    if (holder === '' ? age > 2_000 : holderIsGone(holder)) {
      fs.remove(file);
      continue;
    }
    if (Date.now() > deadline) throw new LockHeldError(`another meshops render (pid ${holder.trim().split(' ')[0]}) has been writing rendered/ for ${WAIT_MS / 1000} s; try again when it has finished`);
    sleep(POLL_MS);
  }
}
