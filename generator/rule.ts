/**
 * What every rule states about itself, input rules and output policies alike. The registry
 * (policies/index.ts) lists the rules; README's rule tables, policies/README.md and the SARIF rule
 * metadata are generated from these fields.
 */
import type { Severity } from './findings.js';

export interface RuleDocs {
  /** Why the rule exists, for the README and SARIF help. */
  rationale: string;
  /**
   * An example the rule reports, which a test runs. An input rule's is a whole mesh.yaml
   * (policies/input-example.ts writes its head). A policy's is a small rendered environment: each
   * file as a header line `# <path relative to rendered/<env>/>` (a note may follow) and its YAML
   * documents, with only what the rule reads besides apiVersion, kind and metadata; a header
   * `# helm template <Application file>` gives what that Application's chart renders (--helm).
   * test/policies/output-examples.ts reads the format.
   */
  bad: string;
  /** The same example fixed: the rule reports nothing on it (a test runs it too). */
  good: string;
}

export interface RuleMeta {
  id: string;
  description: string;
  severity: Severity;
  docs: RuleDocs;
}
