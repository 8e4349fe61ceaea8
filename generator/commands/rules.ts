/**
 * The rules a run may report, gathered from both sides: the validator's (schema, policies/) and
 * the check's own (rendered-up-to-date), plus the input rules of the generator's loader. Commands
 * hand them to the generator as plain ids, so the generator never imports the validator.
 */
import type { RuleInfo } from '../report/format.js';
import { HELM_TEMPLATE_RULE } from '../validate/helm-template.js';
import { SCHEMA_RULE } from '../validate/schema-check.js';
import { RENDERED_UP_TO_DATE } from '../write/up-to-date.js';
import type { GeneratorRules } from '../pipeline.js';
import { inputRules, policies } from '../../policies/index.js';

/** Rule ids spec.policies may name: the registry, plus the engine's own. */
export const RULES_WITH_SEVERITY: ReadonlySet<string> = new Set([SCHEMA_RULE.id, ...policies.map((p) => p.id)]);

/** What the generator is handed: the input rules to check models with, and the ids spec.policies may name. */
export const GENERATOR_RULES: GeneratorRules = { input: inputRules, known: RULES_WITH_SEVERITY };

/** Every rule a report may name, for SARIF rule metadata. */
export function ruleCatalog(): RuleInfo[] {
  return [
    { ...SCHEMA_RULE },
    { ...RENDERED_UP_TO_DATE },
    { ...HELM_TEMPLATE_RULE },
    ...policies.map((p) => ({ id: p.id, description: p.description, severity: p.severity, help: `${p.docs.rationale}\n\nBad:\n${p.docs.bad}\n\nGood:\n${p.docs.good}` })),
    { id: 'input', description: 'The environment file is not a valid MeshEnvironment.', severity: 'error' },
    { id: 'input-syntax', description: 'The environment file cannot be read (YAML or Jsonnet syntax, duplicate keys, alias limit, size).', severity: 'error' },
  ];
}
