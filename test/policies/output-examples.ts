/**
 * Runs an output policy's documented examples (ESLint's check-rule-examples). An example is a small
 * rendered environment written as text, one file after another:
 *
 *   # clusters/c1/istio-operator.yaml        <- a header: `# <path relative to rendered/<env>/>`
 *   apiVersion: install.istio.io/v1alpha1       (a note may follow the path: `# <path>: why`)
 *   kind: IstioOperator
 *   ...                                      <- that file's YAML documents, `---` between them
 *   # helm template argocd/application-c1.yaml   <- what that Application's Helm source renders
 *   kind: Deployment                            (`validate --helm`); ` sources[1]` picks one of several
 *   ...
 *
 * The files go through the validator's own loader (environmentTreeFromFiles), so an example is
 * read exactly as a rendered tree on disk is.
 */
import { expect, it } from 'vitest';
import type { Finding } from '../../generator/findings.js';
import { validateEnvironment } from '../../generator/validate/engine.js';
import { chartSources } from '../../generator/validate/helm-charts.js';
import { parseManifestText, type ChartRender, type EnvironmentTree } from '../../generator/validate/manifests.js';
import type { Policy } from '../../generator/validate/policy.js';
import { policies } from '../../policies/index.js';
import { treeOf } from '../helpers.js';

export const EXAMPLE_ENV = 'example';

/** `# <dir>/<file>.<ext>`, then nothing, or a note after a colon or a space. */
const FILE_HEADER = /^# ((?:[\w.-]+\/)+[\w-][\w.-]*\.[A-Za-z]+)(?:$|[:\s])/;
/** `# helm template <Application file>`, or `... sources[<i>]` for one of its several chart sources; a note may follow a colon. */
const HELM_HEADER = /^# helm template (\S+?\.ya?ml)(?: sources\[(\d+)\])?(?:$|:)/;

type Section = { kind: 'file'; path: string; line: number; text: string[] } | { kind: 'helm'; app: string; index: number | undefined; line: number; text: string[] };

export type ParsedExample = { ok: true; tree: EnvironmentTree } | { ok: false; message: string };

/** An example's text as an environment tree; what is wrong with it, with the example's line, otherwise. */
export function parseExample(example: string): ParsedExample {
  const sections: Section[] = [];
  const lines = example.split('\n');
  for (const [i, line] of lines.entries()) {
    const helm = HELM_HEADER.exec(line);
    const file = helm ? null : FILE_HEADER.exec(line);
    if (helm) sections.push({ kind: 'helm', app: helm[1]!, index: helm[2] === undefined ? undefined : Number(helm[2]), line: i + 1, text: [] });
    else if (file) sections.push({ kind: 'file', path: file[1]!, line: i + 1, text: [] });
    else if (sections.length > 0) sections[sections.length - 1]!.text.push(line);
    else if (line.trim() !== '') {
      return { ok: false, message: `line ${i + 1}: an example starts with a header naming its first file, "# <path relative to the rendered environment>" (e.g. "# clusters/c1/istio-operator.yaml"); found ${JSON.stringify(line)}` };
    }
  }
  if (sections.length === 0) return { ok: false, message: 'an example holds at least one file: "# <path>" followed by its YAML' };

  const files = new Map<string, string>();
  for (const s of sections) {
    if (s.kind !== 'file') continue;
    if (s.path.split('/').includes('..')) return { ok: false, message: `line ${s.line}: ${s.path}: a path inside the rendered environment has no ".."` };
    if (files.has(s.path)) return { ok: false, message: `line ${s.line}: ${s.path} appears twice; put its documents under one header, "---" between them` };
    files.set(s.path, s.text.join('\n'));
  }
  const tree = treeOf(EXAMPLE_ENV, files);
  for (const file of [...tree.shared, ...tree.clusters.flatMap((c) => c.files)]) {
    if (!file.parseError) continue;
    const s = sections.find((x) => x.kind === 'file' && `${tree.dir}/${x.path}` === file.path)!;
    return { ok: false, message: `line ${s.line + (file.parseError.line ?? 0)}: ${file.path}: ${file.parseError.message}` };
  }

  const helm = sections.filter((s) => s.kind === 'helm');
  if (helm.length > 0) {
    const sources = chartSources(tree);
    const charts: ChartRender[] = [];
    for (const s of helm) {
      const own = sources.filter((c) => c.app.file.path === `${tree.dir}/${s.app}` && (s.index === undefined || c.path[2] === s.index));
      const which = s.index === undefined ? 'Helm source' : `Helm source at spec.sources[${s.index}]`;
      if (own.length !== 1) {
        return { ok: false, message: `line ${s.line}: ${s.app} has ${own.length === 0 ? `no ${which}` : `${own.length} Helm sources; name one, "# helm template ${s.app} sources[<i>]"`} (a source with chart and repoURL)` };
      }
      const source = own[0]!;
      const rendered = parseManifestText(s.text.join('\n'), `${source.app.file.path} (${source.chart} ${source.releaseName})`);
      if (rendered.parseError) return { ok: false, message: `line ${s.line + (rendered.parseError.line ?? 0)}: helm template ${s.app}: ${rendered.parseError.message}` };
      charts.push({ source, docs: rendered.docs });
    }
    tree.charts = charts;
  }
  return { ok: true, tree };
}

/** Findings of `rules` (schema off) over an example; throws when the example does not parse. */
export function exampleFindings(rules: readonly Policy[], example: string): Finding[] {
  const parsed = parseExample(example);
  if (!parsed.ok) throw new Error(parsed.message);
  return validateEnvironment(parsed.tree, { policies: rules, overrides: new Map([[EXAMPLE_ENV, { schema: 'off' }]]) });
}

/** `example` with `from`, which occurs exactly once, replaced by `to`: a defect seeded into it. */
export function withDefect(example: string, from: string, to: string): string {
  if (example.split(from).length !== 2) throw new Error(`${JSON.stringify(from)} does not occur exactly once in the example`);
  return example.replace(from, to);
}

/** The line, within file `file` of an example, of its first line containing `needle`. */
export function lineInExample(example: string, file: string, needle: string): number {
  const lines = example.split('\n');
  const header = lines.findIndex((l) => FILE_HEADER.exec(l)?.[1] === file);
  const next = lines.findIndex((l, i) => i > header && (FILE_HEADER.test(l) || HELM_HEADER.test(l)));
  const index = lines.findIndex((l, i) => i > header && (next < 0 || i < next) && l.includes(needle));
  if (header < 0 || index < 0) throw new Error(`${needle} not in ${file} of the example`);
  return index - header;
}

const key = (f: Finding) => `${f.rule}|${f.file}|${f.line}|${f.message}`;

/** Findings of every policy that a defect seeded into a clean example adds: a mutation test's subject. */
export function addedByDefect(clean: string, seeded: string): Finding[] {
  const known = new Set(exampleFindings(policies, clean).map(key));
  return exampleFindings(policies, seeded).filter((f) => !known.has(key(f)));
}

export function checkPolicyExamples(policy: Policy): void {
  it('reports its bad example', () => {
    expect(exampleFindings([policy], policy.docs.bad).map((f) => f.rule)).toContain(policy.id);
  });

  it('passes its good example', () => {
    expect(exampleFindings([policy], policy.docs.good).map((f) => `${f.file}:${f.line}: ${f.message}`)).toEqual([]);
  });
}
