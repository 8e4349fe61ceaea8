/**
 * The command line: parses arguments, calls the command functions in commands/, and is the only
 * place findings become output and results become exit codes (0 clean, 1 invalid input or
 * findings, 2 usage, unreadable path or nothing to check).
 */
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { GRAPH_FORMATS, type GraphFormat } from './graph/formats.js';
import { hasErrors, type Finding } from './findings.js';
import { isEnvironmentName, RENDERED_DIR, renderedEnvironmentDir } from './layout.js';
import { describeFsError } from './fs/read-regular.js';
import { packageVersion } from './package-root.js';
import { PLAN_FORMATS, type PlanFormat } from './plan/format.js';
import { escapeUnprintable, FORMATS, formatFindings, type Format } from './report/format.js';
import { reportTool } from './commands/rules.js';
import type { Checked } from './commands/checked.js';
import type { HelmOption } from './commands/helm.js';
import type { UsageError } from './commands/usage.js';
import type { ClusterArgument } from './adopt/starting-environment.js';
import type { Provider } from './istio/providers.js';
import type { WriterFs } from './write/file-system.js';
// The commands are imported when they run (await import): validate reads rendered trees only, and
// importing the model (zod), the loader and the renderers is a large part of a validate run.

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour the text report (on stderr); off unless the caller says so. */
  color?: boolean;
  /** Where PATH is read from (kubeconform); the process's environment unless the caller says so. */
  env?: NodeJS.ProcessEnv;
  /** What render writes rendered/ with: node:fs unless a test makes an operation fail. */
  writerFs?: WriterFs;
}

/** The process's own streams; built per run, so importing this module (as tests do) changes nothing. */
function processIo(): Io {
  return { cwd: process.cwd(), stdout: pipeSafe(process.stdout), stderr: pipeSafe(process.stderr), color: colorWanted(process.stderr.isTTY, process.env) };
}

/** Colour on a terminal only, and never when NO_COLOR is set to anything but the empty string (no-color.org). */
export function colorWanted(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return isTTY === true && !env.NO_COLOR;
}

/**
 * A reader that stops early (`meshops validate --format json | head`) closes the pipe: the rest of
 * the output is dropped and the run ends with its own exit code, instead of an EPIPE stack trace.
 */
