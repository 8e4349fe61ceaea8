/**
 * The rules a run may report, gathered from both sides: the validator's (schema, policies/) and
 * the check's own (rendered-up-to-date), plus the input rules of the generator's loader. Commands
 * hand them to the generator as plain ids, so the generator never imports the validator.
 */
import { packageVersion } from '../package-root.js';
import type { RuleInfo, ToolInfo } from '../report/format.js';
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
    {
      id: 'input',
      description: 'The environment file is not a valid MeshEnvironment.',
      severity: 'error',
      help:
        'A field of environments/<env>/mesh.yaml (or mesh.jsonnet) is missing, unknown, of the wrong type, or contradicts another field ' +
        '(a remote without a primary, overlapping pod subnets on one network, a multi-network cluster without an east-west gateway address). ' +
        'The finding names the field and its line; nothing under rendered/ changes until it is fixed. `schemas/mesh-environment.schema.json` gives editors completion and checking.',
    },
    {
      id: 'input-syntax',
      description: 'The environment file cannot be read (YAML or Jsonnet syntax, duplicate keys, alias limit, size).',
      severity: 'error',
      help:
        'The mesh file is not one YAML document meshops can read (a syntax error, a duplicate key, a second document, more than 100 alias expansions, over 4 MiB), ' +
        'or its Jsonnet does not evaluate (the error names the .jsonnet or .libsonnet line). Fix the file at the line given.',
    },
  ];
}

/** The tool as reports describe it: version and rules (SARIF's driver). */
export function reportTool(): ToolInfo {
  return { version: packageVersion(), rules: ruleCatalog() };
}
