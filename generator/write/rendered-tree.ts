/**
 * rendered/<env>/ on disk: read it back, and replace it atomically. A render never leaves a
 * half-written environment: new trees are written beside the old ones, every one of them is
 * swapped in by rename, and only then are the old ones deleted. One render writes at a time (a
 * lock file), and what a killed render left behind is recovered by the next one before it writes.
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { RENDERED_DIR } from '../layout.js';
import { describeFsError, entryKind, readRegularFile } from '../fs/read-regular.js';
import { nodeWriterFs, type WriterFs } from './file-system.js';
import { acquireLock, LockHeldError } from './lock.js';
import type { SerializedEnvironment, SerializedFile } from './serialize.js';

const TEMP_PREFIX = '.meshops-tmp-';
const NEW_SUFFIX = '-new';
const OLD_SUFFIX = '-old';
const LOCK_FILE = '.meshops-lock';
/** Far above any rendered file; a file this large under rendered/ was not written by meshops. */
const MAX_RENDERED_FILE_BYTES = 16 * 1024 * 1024;

/** A condition of the file system that keeps rendered/ from being written (reported, exit 1). */
export class RenderedTreeError extends Error {}

/**
 * Every regular file under `dir` as POSIX-relative path -> content (empty map when `dir` is absent).
 * Entries that are not regular files or directories are never followed or read; each is passed to
 * `irregular` (with "" for `dir` itself).
 */
export function readTree(dir: string, irregular: (relPath: string, kind: string) => void = () => {}): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (abs: string, rel: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(abs, entry.name);
      if (entry.isDirectory()) walk(childAbs, childRel);
      else if (!entry.isFile()) irregular(childRel, entryKind(entry));
      else {
        const read = readRegularFile(childAbs, MAX_RENDERED_FILE_BYTES, { typeFromDirectory: true });
        if (read.ok) files.set(childRel, read.text);
        else irregular(childRel, read.reason);
      }
    }
  };
  let stats;
  try {
    stats = lstatSync(dir);
  } catch {
    return files;
  }
  if (stats.isDirectory()) walk(dir, '');
  else irregular('', entryKind(stats));
  return files;
}

/** Refuses any path that is absolute, climbs out with "..", or is not normalized. */
export function assertContained(relPath: string): void {
  const normalized = path.posix.normalize(relPath);
  if (path.posix.isAbsolute(relPath) || normalized !== relPath || normalized.startsWith('../') || normalized === '..' || relPath.includes('\\')) {
    throw new Error(`refusing to write outside the environment's directory: ${JSON.stringify(relPath)}`);
  }
}

function sameContent(dir: string, files: readonly SerializedFile[]): boolean {
  let irregular = false;
  const existing = readTree(dir, () => {
    irregular = true;
  });
  return !irregular && existing.size === files.length && files.every((f) => existing.get(f.path) === f.content);
}

export interface WriteReport {
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Cleanup that failed after rendered/ was complete: worth saying, not a failed render. */
  warnings: string[];
}

/**
 * A test may stop the writer dead at a named step (MESHOPS_TEST_KILL_AT=<step>), the way a kill
 * or a power cut would, to prove what the next render finds there is recoverable.
 */
function crashPoint(step: string): void {
  if (process.env.MESHOPS_TEST_KILL_AT === step) process.kill(process.pid, 'SIGKILL');
}

/**
 * Replaces rendered/<env>/ for each environment. With `pruneOthers`, directories of environments
 * that no longer exist are removed too (a full render owns all of rendered/). A file-system error
 * that keeps the new trees out is a RenderedTreeError naming the path; one in cleaning up after
 * they are all in is a warning of the report.
 */
