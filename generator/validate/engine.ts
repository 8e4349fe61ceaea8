/**
 * The validator: manifest trees in, findings out. Schema checks per document, then every policy in
 * the registry per environment, with per-environment severity overrides.
 */
import type { Finding, Severity } from '../findings.js';
import { environmentFacts } from './cluster-facts.js';
import { meshFacts } from './mesh-facts.js';
import type { EnvironmentTree, ManifestFile } from './manifests.js';
import type { Policy, PolicyFinding, SeveritySetting } from './policy.js';
import { checkFileSchemas, SCHEMA_RULE } from './schema-check.js';
import { treeIstioVersions } from './cluster-istio-version.js';

export interface ValidateOptions {
  policies: readonly Policy[];
  /** spec.policies of each environment, by environment name. */
  overrides?: ReadonlyMap<string, Readonly<Record<string, SeveritySetting>>>;
}

export function validateTrees(trees: readonly EnvironmentTree[], options: ValidateOptions): Finding[] {
  return trees.flatMap((tree) => validateEnvironment(tree, options));
}

export function validateEnvironment(env: EnvironmentTree, options: ValidateOptions): Finding[] {
  const overrides = options.overrides?.get(env.name) ?? {};
  const severityOf = (id: string, fallback: Severity): SeveritySetting => overrides[id] ?? fallback;
  const findings: Finding[] = [];
  // The cluster of each file, indexed on the first finding that needs it: searching every
  // cluster's files per finding is quadratic on a large tree with findings in every cluster.
  let clusterOfFile: Map<ManifestFile, string> | undefined;
  const clusterOf = (file: ManifestFile): string | undefined => {
    if (!clusterOfFile) {
      clusterOfFile = new Map();
      for (const c of env.clusters) for (const f of c.files) if (!clusterOfFile.has(f)) clusterOfFile.set(f, c.name);
    }
    return clusterOfFile.get(file);
  };
  const emit = (rule: string, severity: SeveritySetting, f: PolicyFinding) => {
    if (severity === 'off') return;
    findings.push(toFinding(env, rule, f.severity ?? severity, f, clusterOf));
  };

  const schemaSeverity = severityOf(SCHEMA_RULE.id, SCHEMA_RULE.severity);
  if (schemaSeverity !== 'off') {
    const istio = treeIstioVersions(env);
    for (const cluster of env.clusters) {
      for (const file of cluster.files) for (const f of checkFileSchemas(file, istio.of(cluster))) emit(SCHEMA_RULE.id, schemaSeverity, { ...f, cluster: cluster.name });
    }
    for (const file of env.shared) for (const f of checkFileSchemas(file, istio.environment)) emit(SCHEMA_RULE.id, schemaSeverity, f);
  }

  const clusters = environmentFacts(env);
  const mesh = meshFacts(env, clusters);
  for (const policy of options.policies) {
    const severity = severityOf(policy.id, policy.severity);
    if (severity === 'off') continue;
    policy.check({ env, clusters, mesh, report: (f) => emit(policy.id, severity, f) });
  }
  return findings;
}

function toFinding(env: EnvironmentTree, rule: string, severity: Severity, f: PolicyFinding, clusterOf: (file: ManifestFile) => string | undefined): Finding {
  const file: ManifestFile | string | undefined = f.doc?.file ?? f.file;
  const line = f.doc ? f.doc.file.lineOf(f.doc.index, f.path) : (f.line ?? (typeof file === 'object' ? file.parseError?.line : undefined));
  const cluster = f.cluster ?? (f.doc ? clusterOf(f.doc.file) : undefined);
  return {
    rule,
    severity,
    message: f.message,
    file: typeof file === 'string' ? file : file?.path,
    line,
    env: env.name,
    cluster,
  };
}
