/**
 * The contract between the engine and the rules in policies/. A rule is one module exporting a
 * Policy: its id, default severity, documentation, and a check over one environment.
 */
import type { FieldPath, Severity } from '../findings.js';
import type { RuleMeta } from '../rule.js';
import type { ClusterFacts } from './cluster-facts.js';
import type { MeshFacts } from './mesh-facts.js';
import type { EnvironmentTree, ManifestDoc, ManifestFile } from './manifests.js';

export interface PolicyFinding {
  message: string;
  /** The document the finding is about; with `path`, the line of that field is reported. */
  doc?: ManifestDoc;
  path?: FieldPath;
  /** A file when there is no single document (e.g. a cluster without any IstioOperator). */
  file?: ManifestFile | string;
  /** With `file`: the line in it, when the rule read the file's text. */
  line?: number;
  cluster?: string;
  /**
   * Only `warning`: this finding is a caveat rather than a defect (e.g. an enum given by number),
   * reported as a warning even where the rule's severity is error.
   */
  severity?: 'warning';
}

export interface PolicyContext {
  env: EnvironmentTree;
  /** Per-cluster facts, in the environment's cluster order. */
  clusters: readonly ClusterFacts[];
  /** Facts across clusters: roles, networks, which primary serves which remote. */
  mesh: MeshFacts;
  report(finding: PolicyFinding): void;
}

/**
 * A policy that also compares an environment with itself at a base Git revision (`meshops check
 * --base`): the command (commands/transitions.ts) reads the base and calls the hook with the
 * current environment's model. The validator does not know the generator's model type, so the rule
 * that declares a hook names it (`Policy<MeshEnvironment>`).
 */
export interface RevisionHook<Model> {
  /** The field this rule's findings about `env` anchor to; undefined when it has nothing to compare. */
  subject(env: Model): FieldPath | undefined;
  /** What the warning says when the base cannot be read: "its migration transitions were not checked". */
  notChecked: string;
  /** What is wrong with moving from the base's parsed mesh file (read leniently: it may predate today's model) to `env`. */
  compare(base: unknown, env: Model, baseName: string): { path: FieldPath; message: string }[];
}

/** `Model` is the model a revision hook compares (the registry holds rules of any). */
export interface Policy<Model = any> extends RuleMeta {
  check(context: PolicyContext): void;
  revisions?: RevisionHook<Model>;
}

/** The policy-level severity setting of spec.policies. */
export type SeveritySetting = Severity | 'off';
