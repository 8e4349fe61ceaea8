/**
 * The file-system operations that write rendered/, and only those: node:fs in every run, a seam
 * where a test makes one of them fail the way a read-only mount or a missing permission would (the
 * tests run as root, where chmod provokes no EACCES).
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Dirent, type Stats } from 'node:fs';

export interface WriterFs {
  lstat(path: string): Stats;
  /** Creates the directory and any missing parents. */
  mkdir(path: string): void;
  /** `exclusive`: fails with EEXIST when the file exists (O_EXCL), as a lock is taken. */
  writeFile(path: string, content: string, options: { mode: number; exclusive?: boolean }): void;
  rename(from: string, to: string): void;
  /** Removes a file or a whole tree; nothing to remove is no error. */
  remove(path: string): void;
  readdir(path: string): Dirent[];
  readFile(path: string): string;
  /** Modification time in milliseconds. */
  mtime(path: string): number;
}

export const nodeWriterFs: WriterFs = {
  lstat: (p) => lstatSync(p),
  mkdir: (p) => void mkdirSync(p, { recursive: true }),
  writeFile: (p, content, { mode, exclusive }) => writeFileSync(p, content, { mode, flag: exclusive ? 'wx' : 'w' }),
  rename: (from, to) => renameSync(from, to),
  remove: (p) => rmSync(p, { recursive: true, force: true }),
  readdir: (p) => readdirSync(p, { withFileTypes: true }),
  readFile: (p) => readFileSync(p, 'utf8'),
  mtime: (p) => statSync(p).mtimeMs,
};
