/**
 * Runs an input rule's documented examples (ESLint's check-rule-examples): the bad example is a
 * well-typed environment that this rule reports, the good one an environment that loads cleanly.
 */
import { expect, it } from 'vitest';
import { modelFromSource } from '../../generator/load/environments.js';
import { parseYamlSource } from '../../generator/load/yaml-source.js';
import { modelSchema, type InputRule } from '../../generator/model/input-rule.js';
import { MeshEnvironmentSchema } from '../../generator/model/mesh-environment.js';
import { inputRules } from '../../policies/index.js';

const FILE = 'environments/demo/mesh.yaml';

function parse(text: string) {
  const parsed = parseYamlSource(FILE, text);
  if (!parsed.ok) throw new Error(parsed.findings.map((f) => f.message).join('; '));
  return parsed.source;
}

/** The messages `rule` alone reports on a mesh file. */
export function inputRuleMessages(rule: InputRule, text: string): string[] {
  const result = modelSchema([rule]).safeParse(parse(text).data);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

export function checkInputRuleExamples(rule: InputRule): void {
  it('reports its bad example, whose fields are all well-typed', () => {
    expect(MeshEnvironmentSchema.safeParse(parse(rule.docs.bad).data).success).toBe(true);
    expect(inputRuleMessages(rule, rule.docs.bad)).not.toEqual([]);
  });

  it('passes its good example, an environment that loads without any finding', () => {
    expect(inputRuleMessages(rule, rule.docs.good)).toEqual([]);
    const loaded = modelFromSource(parse(rule.docs.good), 'demo', inputRules);
    expect(loaded.ok ? [] : loaded.findings.map((f) => f.message)).toEqual([]);
  });
}
