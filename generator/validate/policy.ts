/**
 * The contract between the engine and the rules in policies/. A rule is one module exporting a
 * Policy: its id, default severity, documentation, and a check over one environment.
 */
import type { FieldPath, Severity } from '../findings.js';
import type { ClusterFacts, MeshFacts } from './facts.js';
import type { EnvironmentTree, ManifestDoc, ManifestFile } from './manifests.js';

export interface PolicyDocs {
  /** Why the rule exists, for the README and SARIF help. */
  rationale: string;
  /** A manifest excerpt the rule reports... */
  bad: string;
  /** ...and the same excerpt fixed. */
  good: string;
}

export interface PolicyFinding {
  message: string;
  /** The document the finding is about; with `path`, the line of that field is reported. */
  doc?: ManifestDoc;
  path?: FieldPath;
  /** A file when there is no single document (e.g. a cluster without any IstioOperator). */
  file?: ManifestFile | string;
  cluster?: string;
}

export interface PolicyContext {
  env: EnvironmentTree;
  /** Per-cluster facts, in the environment's cluster order. */
  clusters: readonly ClusterFacts[];
  /** Facts across clusters: roles, networks, which primary serves which remote. */
  mesh: MeshFacts;
  report(finding: PolicyFinding): void;
}

export interface Policy {
  id: string;
  description: string;
  severity: Severity;
  docs: PolicyDocs;
  check(context: PolicyContext): void;
}

/** The policy-level severity setting of spec.policies. */
export type SeveritySetting = Severity | 'off';
