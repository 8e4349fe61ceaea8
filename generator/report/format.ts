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
  help?: string;
}

/** `color`: ANSI colour for the severity in text format (the CLI decides: a terminal, and no NO_COLOR). */
export function formatFindings(findings: readonly Finding[], format: Format, rules: readonly RuleInfo[], options: { color?: boolean } = {}): string {
  const sorted = findings.map(printable).sort(compareFindings);
  switch (format) {
    case 'json':
      return `${JSON.stringify({ ok: !hasErrors(sorted), violations: sorted.map(jsonViolation) })}\n`;
    case 'github':
      return sorted.map(githubAnnotation).join('');
    case 'sarif':
      return `${JSON.stringify(sarif(sorted, rules), null, 2)}\n`;
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

function sarif(findings: readonly Finding[], rules: readonly RuleInfo[]) {
  const known = new Map(rules.map((r) => [r.id, r]));
  // Input-error ids and any id not in the registry still need a rule entry.
  for (const f of findings) if (!known.has(f.rule)) known.set(f.rule, { id: f.rule, description: f.rule, severity: f.severity });
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
            informationUri: 'https://github.com/meshops/mesh-gitops',
            rules: ruleList.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              ...(r.help ? { help: { text: r.help, markdown: r.help } } : {}),
              defaultConfiguration: { level: r.severity === 'warning' ? 'warning' : 'error' },
            })),
          },
        },
        results: findings.map((f) => ({
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
          ...(f.env || f.cluster ? { properties: { env: f.env, cluster: f.cluster } } : {}),
        })),
      },
    ],
  };
}