export function writeRendered(repoRoot: string, environments: readonly SerializedEnvironment[], pruneOthers: boolean, fs: WriterFs = nodeWriterFs): WriteReport {
  // Every name is checked before anything is written, so a refused path leaves no trace.
  for (const { env, files } of environments) {
    assertContained(env);
    if (env.includes('/') || env.startsWith('.')) throw new Error(`invalid environment name ${JSON.stringify(env)}`);
    for (const file of files) assertContained(file.path);
  }
  const tree = new Tree(repoRoot, fs);
  tree.prepareRoot();
  const lock = tree.path(LOCK_FILE);
  let release: () => void;
  try {
    release = acquireLock(lock, fs);
  } catch (e) {
    if (e instanceof LockHeldError) throw new RenderedTreeError(e.message);
    throw new RenderedTreeError(`cannot lock ${RENDERED_DIR}/: cannot create ${tree.shown(lock)}: ${describeFsError(e)}`);
  }
  const report: WriteReport = { written: [], unchanged: [], removed: [], warnings: [] };
  try {
    tree.recoverLeftovers(report);
    const staged = tree.stage(environments, report);
    crashPoint('staged');
    tree.swap(staged);
    report.written.push(...staged);
    for (const env of staged) tree.remove(tree.path(`${TEMP_PREFIX}${env}${OLD_SUFFIX}`), report);
    if (pruneOthers) tree.prune(new Set(environments.map((e) => e.env)), report);
  } finally {
    try {
      release();
    } catch (e) {
      report.warnings.push(`could not remove ${tree.shown(lock)}: ${describeFsError(e)}; remove it by hand once no render runs`);
    }
  }
  return report;
}

/** rendered/ of one repository, written through `fs`. */
class Tree {
  readonly root: string;

  constructor(
    private readonly repoRoot: string,
    private readonly fs: WriterFs,
  ) {
    this.root = path.join(repoRoot, RENDERED_DIR);
  }

  /** The absolute path of an entry of rendered/. */
  path(name: string): string {
    return path.join(this.root, name);
  }

  /** A path as the user finds it from the repository root. */
  shown(abs: string): string {
    return path.relative(this.repoRoot, abs).split(path.sep).join('/');
  }

  /** rendered/ must be a directory of the repository itself: through a link, pruning would delete elsewhere. */
  prepareRoot(): void {
    let stats;
    try {
      stats = this.fs.lstat(this.root);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new RenderedTreeError(`cannot use ${RENDERED_DIR}/: ${describeFsError(e)}`);
      try {
        this.fs.mkdir(this.root);
      } catch (error) {
        throw new RenderedTreeError(`cannot create ${RENDERED_DIR}/: ${describeFsError(error)}`);
      }
      return;
    }
    if (stats.isSymbolicLink()) {
      throw new RenderedTreeError(`${RENDERED_DIR}/ is a symbolic link; refusing to write through it (a full render removes what is not an environment). Make ${RENDERED_DIR}/ a directory of the repository`);
    }
    if (!stats.isDirectory()) throw new RenderedTreeError(`${RENDERED_DIR} is not a directory; move it away so render can create ${RENDERED_DIR}/`);
  }

