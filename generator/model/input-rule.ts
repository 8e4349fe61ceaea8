/**
 * The contract between the model and the input rules in policies/: a rule checks a MeshEnvironment
 * whose fields have their types (what a single field's type cannot say), and reports the path of
 * the field to fix, which the loader turns into file:line. The rules are passed in by the caller;
 * the model imports none of them.
 */
import type { FieldPath } from '../findings.js';
import type { RuleMeta } from '../rule.js';
import { MeshEnvironmentSchema, type MeshEnvironment } from './mesh-environment.js';
import { topologyOf, type Topology } from './topology.js';

export interface InputRuleContext {
  env: MeshEnvironment;
  topology: Topology;
  report(path: FieldPath, message: string): void;
}

/** An input rule: its findings are input errors (rule `input` in reports, exit 1, nothing rendered). */
export interface InputRule extends RuleMeta {
  kind: 'input';
  severity: 'error';
  check(context: InputRuleContext): void;
}

const schemas = new WeakMap<readonly InputRule[], ReturnType<typeof withRules>>();

function withRules(rules: readonly InputRule[]) {
  // zod runs a refinement after field issues it can continue past (a bad format, an unknown key),
  // so a file with both reports both, as one pass of the model always has.
  return MeshEnvironmentSchema.superRefine((env, ctx) => {
    const topology = topologyOf(env);
    const report = (path: FieldPath, message: string) => ctx.addIssue({ code: 'custom', path: [...path], message });
    for (const rule of rules) rule.check({ env, topology, report });
  });
}

/** The model with the given rules: field types and defaults, then the rules once those allow it. */
export function modelSchema(rules: readonly InputRule[]): ReturnType<typeof withRules> {
  let schema = schemas.get(rules);
  if (!schema) schemas.set(rules, (schema = withRules(rules)));
  return schema;
}
