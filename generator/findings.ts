/**
 * A finding is the one value every stage reports problems with: input errors from loading and the
 * model, schema and policy findings from the validator. They stay values until the CLI prints them.
 */
export type Severity = 'error' | 'warning';

/** Where in a document a finding points: the keys and list indexes from the root down to the field. */
export type FieldPath = readonly (string | number)[];

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** Repository-relative path (POSIX separators) of the file the finding is about. */
  file?: string;
  line?: number;
  column?: number;
  env?: string;
  cluster?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Stable order for reports: file, line, column, rule, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    a.rule.localeCompare(b.rule) ||
    a.message.localeCompare(b.message)
  );
}
