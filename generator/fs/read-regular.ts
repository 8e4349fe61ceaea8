/**
 * Reading a file meshops was pointed at, without trusting what the path names: only a regular file
 * is read (a FIFO would block forever, /dev/zero never ends), and the byte cap is enforced while
 * reading, not taken from stat (a file can grow, a device reports size 0).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

export type ReadOutcome = { ok: true; text: string } | { ok: false; reason: string; oversize?: true };

/** What a directory entry is, in words, for "not a regular file" messages. */
export function entryKind(stats: Pick<Stats, 'isFIFO' | 'isSymbolicLink' | 'isDirectory' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The reason an operating-system error gives, in words and with its code, never a stack. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'no such file or directory (a dangling symbolic link?)',
    ENOTDIR: 'a path component is not a directory',
    ELOOP: 'too many symbolic links',
    EISDIR: 'is a directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    EIO: 'input/output error',
  };
  return code ? `${words[code] ?? 'cannot access'} (${code})` : String((error as Error).message ?? error);
}

const CHUNK = 64 * 1024;
/** One read buffer for every file: most files fit in it whole, and validate reads thousands. */
const shared = Buffer.allocUnsafe(CHUNK);

/**
 * `typeFromDirectory`: the caller's directory listing already said this is a regular file, so
 * the fstat is skipped (validate reads thousands of files). Swapped for a FIFO since, it still
 * cannot block (O_NONBLOCK); swapped for a device, the cap still ends the read.
 */
export function readRegularFile(abs: string, maxBytes: number, options: { typeFromDirectory?: boolean } = {}): ReadOutcome {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, reason: `cannot read: ${describeFsError(e)}` };
  }
  try {
    if (!options.typeFromDirectory) {
      const stats = fstatSync(fd);
      if (!stats.isFile()) return { ok: false, reason: `not a regular file (${entryKind(stats)}); refusing to read it` };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    // A short read of a regular file is its end.
    for (;;) {
      const n = readSync(fd, shared, 0, Math.min(CHUNK, maxBytes + 1 - total), null);
      total += n;
      if (total > maxBytes) return { ok: false, reason: `larger than ${formatBytes(maxBytes)}; refusing to read it`, oversize: true };
      if (n < CHUNK && chunks.length === 0) return { ok: true, text: shared.toString('utf8', 0, n) };
      chunks.push(Buffer.from(shared.subarray(0, n)));
      if (n < CHUNK) break;
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (e) {
    return { ok: false, reason: `cannot read: ${describeFsError(e)}` };
  } finally {
    closeSync(fd);
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : `${n} bytes`;
}
