/**
 * The command line: the only place findings become output and results become exit codes
 * (0 clean, 1 invalid input or findings, 2 usage or unreadable path).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import jsYaml from 'js-yaml';
import { compareWithDisk, RENDERED_UP_TO_DATE } from './check.js';
import { hasErrors, type Finding } from './findings.js';
import { ENVIRONMENTS_DIR, isEnvironmentName } from './load/environment-name.js';
import { FORMATS, formatFindings, type Format, type RuleInfo } from './report/format.js';
import { validateTrees } from './validate/engine.js';
import { KubeconformError, validateTreesWithKubeconform } from './validate/kubeconform.js';
import { loadTrees, UnreadablePathError, type EnvironmentTree } from './validate/manifests.js';
import type { SeveritySetting } from './validate/policy.js';
import { SCHEMA_RULE } from './validate/schema-check.js';
import { HELM_TEMPLATE_RULE } from './validate/helm-template.js';
import { RENDERED_DIR, writeRendered } from './write/rendered-tree.js';
import { policies } from '../policies/index.js';
// The model (zod), the loader, the renderers and yaml are imported inside the commands that use
// them (await import): validate reads rendered trees only, and importing all of them is a large
// part of a validate run.

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: Io = {
  cwd: process.cwd(),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** Every rule a report may name, for SARIF rule metadata. */
export function ruleCatalog(): RuleInfo[] {
  return [
    { ...SCHEMA_RULE },
    { ...RENDERED_UP_TO_DATE },
    { ...HELM_TEMPLATE_RULE },
    ...policies.map((p) => ({ id: p.id, description: p.description, severity: p.severity, help: `${p.docs.rationale}\n\nBad:\n${p.docs.bad}\n\nGood:\n${p.docs.good}` })),
    { id: 'input', description: 'The environment file is not a valid MeshEnvironment.', severity: 'error' },
    { id: 'input-syntax', description: 'The environment file cannot be read (YAML or Jsonnet syntax, duplicate keys, alias limit, size).', severity: 'error' },
  ];
}

const formatOption = () => new Option('--format <format>', 'output format').choices(FORMATS).default('text');
const helmOption = () =>
  new Option('--helm [path]', `also render every Application's Helm charts with helm template and check the result (helm: this path, else $MESHOPS_HELM, else PATH)`);
const chartsOption = () => new Option('--charts <dir>', 'with --helm: charts from <dir>/<minor>/charts/<chart> (e.g. ../shared/istio) instead of helm pull from the repoURL');

interface HelmFlags {
  helm?: string | true;
  charts?: string;
}

/** --helm: renders the trees' charts (tree.charts) and returns helm's findings; undefined after a usage error. */
async function chartFindings(io: Io, trees: readonly EnvironmentTree[], flags: HelmFlags): Promise<Finding[] | undefined> {
  if (flags.helm === undefined) return [];
  const { HelmUnavailableError, renderTreeCharts, resolveHelm } = await import('./validate/helm-template.js');
  try {
    const helm = resolveHelm(flags.helm === true ? undefined : flags.helm, process.env);
    return renderTreeCharts(trees, { helm, charts: flags.charts === undefined ? undefined : path.resolve(io.cwd, flags.charts) });
  } catch (e) {
    if (!(e instanceof HelmUnavailableError)) throw e;
    io.stderr(`meshops: ${e.message}\n`);
    return undefined;
  }
}

function report(io: Io, findings: readonly Finding[], format: Format): void {
  const out = formatFindings(findings, format, ruleCatalog());
  // Text goes to stderr like a compiler's diagnostics; machine formats are the command's output.
  if (format === 'text') io.stderr(out);
  else io.stdout(out);
}

async function severityOverrides(io: Io, trees: readonly EnvironmentTree[]): Promise<Map<string, Record<string, SeveritySetting>>> {
  const overrides = new Map<string, Record<string, SeveritySetting>>();
  for (const tree of trees) {
    if (!maySetPolicies(io.cwd, tree.name)) continue;
    const { loadEnvironment } = await import('./load/environments.js');
    const loaded = await loadEnvironment(io.cwd, tree.name);
    if (loaded.ok) overrides.set(tree.name, loaded.env.model.spec.policies);
  }
  return overrides;
}

/**
 * Whether environments/<name>/ may set spec.policies. Most environments set none, and a plain
 * js-yaml read says so at a fraction of the cost of loading and validating the model; Jsonnet, and
 * YAML js-yaml cannot read, go through the full load, which has the last word.
 */
