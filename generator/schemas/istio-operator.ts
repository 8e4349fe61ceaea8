/**
 * Checks an IstioOperator, or an overlay of its `values` or `meshConfig`, against the schema of the
 * Istio minor version it is for (schemas/istio/<minor>/istiooperator.json, generated from Istio's own
 * definitions by scripts/istio-schemas.ts and compiled by `npm run build` into
 * dist/schemas/istio-operator.cjs, one lazily loaded module per minor), plus istiod's meshNetworks
 * rules. Issues carry field paths relative to what was checked, so a caller can point at the line
 * (a rendered file, or the overlay's place in mesh.yaml).
 */
import type { FieldPath } from '../findings.js';
import { compiledValidators } from './compiled.js';
import { type CompiledValidator, type SchemaIssue, schemaIssues } from './issues.js';
import { meshNetworksIssues } from './mesh-networks.js';
import { chooseMinor, type VersionChoice } from './istio-versions.js';

function validatorOf(minor: string): CompiledValidator {
  const validate = compiledValidators('istio-operator.cjs')[minor];
  if (!validate) throw new Error(`no compiled IstioOperator schema for Istio ${minor}: run \`npm run build\``);
  return validate;
}

export interface IstioOperatorCheck {
  /** Which version's schema was used, and how it relates to the version asked for. */
  choice: VersionChoice;
  issues: SchemaIssue[];
}

const MESH_NETWORKS: FieldPath = ['spec', 'values', 'global', 'meshNetworks'];

/**
 * Checks an IstioOperator against the schema of `version` (default: its spec.tag). A version newer
 * than the newest known is checked against the newest, with fields that one does not know as
 * warnings; a version older than the oldest known is not checked (one issue says so at spec.tag).
 */
export function checkIstioOperator(object: unknown, version?: unknown): IstioOperatorCheck {
  const spec = (object as { spec?: { tag?: unknown } } | null)?.spec;
  const tag = version ?? spec?.tag;
  const choice = chooseMinor(tag);
  if (choice.relation === 'older') {
    return {
      choice,
      issues: [{ path: ['spec', 'tag'], severity: 'error', message: `spec.tag: Istio ${String(tag)} is older than ${choice.oldest}, the oldest version meshops knows; it is not supported, and this IstioOperator is not checked` }],
    };
  }
  const issues = schemaIssues(validatorOf(choice.minor), object);
  const meshNetworks = (spec as { values?: { global?: { meshNetworks?: unknown } } } | undefined)?.values?.global?.meshNetworks;
  issues.push(...meshNetworksIssues(meshNetworks, MESH_NETWORKS));
  return { choice, issues: choice.relation === 'known' ? issues : issues.map((issue) => beyondKnown(issue, choice, tag)) };
}

/** A field the stand-in version lacks may exist in the version meant: a warning, saying why. */
function beyondKnown(issue: SchemaIssue, choice: Exclude<VersionChoice, { relation: 'older' }>, tag: unknown): SchemaIssue {
  if (issue.severity !== 'error' || !/: unknown field "[^"]*"$/.test(issue.message)) return issue;
  const why =
    choice.relation === 'newer'
      ? `Istio ${String(tag)} is newer than ${choice.newest}, the newest version meshops knows, whose schema was used`
      : `spec.tag does not name an Istio version, so the schema of ${choice.minor}, the newest version meshops knows, was used`;
  return { ...issue, severity: 'warning', message: `${issue.message} (${why})` };
}

/**
 * Checks an overlay of `spec.values` or `spec.meshConfig` (the MeshEnvironment's istio.values and
 * istio.meshConfig) against the schema of `version`. Paths are relative to the overlay.
 */
export function checkIstioOverlay(part: 'values' | 'meshConfig', overlay: unknown, version: string): IstioOperatorCheck {
  const prefix: FieldPath = ['spec', part];
  const wrapped = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', spec: { [part]: overlay } };
  const { choice, issues } = checkIstioOperator(wrapped, version);
  const relative = issues.map((issue) => {
    if (!prefix.every((segment, i) => issue.path[i] === segment)) return issue;
    return { ...issue, path: issue.path.slice(prefix.length), message: issue.message.replace(/^spec\./, '') };
  });
  return { choice, issues: relative };
}
