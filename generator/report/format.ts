/**
 * Report formats: text (compiler style), json (the contract's object), github (workflow
 * annotations) and sarif (SARIF 2.1.0 for code scanning).
 */
import type { Finding } from '../findings.js';
import { compareFindings, hasErrors } from '../findings.js';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface RuleInfo {
  id: string;
  description: string;
  severity: string;
  /** Why the rule exists and how to fix a finding (markdown); SARIF's rule help. */
  help: string;
}

/** What a SARIF report says about the tool: its version and every rule a finding may name. */
export interface ToolInfo {
  version: string;
  rules: readonly RuleInfo[];
}

/** The rule whose finding is a root cause: rendered/ is not what its environment renders to. */
const ROOT_CAUSE_RULE = 'rendered-up-to-date';

export interface ReportedFinding {
  finding: Finding;
  /** The root-cause finding (rendered-up-to-date, same file) this one follows from. */
  explainedBy?: Finding;
}

/**
 * Report order, root causes first: each rendered-up-to-date finding, followed by the findings in
 * the same file, which a hand edit (or a missed render) of that file explains; then every other
 * finding. Within each part the stable order of compareFindings.
 */
export function reportOrder(findings: readonly Finding[]): ReportedFinding[] {
  const sorted = [...findings].sort(compareFindings);
  const roots = new Map<string, Finding>();
  for (const f of sorted) if (f.rule === ROOT_CAUSE_RULE && f.file !== undefined && !roots.has(f.file)) roots.set(f.file, f);
  const out: ReportedFinding[] = [];
  const explained = new Set<Finding>();
  for (const [file, root] of roots) {
    out.push({ finding: root });
    for (const f of sorted) {
      if (f === root || f.file !== file) continue;
      // A second drift finding on the file (there is none today) is a root cause of its own.
      out.push(f.rule === ROOT_CAUSE_RULE ? { finding: f } : { finding: f, explainedBy: root });
      explained.add(f);
    }
  }
  for (const f of sorted) if (!roots.has(f.file ?? '\u0000') && !explained.has(f)) out.push({ finding: f });
  return out;
}

/** `color`: ANSI colour for the severity in text format (the CLI decides: a terminal, and no NO_COLOR). */
export function formatFindings(findings: readonly Finding[], format: Format, tool: ToolInfo, options: { color?: boolean } = {}): string {
  const ordered = reportOrder(findings.map(printable));
  const sorted = ordered.map((r) => r.finding);
  switch (format) {
    case 'json':
      return `${JSON.stringify({ ok: !hasErrors(sorted), violations: sorted.map(jsonViolation) })}\n`;
    case 'github':
      return sorted.map(githubAnnotation).join('');
    case 'sarif':
      return `${JSON.stringify(sarif(ordered, tool), null, 2)}\n`;
    case 'text':
      return sorted.map((f) => `${textLocation(f)}: ${options.color ? paint(f.severity) : f.severity} ${f.rule}: ${f.message}\n`).join('');
  }
}

/** Red errors, yellow warnings, like compilers on a terminal. */
function paint(severity: Finding['severity']): string {
  return `\x1b[${severity === 'error' ? 31 : 33}m${severity}\x1b[39m`;
}

// C0 and C1 controls, DEL, and the bidirectional overrides and isolates ("Trojan Source"): a key
// or path from a hostile file must not move the cursor, erase the line or reorder what is shown.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Writes a character a terminal or a review UI would act on as its escape, e.g. \x1b or \u202e. */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Every text a finding carries is escaped here, at the one edge all formats pass, so no rule or
 * loader has to remember to (a message may quote a key, a path or a value from the input).
 */
function printable(f: Finding): Finding {
  const out: Finding = { ...f, rule: escapeUnprintable(f.rule), message: escapeUnprintable(f.message) };
  if (f.file !== undefined) out.file = escapeUnprintable(f.file);
  if (f.env !== undefined) out.env = escapeUnprintable(f.env);
  if (f.cluster !== undefined) out.cluster = escapeUnprintable(f.cluster);
  return out;
}

function textLocation(f: Finding): string {
  if (!f.file) return 'meshops';
  return [f.file, f.line, f.line !== undefined ? f.column : undefined].filter((p) => p !== undefined).join(':');
}

function jsonViolation(f: Finding) {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    file: f.file ?? null,
    line: f.line ?? null,
    ...(f.column !== undefined ? { column: f.column } : {}),
    env: f.env ?? null,
    cluster: f.cluster ?? null,
  };
}

/** GitHub workflow commands: properties and data have their own escaping rules. */
function githubAnnotation(f: Finding): string {
  const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const props = [
    f.file ? `file=${escapeProperty(f.file)}` : undefined,
    f.line !== undefined ? `line=${f.line}` : undefined,
    f.column !== undefined ? `col=${f.column}` : undefined,
    `title=${escapeProperty(f.rule)}`,
  ].filter(Boolean);
  return `::${f.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(f.message)}\n`;
}

/** SARIF's reportingDescriptor.name is a PascalCase identifier, distinct from the id: mesh-id-match -> MeshIdMatch. */
export function sarifRuleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function sarif(ordered: readonly ReportedFinding[], tool: ToolInfo) {
  const findings = ordered.map((r) => r.finding);
  const known = new Map(tool.rules.map((r) => [r.id, r]));
  // A finding of a rule the catalog does not list (none today) still needs a rule entry.
  for (const f of findings) if (!known.has(f.rule)) known.set(f.rule, { id: f.rule, description: f.rule, severity: f.severity, help: f.rule });
  const ruleList = [...known.values()].sort((a, b) => a.id.localeCompare(b.id));
  const index = new Map(ruleList.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'meshops',
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: 'https://github.com/meshops/mesh-gitops',
            rules: ruleList.map((r) => ({
              id: r.id,
              name: sarifRuleName(r.id),
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              help: { text: r.help, markdown: r.help },
              defaultConfiguration: { level: r.severity === 'warning' ? 'warning' : 'error' },
            })),
          },
        },
        results: ordered.map(({ finding: f, explainedBy }) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule),
          level: f.severity === 'warning' ? 'warning' : 'error',
          message: { text: f.message },
          ...(f.file
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: f.file },
                      ...(f.line !== undefined ? { region: { startLine: f.line, ...(f.column !== undefined ? { startColumn: f.column } : {}) } } : {}),
                    },
                  },
                ],
              }
            : {}),
          ...(f.env || f.cluster || explainedBy ? { properties: { env: f.env, cluster: f.cluster, ...(explainedBy ? { explainedBy: explainedBy.rule } : {}) } } : {}),
        })),
      },
    ],
  };
}