function maySetPolicies(cwd: string, name: string): boolean {
  // Not an environment, or none by that name: the full load would find no overrides either.
  if (!isEnvironmentName(name)) return false;
  const dir = path.join(cwd, ENVIRONMENTS_DIR, name);
  if (existsSync(path.join(dir, 'mesh.jsonnet'))) return true;
  let text: string;
  try {
    text = readFileSync(path.join(dir, 'mesh.yaml'), 'utf8');
  } catch {
    return false;
  }
  try {
    return (jsYaml.load(text) as { spec?: { policies?: unknown } } | null)?.spec?.policies !== undefined;
  } catch {
    return true;
  }
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

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('meshops')
    .description(
      'Render and check a multi-cluster Istio mesh kept in Git.\n\n' +
        'Inputs are environments/<env>/mesh.yaml (or mesh.jsonnet). Output is rendered/<env>/clusters/<cluster>/: ' +
        'one kustomize root per cluster that Argo CD syncs, plus the cluster\'s single IstioOperator.',
    )
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
    .action(async (opts: { env: string[]; format: Format }) => {
      // A full render prunes rendered/ down to the environments it finds: run outside the
      // repository root, it would find none and delete every rendered environment.
      if (!existsSync(path.join(io.cwd, ENVIRONMENTS_DIR))) {
        io.stderr(`meshops: no ${ENVIRONMENTS_DIR}/ directory in ${io.cwd}; run meshops from the repository root\n`);
        setExit(EXIT_USAGE);
        return;
      }
      const { renderInMemory } = await import('./pipeline.js');
      const result = await renderInMemory(io.cwd, opts.env);
      if (!result.ok) {
        report(io, result.findings, opts.format);
        setExit(EXIT_FINDINGS);
        return;
      }
      const written = writeRendered(io.cwd, result.mesh.outputs, opts.env.length === 0);
      if (opts.format === 'text') {
        for (const env of written.written) io.stderr(`rendered ${RENDERED_DIR}/${env}\n`);
        for (const env of written.unchanged) io.stderr(`unchanged ${RENDERED_DIR}/${env}\n`);
        for (const env of written.removed) io.stderr(`removed ${RENDERED_DIR}/${env} (no such environment)\n`);
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
    .action(async (paths: string[], opts: { format: Format; kubeconform?: boolean } & HelmFlags) => {
      let trees: EnvironmentTree[];
      try {
        trees = (paths.length ? paths : [RENDERED_DIR]).flatMap((p) => loadTrees(p, io.cwd));
      } catch (e) {
        if (!(e instanceof UnreadablePathError)) throw e;
        io.stderr(`meshops: ${e.message}\n`);
        setExit(EXIT_USAGE);
        return;
      }
      const charts = await chartFindings(io, trees, opts);
      if (charts === undefined) {
        setExit(EXIT_USAGE);
        return;
      }
      const findings = [...charts, ...validateTrees(trees, { policies, overrides: await severityOverrides(io, trees) })];
      if (opts.kubeconform) {
        try {
          findings.push(...validateTreesWithKubeconform(trees, { cwd: io.cwd, pathVariable: process.env.PATH, note: io.stderr }));
        } catch (e) {
          if (!(e instanceof KubeconformError)) throw e;
          io.stderr(`meshops: ${e.message}\n`);
          setExit(EXIT_USAGE);
          return;
        }
      }
      report(io, findings, opts.format);
      setExit(hasErrors(findings) ? EXIT_FINDINGS : EXIT_OK);
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
    .action(async (opts: { format: Format; base?: string } & HelmFlags) => {
      const { BaseRevisionError, checkTransitions, resolveBase } = await import('./validate/transitions.js');
      let baseCommit: string | undefined;
      if (opts.base !== undefined) {
        try {
          baseCommit = resolveBase(io.cwd, opts.base);
        } catch (e) {
          if (!(e instanceof BaseRevisionError)) throw e;
          io.stderr(`meshops: ${e.message}\n`);
          setExit(EXIT_USAGE);
          return;
        }
      }
      const { renderInMemory } = await import('./pipeline.js');
      const result = await renderInMemory(io.cwd);
      if (!result.ok) {
        report(io, result.findings, opts.format);
        setExit(EXIT_FINDINGS);
        return;
      }
      const drift = compareWithDisk(io.cwd, result.mesh.outputs, true);
      const trees = result.mesh.outputs.flatMap((o) => {
        try {
          return loadTrees(`${RENDERED_DIR}/${o.env}`, io.cwd);
        } catch {
          return []; // not rendered yet: already reported as missing files
        }
      });
      const overrides = new Map(result.mesh.environments.map((e) => [e.name, e.model.spec.policies]));
      const charts = await chartFindings(io, trees, opts);
      if (charts === undefined) {
        setExit(EXIT_USAGE);
        return;
      }
      const findings = [...drift, ...charts, ...validateTrees(trees, { policies, overrides })];
      if (baseCommit !== undefined) findings.push(...(await checkTransitions(io.cwd, opts.base!, baseCommit, result.mesh.environments)));
      report(io, findings, opts.format);
      setExit(hasErrors(findings) ? EXIT_FINDINGS : EXIT_OK);
    });

  program
    .command('schema')
    .description('print the JSON Schema of MeshEnvironment (also committed as schemas/mesh-environment.schema.json)')
    .action(async () => {
      const { jsonSchema } = await import('./model/json-schema.js');
      io.stdout(`${JSON.stringify(jsonSchema(), null, 2)}\n`);
      setExit(EXIT_OK);
    });

  return program;
}

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is usage.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr(`meshops: internal error: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
}
