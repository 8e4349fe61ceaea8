/**
 * validate over a directory of rendered environments, one environment at a time: each is loaded
 * and checked (parse, schema, policies), and its tree let go before the next (a tree of every
 * environment at once held 890 MiB at 10,000 clusters, and the collector's work with it). On a
 * large tree with a core to spare, a worker thread takes environments too, each thread taking the
 * next as it finishes one, and the findings are put back in environment order: the output is
 * byte for byte the one-thread output (test/validate-parallel.test.ts). Environments are the unit
 * because every policy looks at one environment whole.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Finding } from '../findings.js';
import { packageRoot } from '../package-root.js';
import { validateEnvironment } from '../validate/engine.js';
import { loadEnvironmentTree } from '../validate/manifests.js';
import type { SeveritySetting } from '../validate/policy.js';
import { policies } from '../../policies/index.js';

/**
 * A worker costs most of a second of CPU before it pays (importing the validator, warming up the
 * parser and the schemas anew, its share of the trees). Measured here (2 cores, validate wall time
 * alone / with a worker): 1,000 clusters 1.37 s / 1.61 s, 3,000 clusters 2.91 s / 2.96 s, 10,000
 * clusters 7.8-9.1 s / 6.6 s.
 */
export const PARALLEL_FROM_CLUSTERS = 5000;

/**
 * Worker threads for a run over `clusters` clusters: none for a smaller tree, and none unless the
 * rest of the machine leaves a core and a half idle (the 1-minute load average): with every core
 * taken (load 4 on 2 cores, 10,000 clusters) a worker made validate slower, 13.6 s against 11.4 s.
 */
export function workersFor(clusters: number): number {
  if (clusters < PARALLEL_FROM_CLUSTERS) return 0;
  const idle = os.availableParallelism() - os.loadavg()[0]!;
  return idle >= 1.5 ? Math.min(3, Math.floor(idle - 0.5)) : 0;
}

export type Overrides = Readonly<Record<string, SeveritySetting>> | undefined;

/** What checking one environment directory gives: its findings and what was read. */
export interface EnvironmentOutcome {
  findings: Finding[];
  clusters: number;
  files: number;
}

/** A job for a worker: the environment's index in the run, its directory and spec.policies. */
export interface EnvironmentJob {
  index: number;
  dir: string;
  cwd: string;
  overrides: Overrides;
}

/** Loads and checks one rendered environment: what both threads run. */
export function checkEnvironmentDir(dir: string, cwd: string, overrides: Overrides): EnvironmentOutcome {
  const tree = loadEnvironmentTree(dir, cwd);
  const findings = validateEnvironment(tree, { policies, overrides: new Map(overrides ? [[tree.name, overrides]] : []) });
  return { findings, clusters: tree.clusters.length, files: tree.shared.length + tree.clusters.reduce((n, c) => n + c.files.length, 0) };
}

const WORKER_SCRIPT = () => path.join(packageRoot(), 'dist', 'generator', 'commands', 'validate-worker.js');

/**
 * The outcomes of every environment directory, in the order given, with `workers` worker threads
 * beside this one (none: this thread alone, one environment after the other).
 */
export async function checkEnvironmentDirs(dirs: readonly string[], cwd: string, overridesOf: (dir: string) => Overrides, workers: number): Promise<EnvironmentOutcome[]> {
  const outcomes: EnvironmentOutcome[] = new Array(dirs.length);
  let next = 0;
  let completed = 0;
  let failure: unknown;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const settle = () => {
    if (failure !== undefined || completed === dirs.length) finish();
  };
  const threads = Array.from({ length: workers }, () => {
    const worker = new Worker(WORKER_SCRIPT());
    let busy: number | undefined;
    // A worker asks for work when it is ready and each time it is done: one still starting up
    // when the work runs out is simply stopped.
    worker.on('message', (message: 'ready' | { index: number; outcome: EnvironmentOutcome }) => {
      if (message !== 'ready') {
        outcomes[message.index] = message.outcome;
        completed++;
        busy = undefined;
      }
      if (next < dirs.length && failure === undefined) {
        busy = next++;
        worker.postMessage({ index: busy, dir: dirs[busy]!, cwd, overrides: overridesOf(dirs[busy]!) } satisfies EnvironmentJob);
      }
      settle();
    });
    worker.on('error', (error) => {
      failure ??= error;
      settle();
    });
    worker.on('exit', () => {
      if (busy !== undefined) failure ??= new Error(`the validate worker stopped while checking ${dirs[busy]}`);
      settle();
    });
    return worker;
  });
  try {
    // This thread takes its share meanwhile, yielding between environments to hand out the next.
    while (next < dirs.length && failure === undefined) {
      const index = next++;
      outcomes[index] = checkEnvironmentDir(dirs[index]!, cwd, overridesOf(dirs[index]!));
      completed++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    settle();
    await done;
  } finally {
    for (const worker of threads) {
      worker.removeAllListeners('exit');
      void worker.terminate();
    }
  }
  if (failure !== undefined) throw failure;
  return outcomes;
}
