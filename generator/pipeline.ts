/**
 * The generator pipeline without its last step: environments loaded, validated, rendered and
 * serialized in memory. `render` writes the result; `check` compares it with what is committed.
 */
import type { Finding } from './findings.js';
import { discoverEnvironments, loadEnvironment, type LoadedEnvironment } from './load/environments.js';
import { renderEnvironment } from './render/environment.js';
import { serializeEnvironment, type SerializedEnvironment } from './write/serialize.js';
import { inputRules, policies } from '../policies/index.js';
import { SCHEMA_RULE } from './validate/schema-check.js';

/** Rule ids spec.policies may name: the registry, plus the engine's own. */
export const RULES_WITH_SEVERITY = new Set([SCHEMA_RULE.id, ...policies.map((p) => p.id)]);

export interface RenderedMesh {
  environments: LoadedEnvironment[];
  outputs: SerializedEnvironment[];
}

export async function renderInMemory(repoRoot: string, names?: readonly string[]): Promise<{ ok: true; mesh: RenderedMesh } | { ok: false; findings: Finding[] }> {
  const selected = names && names.length > 0 ? [...new Set(names)].sort() : discoverEnvironments(repoRoot);
  const results = await Promise.all(selected.map((name) => loadEnvironment(repoRoot, name, inputRules)));
  const findings = results.flatMap((r, i) => (r.ok ? unknownPolicyFindings(r.env) : r.findings.map((f) => ({ ...f, env: selected[i] }))));
  if (findings.length > 0) return { ok: false, findings };
  const environments = results.flatMap((r) => (r.ok ? [r.env] : []));
  const outputs = environments.map((env) => serializeEnvironment(renderEnvironment(env.model, env.file)));
  return { ok: true, mesh: { environments, outputs } };
}

function unknownPolicyFindings(env: LoadedEnvironment): Finding[] {
  return Object.keys(env.model.spec.policies)
    .filter((id) => !RULES_WITH_SEVERITY.has(id))
    .map((id) => {
      const pos = env.source.locate(['spec', 'policies', id]);
      return {
        rule: 'input',
        severity: 'error' as const,
        file: env.file,
        line: pos?.line,
        column: pos?.column,
        env: env.name,
        message: `spec.policies: unknown rule "${id}" (known: ${[...RULES_WITH_SEVERITY].sort().join(', ')})`,
      };
    });
}
