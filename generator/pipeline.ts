/**
 * The generator pipeline without its last step: environments loaded, validated, rendered and
 * serialized in memory. `render` writes the result; `check` compares it with what is committed.
 */
import type { Finding } from './findings.js';
import { discoverEnvironments, loadEnvironment, type LoadedEnvironment } from './load/environments.js';
import type { InputRule } from './model/input-rule.js';
import { renderEnvironment } from './render/environment.js';
import { serializeEnvironment, type SerializedEnvironment } from './write/serialize.js';

export interface RenderedMesh {
  environments: LoadedEnvironment[];
  outputs: SerializedEnvironment[];
}

/**
 * The rules come from the command: `input` are the registry's input rules the model is checked
 * against, `known` the rule ids spec.policies may name (the validator's). Handed in, so the
 * generator imports neither the registry nor the validator.
 */
export interface GeneratorRules {
  input: readonly InputRule[];
  known: ReadonlySet<string>;
}

export async function renderInMemory(repoRoot: string, rules: GeneratorRules, names?: readonly string[]): Promise<{ ok: true; mesh: RenderedMesh } | { ok: false; findings: Finding[] }> {
  // A directory under environments/ that cannot be an environment is an error even for a full
  // render: skipping it would let the render prune its rendered tree.
  const discovered = names && names.length > 0 ? { names: [...new Set(names)].sort(), findings: [] } : discoverEnvironments(repoRoot);
  const selected = discovered.names;
  const results = await Promise.all(selected.map((name) => loadEnvironment(repoRoot, name, rules.input)));
  const findings = [...discovered.findings, ...results.flatMap((r, i) => (r.ok ? unknownPolicyFindings(r.env, rules.known) : r.findings.map((f) => ({ ...f, env: selected[i] }))))];
  if (findings.length > 0) return { ok: false, findings };
  const environments = results.flatMap((r) => (r.ok ? [r.env] : []));
  const outputs = environments.map((env) => serializeEnvironment(renderEnvironment(env.model, env.file)));
  return { ok: true, mesh: { environments, outputs } };
}

function unknownPolicyFindings(env: LoadedEnvironment, knownRules: ReadonlySet<string>): Finding[] {
  return Object.keys(env.model.spec.policies)
    .filter((id) => !knownRules.has(id))
    .map((id) => {
      const pos = env.source.locate(['spec', 'policies', id]);
      return {
        rule: 'input',
        severity: 'error' as const,
        file: env.file,
        line: pos?.line,
        column: pos?.column,
        env: env.name,
        message: `spec.policies: unknown rule "${id}" (known: ${[...knownRules].sort().join(', ')})`,
      };
    });
}