  /**
   * What a killed render left: a staged tree (…-new) is dropped; an old tree (…-old) whose
   * environment is missing was moved aside by a render killed before it moved the new tree in, so
   * it goes back; any other old tree was already replaced and is deleted.
   */
  recoverLeftovers(report: WriteReport): void {
    for (const name of this.fs.readdir(this.root).map((d) => d.name).sort()) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const abs = this.path(name);
      if (name.endsWith(OLD_SUFFIX)) {
        const env = name.slice(TEMP_PREFIX.length, -OLD_SUFFIX.length);
        if (!this.exists(this.path(env))) {
          try {
            this.fs.rename(abs, this.path(env));
            continue;
          } catch (e) {
            throw new RenderedTreeError(`cannot restore ${RENDERED_DIR}/${env} from ${RENDERED_DIR}/${name}, left by an interrupted render: ${describeFsError(e)}`);
          }
        }
      }
      this.remove(abs, report);
    }
  }

  /** Writes the environments that changed beside rendered/<env>/; returns their names. */
  stage(environments: readonly SerializedEnvironment[], report: WriteReport): string[] {
    const staged: string[] = [];
    let doing = '';
    try {
      for (const { env, files } of environments) {
        if (sameContent(this.path(env), files)) {
          report.unchanged.push(env);
          continue;
        }
        const temp = this.path(`${TEMP_PREFIX}${env}${NEW_SUFFIX}`);
        staged.push(env);
        // Each directory is created once, not once per file (a cluster directory holds several).
        const created = new Set<string>();
        for (const file of files) {
          const target = path.join(temp, ...file.path.split('/'));
          const dir = path.dirname(target);
          if (!created.has(dir)) {
            doing = `cannot create the directory ${this.shown(dir)}`;
            this.fs.mkdir(dir);
            created.add(dir);
          }
          doing = `cannot write ${this.shown(target)}`;
          this.fs.writeFile(target, file.content, { mode: file.executable ? 0o755 : 0o644 });
        }
      }
    } catch (error) {
      for (const env of staged) this.discard(`${TEMP_PREFIX}${env}${NEW_SUFFIX}`);
      throw new RenderedTreeError(`${doing}: ${describeFsError(error)}. Nothing under ${RENDERED_DIR}/ changed`);
    }
    return staged;
  }

  /** Moves every staged tree in, keeping each old one aside until all are in. */
  swap(staged: readonly string[]): void {
    const done: string[] = [];
    for (const env of staged) {
      const target = this.path(env);
      const aside = this.path(`${TEMP_PREFIX}${env}${OLD_SUFFIX}`);
      const fresh = this.path(`${TEMP_PREFIX}${env}${NEW_SUFFIX}`);
      let doing = `cannot move ${this.shown(target)} aside to ${this.shown(aside)}`;
      try {
        if (this.exists(target)) this.fs.rename(target, aside);
        crashPoint('swapping');
        doing = `cannot move the new ${this.shown(target)} in from ${this.shown(fresh)}`;
        this.fs.rename(fresh, target);
        done.push(env);
      } catch (e) {
        // Put the old tree back if it was moved aside: an environment is never left missing.
        let missing = false;
        if (!this.exists(target)) {
          try {
            this.fs.rename(aside, target);
          } catch {
            missing = this.exists(aside);
          }
        }
        const old = staged.filter((s) => !done.includes(s));
        for (const env of old) this.discard(`${TEMP_PREFIX}${env}${NEW_SUFFIX}`);
        throw new RenderedTreeError(
          `${doing}: ${describeFsError(e)}. ` +
            (done.length ? `New: ${done.join(', ')}; still old: ${old.join(', ')}. ` : missing ? '' : `Nothing under ${RENDERED_DIR}/ changed. `) +
            (missing ? `${this.shown(target)} is missing: its old tree waits in ${this.shown(aside)}. ` : '') +
            'Run meshops render again (it restores or finishes what this run left)',
        );
      }
    }
    crashPoint('swapped');
  }

  prune(keep: ReadonlySet<string>, report: WriteReport): void {
    for (const entry of this.fs.readdir(this.root)) {
      // lstat, not stat: a link is never followed, and a file or FIFO here is not an environment.
      if (entry.name.startsWith('.') || keep.has(entry.name) || !entry.isDirectory()) continue;
      if (this.remove(this.path(entry.name), report)) report.removed.push(entry.name);
    }
  }

  /** Removes a tree; a failure is a warning of the report. */
  remove(abs: string, report: WriteReport): boolean {
    try {
      this.fs.remove(abs);
      return true;
    } catch (e) {
      report.warnings.push(`could not remove ${this.shown(abs)}: ${describeFsError(e)}`);
      return false;
    }
  }

  /** Drops a staged tree of a failed render; what cannot be dropped now the next render removes (recoverLeftovers). */
  private discard(name: string): void {
    try {
      this.fs.remove(this.path(name));
    } catch {
      // left for the next render
    }
  }

  private exists(abs: string): boolean {
    try {
      this.fs.lstat(abs);
      return true;
    } catch {
      return false;
    }
  }
}
