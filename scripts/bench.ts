/**
 * `npm run bench`: times `meshops render` and `meshops validate` as whole processes (start-up
 * included, as CI pays it) on synthetic fleets, with their CPU time and peak memory, and compares
 * validate with kubeconform -strict on the same files when kubeconform is on PATH. validate runs on
 * the clean fleet and on the same fleet with one warning per cluster (what findings cost). CPU time
 * (user + system) is the steadier figure on a machine other work shares; wall time is what CI waits
 * for; validate and kubeconform run in turn, so their ratio holds when the machine's speed drifts.
 *
 *   npm run bench                      100 and 1,000 clusters, 3 runs each (medians)
 *   npm run bench -- --huge            also 10,000 clusters
 *   npm run bench -- --sizes 50,5000 --runs 5 --clusters-per-env 100 --clusters-per-network 10 --keep
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENVIRONMENTS_DIR, RENDERED_DIR } from '../generator/layout.js';
import { packageRoot } from '../generator/package-root.js';
import { findOnPath, KUBECONFORM, kubeconformSchemaLocation } from '../generator/validate/kubeconform.js';
import { DEFAULT_FLEET_SHAPE, writeSyntheticFleet, type FleetOptions } from './synthetic-fleet.js';

export interface Measurement {
  /** Median wall time of the runs, in seconds. */
  seconds: number;
  /** Median CPU time (user + system, all threads) of the runs, in seconds (undefined when it cannot be measured). */
  cpuSeconds: number | undefined;
  /** Median peak resident set size of the runs, in MiB (undefined when it cannot be measured). */
  peakMiB: number | undefined;
}

export interface BenchRow {
  clusters: number;
  environments: number;
  files: number;
  documents: number;
  bytes: number;
  render: Measurement;
  validate: Measurement;
  /** Exit code of validate: 0 unless the validator disagrees with the generator. */
  validateExit: number;
  kubeconform?: Measurement;
  /** The same fleet with one warning per cluster. */
  withFindings: { warnings: number; validate: Measurement; kubeconform?: Measurement };
}