function pipeSafe(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

const formatOption = () => new Option('--format <format>', 'output format').choices(FORMATS).default('text');
const quietOption = () => new Option('-q, --quiet', 'print findings only: no progress or summary line');
const helmOption = () =>
  new Option('--helm [path]', `also render every Application's Helm charts with helm template and check the result (helm: this path, else $MESHOPS_HELM, else PATH)`);
const chartsOption = () => new Option('--charts <dir>', 'with --helm: charts from <dir>/<minor>/charts/<chart> (e.g. ../shared/istio) instead of helm pull from the repoURL');

interface HelmFlags {
  helm?: string | true;
  charts?: string;
}

/** --helm [path] and --charts as the commands' helm option. */
function helmOf(flags: HelmFlags): HelmOption | undefined {
  if (flags.helm === undefined) return undefined;
  return { binary: flags.helm === true ? undefined : flags.helm, env: process.env, charts: flags.charts };
}

function report(io: Io, findings: readonly Finding[], format: Format): void {
  const out = formatFindings(findings, format, reportTool(), { color: io.color });
  // Text goes to stderr like a compiler's diagnostics; machine formats are the command's output.
  if (format === 'text') io.stderr(out);
  else io.stdout(out);
}

/**
 * A usage error (exit 2): a line on stderr, and with --format json also the contract's one object
 * on stdout, so a pipeline parsing it never reads an empty document.
 */
function usage(io: Io, error: UsageError, format: Format | undefined): number {
  io.stderr(`meshops: ${escapeUnprintable(error.message)}\n`);
  if (format === 'json') io.stdout(usageJson(error.message));
  return EXIT_USAGE;
}

const usageJson = (message: string) => `${JSON.stringify({ ok: false, violations: [], error: { kind: 'usage', message } })}\n`;

/** --format as given on the command line, for usage errors commander raises before any action runs. */
function requestedFormat(argv: readonly string[]): Format | undefined {
  const i = argv.lastIndexOf('--format');
  const value = i >= 0 ? argv[i + 1] : argv.filter((a) => a.startsWith('--format=')).pop()?.slice('--format='.length);
  return FORMATS.find((f) => f === value);
}

/**
 * Findings printed; exit 1 when any is an error. A clean run in text format ends with one line
 * saying what was checked, so a green job shows it looked at something.
 */
function reported(io: Io, result: { findings: readonly Finding[]; checked: Checked }, opts: { format: Format; quiet?: boolean }): number {
  report(io, result.findings, opts.format);
  if (hasErrors(result.findings)) return EXIT_FINDINGS;
  if (opts.format === 'text' && !opts.quiet) io.stderr(`${summaryLine(result.checked, result.findings)}\n`);
  return EXIT_OK;
}

function summaryLine(checked: Checked, findings: readonly Finding[]): string {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return (
    `meshops: checked ${count(checked.environments, 'environment')}, ${count(checked.clusters, 'cluster')}, ${count(checked.files, 'file')}: ` +
    `no errors${warnings > 0 ? `, ${count(warnings, 'warning')}` : ''}`
  );
}

/**
 * --env names a directory under environments/ and, through it, one under rendered/: anything but
 * a plain name ("../x", "a/b") is a usage error (exit 2) before any file is touched.
 */
function collectEnvironmentName(value: string, previous: string[]): string[] {
  if (!isEnvironmentName(value)) {
    throw new InvalidArgumentError(`"${value}" is not an environment name (a directory directly under environments/, named as a DNS-1123 label).`);
  }
  return [...previous, value];
}

const CLUSTER_ROLES = ['primary', 'remote'] as const;

/** --cluster NAME:ROLE:NETWORK[:PROVIDER] */
function collectClusterArgument(value: string, previous: ClusterArgument[]): ClusterArgument[] {
  const [name, role, network, provider, ...rest] = value.split(':');
  if (!name || !network || rest.length > 0 || !isEnvironmentName(name)) throw new InvalidArgumentError(`"${value}" is not NAME:ROLE:NETWORK[:PROVIDER] with NAME a DNS-1123 label`);
  if (!CLUSTER_ROLES.includes(role as ClusterArgument['role'])) throw new InvalidArgumentError(`role "${role}" of "${value}" must be primary or remote`);
  return [...previous, { name, role: role as ClusterArgument['role'], network, ...(provider ? { provider: provider as Provider } : {}) }];
}

function istioVersion(value: string): string {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z][-0-9A-Za-z.]*)?$/.test(value)) throw new InvalidArgumentError(`"${value}" is not an Istio release x.y.z`);
  return value;
}

function environmentName(value: string): string {
  return collectEnvironmentName(value, [])[0]!;
}

/** --helm-values CLUSTER=FILE */
function collectHelmValues(value: string, previous: { cluster: string; file: string }[]): { cluster: string; file: string }[] {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new InvalidArgumentError(`"${value}" is not CLUSTER=FILE`);
  return [...previous, { cluster: value.slice(0, eq), file: value.slice(eq + 1) }];
}

