/**
 * What every rule states about itself, input rules and output policies alike. The registry
 * (policies/index.ts) lists the rules; README's rule tables, policies/README.md and the SARIF rule
 * metadata are generated from these fields.
 */
import type { Severity } from './findings.js';

export interface RuleDocs {
  /** Why the rule exists, for the README and SARIF help. */
  rationale: string;
  /** An example the rule reports (a test runs it)... */
  bad: string;
  /** ...and the same example fixed (a test runs it too). */
  good: string;
}

export interface RuleMeta {
  id: string;
  description: string;
  severity: Severity;
  docs: RuleDocs;
}