export interface BenchOptions {
  sizes: number[];
  runs: number;
  shape: Omit<FleetOptions, 'clusters'>;
  /** Leave the fleets on disk (to profile them), instead of removing them. */
  keep: boolean;
  /** `/usr/bin/time` (GNU time, for CPU time and peak memory), or null to have Node report its own. */
  timeBinary: string | null;
  /** Environment of the spawned commands; its PATH is where kubeconform is looked for. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

const BIN = path.join(packageRoot(), 'bin', 'meshops.js');
/** Node's own peak memory (KiB) and CPU time (s), written on exit as GNU time's "%M %U %S" would be: the fallback without it. */
const NODE_USAGE_PROBE =
  "process.on('exit', () => { const u = process.resourceUsage(); " +
  "require('node:fs').writeFileSync(process.env.MESHOPS_BENCH_USAGE, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}`); });\n";

export interface RunResult {
  seconds: number;
  cpuSeconds: number | undefined;
  peakKiB: number | undefined;
  status: number;
  stderr: string;
}

/** Runs one command to completion; wall time from the parent, CPU time and peak RSS from GNU time or the probe. */
export function runOnce(command: string, args: string[], cwd: string, options: BenchOptions, scratch: string): RunResult {
  const usageFile = path.join(scratch, 'usage');
  rmSync(usageFile, { force: true });
  const isNode = command === process.execPath;
  let argv: string[];
  if (options.timeBinary) argv = [options.timeBinary, '-f', '%M %U %S', '-o', usageFile, command, ...args];
  else if (isNode) argv = [command, '--require', path.join(scratch, 'usage-probe.cjs'), ...args];
  else argv = [command, ...args];
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd,
    env: { ...options.env, MESHOPS_BENCH_USAGE: usageFile, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.error) throw r.error;
  // GNU time puts "Command exited with non-zero status N" before its figures.
  const [peak, user, system] = (existsSync(usageFile) ? readFileSync(usageFile, 'utf8').trim().split('\n').pop()! : '').split(' ').map(Number);
  const cpu = user! + system!;
  return { seconds, cpuSeconds: Number.isFinite(cpu) ? cpu : undefined, peakKiB: Number.isFinite(peak) ? peak : undefined, status: r.status ?? -1, stderr: r.stderr };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarize(runs: RunResult[]): Measurement {
  const known = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  const cpu = known(runs.map((r) => r.cpuSeconds));
  const peaks = known(runs.map((r) => r.peakKiB));
  return {
    seconds: median(runs.map((r) => r.seconds)),
    cpuSeconds: cpu.length ? median(cpu) : undefined,
    peakMiB: peaks.length ? median(peaks) / 1024 : undefined,
  };
}

/**
 * kubeconform as the issue measured it: -strict, the project's schemas, the whole rendered tree. The
 * IstioOperator is skipped: its schema depends on the Istio version in spec.tag, which kubeconform's
 * one-schema-per-kind lookup cannot follow (meshops checks it per version).
 */
function kubeconformArgs(schemaLocation: string, target: string): string[] {
  return ['-strict', '-summary', '-schema-location', schemaLocation, '-skip', 'IstioOperator', target];
}

/** Files, documents and bytes of every YAML file below `dir`. */
function treeSize(dir: string): { files: number; documents: number; bytes: number } {
  let files = 0;
  let documents = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    const text = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    files++;
    bytes += Buffer.byteLength(text);
    documents += text.split(/^---$/m).length;
  }
  return { files, documents, bytes };
}

/** validate and kubeconform (when on PATH) over the rendered tree of `repo`, in turn: V K V K ... */
function validateAndKubeconform(repo: string, options: BenchOptions, scratch: string): { validates: RunResult[]; kubeconform?: RunResult[] } {
  const kubeconform = findOnPath(KUBECONFORM, options.env.PATH);
  const args = kubeconform ? kubeconformArgs(kubeconformSchemaLocation(path.join(scratch, 'kubeconform-schemas')), RENDERED_DIR) : [];
  const validates: RunResult[] = [];
  const kubeconforms: RunResult[] = [];
  for (let i = 0; i < options.runs; i++) {
    validates.push(runOnce(process.execPath, [BIN, 'validate'], repo, options, scratch));
    if (kubeconform) kubeconforms.push(runOnce(kubeconform, args, repo, options, scratch));
  }
  return kubeconform ? { validates, kubeconform: kubeconforms } : { validates };
}

/** The directory runOnce keeps its measurements in, with the probe that stands in for GNU time. */
export function prepareScratch(scratch: string): void {
  mkdirSync(scratch, { recursive: true });
  writeFileSync(path.join(scratch, 'usage-probe.cjs'), NODE_USAGE_PROBE);
}

/** Benchmarks one fleet size in `dir`, which the caller removes. */
function benchSize(clusters: number, dir: string, options: BenchOptions): BenchRow {
  const scratch = path.join(dir, '.bench');
  prepareScratch(scratch);
  const fleet = path.join(dir, 'fleet');
  const environments = writeSyntheticFleet(fleet, { clusters, ...options.shape }).length;
  const findingsRepo = path.join(dir, 'with-findings');
  writeSyntheticFleet(findingsRepo, { clusters, ...options.shape, withFindings: true });
  const rendered = runOnce(process.execPath, [BIN, 'render'], findingsRepo, options, scratch);
  if (rendered.status !== 0) throw new Error(`meshops render failed on the ${clusters}-cluster fleet with findings (exit ${rendered.status}):\n${rendered.stderr.slice(0, 2000)}`);

  const renders: RunResult[] = [];
  let repo = fleet;
  for (let i = 0; i < options.runs; i++) {
    // Each run renders a fresh copy of the fleet: over an identical tree a render only compares,
    // and deleting the previous tree just before would time the file system catching up with it.
    repo = path.join(dir, `render-${i}`);
    cpSync(path.join(fleet, ENVIRONMENTS_DIR), path.join(repo, ENVIRONMENTS_DIR), { recursive: true });
    const r = runOnce(process.execPath, [BIN, 'render'], repo, options, scratch);
    if (r.status !== 0) throw new Error(`meshops render failed on the ${clusters}-cluster fleet (exit ${r.status}):\n${r.stderr.slice(0, 2000)}`);
    renders.push(r);
  }
  // validate and kubeconform read the tree the last render wrote.
  const clean = validateAndKubeconform(repo, options, scratch);
  const validates = clean.validates;
  const validateExit = validates[0]!.status;
  if (validateExit !== 0) {
    options.log(`warning: validate exits ${validateExit} on the ${clusters}-cluster fleet (generator and validator disagree):`);
    options.log(validates[0]!.stderr.split('\n').slice(0, 5).join('\n'));
  }

  const findings = validateAndKubeconform(findingsRepo, options, scratch);
  const row: BenchRow = {
    clusters,
    environments,
    ...treeSize(path.join(repo, RENDERED_DIR)),
    render: summarize(renders),
    validate: summarize(validates),
    validateExit,
    withFindings: {
      warnings: Number(/(\d+) warnings?/.exec(findings.validates[0]!.stderr)?.[1] ?? 0),
      validate: summarize(findings.validates),
    },
  };
  if (clean.kubeconform) row.kubeconform = summarize(clean.kubeconform);
  if (findings.kubeconform) row.withFindings.kubeconform = summarize(findings.kubeconform);
  if (options.keep) options.log(`kept the ${clusters}-cluster fleet, rendered, in ${repo}`);
  return row;
}

export function runBench(options: BenchOptions): BenchRow[] {
  const dirs: string[] = [];
  try {
    return options.sizes.map((clusters) => {
      options.log(`${clusters} clusters ...`);
      dirs.push(mkdtempSync(path.join(os.tmpdir(), `meshops-bench-${clusters}-`)));
      return benchSize(clusters, dirs[dirs.length - 1]!, options);
    });
  } finally {
    // Removed at the end, not between sizes: a file system busy freeing tens of thousands of
    // files slows the next render's file creation several times over.
    if (!options.keep) for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

export function formatTable(rows: readonly BenchRow[]): string {
  const withKubeconform = rows.some((r) => r.kubeconform);
  /** Wall seconds, CPU seconds and peak MiB of a command. */
  const figures = (m: Measurement | undefined): string[] => [
    m ? m.seconds.toFixed(2) : '-',
    m?.cpuSeconds === undefined ? '-' : m.cpuSeconds.toFixed(2),
    m?.peakMiB === undefined ? '-' : m.peakMiB.toFixed(0),
  ];
  const columns = (command: string) => [`${command} s`, `${command} cpu s`, `${command} RSS MiB`];
  const ratio = (a: Measurement, b: Measurement | undefined) => (b ? `${(a.seconds / b.seconds).toFixed(2)}x` : '-');
  const header = ['clusters', 'envs', 'files', 'docs', 'tree MiB', ...columns('render'), ...columns('validate')];
  if (withKubeconform) header.push(...columns('kubeconform'), 'validate/kubeconform');
  header.push('warnings', ...columns('validate'));
  if (withKubeconform) header.push(...columns('kubeconform'), 'validate/kubeconform');
  const lines = rows.map((r) => {
    const validate = figures(r.validate);
    if (r.validateExit) validate[0] += ' (findings!)';
    const cells = [String(r.clusters), String(r.environments), String(r.files), String(r.documents), (r.bytes / 1024 / 1024).toFixed(1), ...figures(r.render), ...validate];
    if (withKubeconform) cells.push(...figures(r.kubeconform), ratio(r.validate, r.kubeconform));
    cells.push(String(r.withFindings.warnings), ...figures(r.withFindings.validate));
    if (withKubeconform) cells.push(...figures(r.withFindings.kubeconform), ratio(r.withFindings.validate, r.withFindings.kubeconform));
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  return [row(header), `|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`, ...lines.map(row)].join('\n');
}

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '100,1000' },
      huge: { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
      'clusters-per-env': { type: 'string', default: String(DEFAULT_FLEET_SHAPE.clustersPerEnvironment) },
      'clusters-per-network': { type: 'string', default: String(DEFAULT_FLEET_SHAPE.clustersPerNetwork) },
      keep: { type: 'boolean', default: false },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  if (values.huge) sizes.push(10_000);
  const runs = Number(values.runs);
  const shape = { clustersPerEnvironment: Number(values['clusters-per-env']), clustersPerNetwork: Number(values['clusters-per-network']) };
  if (!sizes.every((n) => Number.isInteger(n) && n > 0) || !(Number.isInteger(runs) && runs > 0)) {
    throw new Error('--sizes takes positive cluster counts (e.g. 100,1000) and --runs a positive number');
  }
  const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(
    `meshops bench: ${runs} run(s) per command, medians; fleets of ${shape.clustersPerEnvironment} clusters per environment, ` +
      `${shape.clustersPerNetwork} per network; CPU time and peak memory from ${timeBinary ?? "Node's own resource usage"}`,
  );
  const rows = runBench({ sizes, runs, shape, keep: values.keep, timeBinary, env: process.env, log });
  process.stdout.write(`${formatTable(rows)}\n`);
  if (!rows.some((r) => r.kubeconform)) process.stdout.write('kubeconform is not on PATH: no comparison.\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