const noteLocation = (n: { file?: string; line?: number }) => (n.file ? `${n.file}${n.line !== undefined ? `:${n.line}` : ''}: ` : '');

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('meshops')
    .description(
      'Render and check a multi-cluster Istio mesh kept in Git.\n\n' +
        'Inputs are environments/<env>/mesh.yaml (or mesh.jsonnet). Output is rendered/<env>/clusters/<cluster>/: ' +
        'one kustomize root per cluster that Argo CD syncs, plus the cluster\'s single IstioOperator.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(run `meshops --help` for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  program
    .command('render')
    .description('validate every (or the named) environment and write rendered/<env>/; on any input error nothing under rendered/ changes')
    .option('--env <name>', 'render only this environment (repeatable)', collectEnvironmentName, [] as string[])
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  meshops render\n  meshops render --env prod --env staging\n\n' +
        'Exit: 0 rendered, 1 invalid input (nothing written), 2 usage (an --env that is not a plain name, no environments/ here).',
    )
    .addOption(quietOption())
    .action(async (opts: { env: string[]; format: Format; quiet?: boolean }) => {
      const { render } = await import('./commands/render.js');
      const result = await render({ cwd: io.cwd, envs: opts.env, fs: io.writerFs });
      if (result.kind === 'usage') return setExit(usage(io, result, opts.format));
      if (result.kind === 'invalid') {
        report(io, result.findings, opts.format);
        return setExit(EXIT_FINDINGS);
      }
      for (const warning of result.warnings) io.stderr(`meshops: warning: ${escapeUnprintable(warning)}\n`);
      if (opts.format === 'text') {
        if (opts.quiet) return setExit(EXIT_OK);
        for (const env of result.written) io.stderr(`rendered ${renderedEnvironmentDir(env)}\n`);
        for (const env of result.unchanged) io.stderr(`unchanged ${renderedEnvironmentDir(env)}\n`);
        for (const env of result.removed) io.stderr(`removed ${renderedEnvironmentDir(env)} (no such environment)\n`);
      } else report(io, [], opts.format);
      setExit(EXIT_OK);
    });

  program
    .command('validate')
    .description('schema and policy checks over rendered trees or any directory of manifests')
    .argument('[path...]', `${RENDERED_DIR}/ (default), one rendered environment, or a directory whose subdirectories are clusters`)
    .addOption(formatOption())
    .option('--kubeconform', 'also run kubeconform (when on PATH) over the same files with the project\'s schemas; its findings are rule schema')
    .addOption(helmOption())
    .addOption(chartsOption())
    .addHelpText(
      'after',
      '\nExamples:\n  meshops validate\n  meshops validate rendered/prod --format json\n  meshops validate ./my-clusters   # ./my-clusters/<cluster>/**/*.yaml\n' +
        '  meshops validate --kubeconform   # without kubeconform on PATH: a note on stderr, then as without the option\n\n' +
        'Exit: 0 no error finding, 1 findings, 2 usage or unreadable path (or kubeconform failing to run).',
    )
    .addOption(quietOption())
    .action(async (paths: string[], opts: { format: Format; kubeconform?: boolean; quiet?: boolean } & HelmFlags) => {
      const { validate } = await import('./commands/validate.js');
      const result = await validate({
        cwd: io.cwd,
        paths,
        kubeconform: opts.kubeconform ? { pathVariable: (io.env ?? process.env).PATH, note: io.stderr } : undefined,
        helm: helmOf(opts),
      });
      if (result.kind === 'usage') return setExit(usage(io, result, opts.format));
      setExit(reported(io, result, opts));
    });

  program
    .command('check')
    .description('the pull-request check: render in memory, compare with rendered/ (rule rendered-up-to-date), then validate rendered/')
    .option('--base <gitref>', 'also check migration transitions against the environments at this git revision (e.g. origin/main)')
    .addOption(formatOption())
    .addOption(helmOption())
    .addOption(chartsOption())
    .addHelpText(
      'after',
      '\nExamples:\n  meshops check\n  meshops check --format github\n  meshops check --base origin/main   # ASM migration state moves forward only\n' +
        '  meshops check --helm --charts ../shared/istio   # also helm template every Application\'s charts\n\n' +
        'Exit: 0 no error finding, 1 findings or invalid input, 2 usage (a --base that is not a git revision).',
    )
    .addOption(quietOption())
    .action(async (opts: { format: Format; base?: string; quiet?: boolean } & HelmFlags) => {
      const { check } = await import('./commands/check.js');
      const result = await check({ cwd: io.cwd, base: opts.base, helm: helmOf(opts) });
      if (result.kind === 'usage') return setExit(usage(io, result, opts.format));
      if (result.kind === 'invalid') {
        report(io, result.findings, opts.format);
        return setExit(EXIT_FINDINGS);
      }
      setExit(reported(io, result, opts));
    });

  program
    .command('init')
    .description('write a starting environments/<env>/mesh.yaml to complete (never overwrites)')
    .requiredOption('--env <name>', 'the environment to write', environmentName)
    .requiredOption('--cluster <name:role:network[:provider]>', 'a cluster of the mesh (repeatable); role primary or remote', collectClusterArgument, [] as ClusterArgument[])
    .requiredOption('--istio-version <version>', 'the Istio release, x.y.z', istioVersion)
    .addOption(new Option('--install <path>', 'how Istio is installed').choices(['helm', 'istioctl']).default('helm'))
    .addHelpText('after', '\nExamples:\n  meshops init --env prod --cluster c1:primary:net1:tke --cluster c2:remote:net1:tke --istio-version 1.24.3\n\nExit: 0 written, 2 usage or the environment exists.')
    .action(async (opts: { env: string; cluster: ClusterArgument[]; istioVersion: string; install: 'helm' | 'istioctl' }) => {
      if (!opts.cluster.some((c) => c.role === 'primary')) {
        io.stderr('meshops init: at least one --cluster must be a primary (a cluster that runs istiod)\n');
        setExit(EXIT_USAGE);
        return;
      }
      const { PROVIDERS: providers } = await import('./istio/providers.js');
      const unknown = opts.cluster.find((c) => c.provider !== undefined && !providers.includes(c.provider));
      if (unknown) {
        io.stderr(`meshops init: provider "${unknown.provider}" of cluster ${unknown.name} must be one of ${providers.join(', ')}\n`);
        setExit(EXIT_USAGE);
        return;
      }
      const { initEnvironment } = await import('./commands/init.js');
      const result = initEnvironment({ cwd: io.cwd, env: opts.env, clusters: opts.cluster, istioVersion: opts.istioVersion, install: opts.install });
      if (result.status === 'exists') {
        io.stderr(`meshops: ${result.file} exists; init never overwrites an environment\n`);
        setExit(EXIT_USAGE);
        return;
      }
      io.stdout(`wrote ${result.file}\n`);
      if (result.toFill.length > 0) io.stdout(`fill in before render: ${result.toFill.join(', ')}\n`);
      setExit(EXIT_OK);
    });

  program
    .command('plan')
    .description('what a change does: the rendered objects added, removed and changed between GITREF and the working tree, with each change\'s consequence for the running mesh')
    .option('--base <gitref>', 'the revision to compare the working tree with', 'HEAD')
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('text'))
    .addHelpText('after', '\nExamples:\n  meshops plan\n  meshops plan --base origin/main --format markdown\n\nExit: 0 planned, 2 usage (a --base that is not a git revision).')
    .action(async (opts: { base: string; format: PlanFormat }) => {
      const [{ plan }, { formatPlan }] = await Promise.all([import('./commands/plan.js'), import('./plan/format.js')]);
      const result = await plan({ cwd: io.cwd, base: opts.base });
      if (result.kind === 'usage') return setExit(usage(io, result, undefined));
      io.stdout(formatPlan(result.plan, opts.format));
      setExit(EXIT_OK);
    });

  program
    .command('graph')
    .description('the mesh topology as a picture: clusters grouped by network, primaries and their remotes, east-west gateways, VMs, the mesh migrated from or to')
    .requiredOption('--env <name>', 'the environment to draw', environmentName)
    .addOption(new Option('--format <format>', 'output format').choices(GRAPH_FORMATS).default('mermaid'))
    .addHelpText('after', '\nExamples:\n  meshops graph --env prod\n  meshops graph --env prod --format dot | dot -Tsvg > prod.svg\n\nExit: 0 drawn, 1 invalid input, 2 usage (no such environment).')
    .action(async (opts: { env: string; format: GraphFormat }) => {
      const { graph } = await import('./commands/graph.js');
      const result = await graph({ cwd: io.cwd, env: opts.env, format: opts.format });
      if (result.kind === 'usage') return setExit(usage(io, result, undefined));
      if (result.kind === 'invalid') {
        report(io, result.findings, 'text');
        return setExit(EXIT_FINDINGS);
      }
      io.stdout(result.text);
      setExit(EXIT_OK);
    });

  program
    .command('import')
    .description('turn existing IstioOperator files (any number per cluster, merged as istioctl merges -f files) into environments/<env>/mesh.yaml')
    .requiredOption('--env <name>', 'the environment to write (never overwritten)', environmentName)
    .option('--istio-version <version>', 'the Istio version, when no file states spec.tag')
    .option('--helm-values <cluster=file>', "a Helm values file of Istio's istiod or gateway chart for a cluster (repeatable)", collectHelmValues, [] as { cluster: string; file: string }[])
    .argument('[file...]', 'IstioOperator files, in the order istioctl would take them')
    .addHelpText('after', '\nExamples:\n  meshops import --env prod master-cluster.yaml eastwest-gateway.yaml member-cluster-1.yaml\n  meshops import --env prod --istio-version 1.24.3 --helm-values c1=istiod-values.yaml\n\nExit: 0 written, 1 unreadable or contradictory input, 2 usage or the environment exists.')
    .action(async (files: string[], opts: { env: string; istioVersion?: string; helmValues: { cluster: string; file: string }[] }) => {
      if (files.length === 0 && opts.helmValues.length === 0) {
        io.stderr('meshops import: give at least one IstioOperator file or --helm-values CLUSTER=FILE\n');
        setExit(EXIT_USAGE);
        return;
      }
      const { importEnvironment } = await import('./commands/import.js');
      const result = importEnvironment({ cwd: io.cwd, env: opts.env, files, helmValues: opts.helmValues, istioVersion: opts.istioVersion });
      if (result.status === 'exists') {
        io.stderr(`meshops: ${result.file} exists; import never overwrites an environment (choose another --env, or remove it first)\n`);
        setExit(EXIT_USAGE);
      } else if (result.status === 'invalid') {
        for (const e of result.errors) io.stderr(`${noteLocation(e)}error import: ${e.message}\n`);
        setExit(EXIT_FINDINGS);
      } else {
        io.stdout(`wrote ${result.file}\n`);
        const section = (title: string, notes: readonly { file?: string; line?: number; cluster?: string; message: string }[]) => {
          if (notes.length === 0) return;
          io.stdout(`\n${title}\n`);
          for (const n of notes) io.stdout(`  ${noteLocation(n)}${n.cluster ? `${n.cluster}: ` : ''}${n.message}\n`);
        };
        section('Not carried over:', [...result.skipped, ...result.plan.notCarried]);
        section('Added by meshops (on purpose):', result.plan.added);
        section('To fill in before render (marked "TO FILL:"):', result.plan.toFill);
        setExit(EXIT_OK);
      }
    });

  program
    .command('schema')
    .description('print the JSON Schema of MeshEnvironment (also committed as schemas/mesh-environment.schema.json)')
    .action(async () => {
      const { schema } = await import('./commands/schema.js');
      io.stdout(`${JSON.stringify(schema(), null, 2)}\n`);
      setExit(EXIT_OK);
    });

  return program;
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is usage (already on stderr).
      if (e.exitCode === 0) return EXIT_OK;
      if (requestedFormat(argv) === 'json') {
        io.stdout(usageJson(e.message.replace(/^error: /, '')));
      }
      return EXIT_USAGE;
    }
    // A file system refusing what the input or the environment asked for (EACCES, ENOENT, EROFS)
    // is the user's to fix, at the path it names.
    const fsError = e as NodeJS.ErrnoException;
    if (fsError.code && fsError.path) {
      const shown = path.relative(io.cwd, fsError.path).split(path.sep).join('/') || '.';
      io.stderr(`${escapeUnprintable(shown)}: error input: ${describeFsError(e)}\n`);
      return EXIT_FINDINGS;
    }
    io.stderr(`meshops: internal error: ${escapeUnprintable((e as Error).message)}\n`);
    return EXIT_USAGE;
  }
}
