/**
 * Checks an Istio object (Gateway, VirtualService, ServiceEntry, ...) against the CRD of the Istio
 * minor version its cluster runs: the versions that minor serves, and the schema of the one used
 * (schemas/istio/crds/, generated from ../shared/istio/<minor>/crds/crd-all.gen.yaml by
 * scripts/istio-schemas.ts and compiled by `npm run build` into dist/schemas/istio-crds.cjs, one
 * lazily loaded module per distinct schema: a run loads only the kinds and minors it meets).
 */
import { compiledValidators } from './compiled.js';
import { type CompiledValidator, type SchemaIssue, schemaIssues } from './issues.js';
import { minorFacts, type VersionChoice } from './istio-versions.js';

function validatorOf(file: string): CompiledValidator {
  const validate = compiledValidators('istio-crds.cjs')[file];
  if (!validate) throw new Error(`no compiled Istio CRD schema ${file}: run \`npm run build\``);
  return validate;
}

/** The minor whose CRDs stand for a cluster's Istio version (chooseMinor's answer); older than all known: none. */
export type IstioCrdVersion = Exclude<VersionChoice, { relation: 'older' }>;

/**
 * The issues of an object against the CRDs of `version`'s minor, or undefined when that minor has
 * no CRD of the object's group and kind in the generated facts (the caller's catalog decides). With
 * no version stated, the newest known minor's CRDs decide, as strictly as a known one's: a field no
 * known version has is a typo far more often than a field of an unreleased one. A version newer
 * than the newest known is checked against the newest, and what that one lacks (an unknown field,
 * an API version it does not serve) is a warning saying why.
 */
export function checkIstioObject(object: unknown, apiVersion: string, kind: string, version: IstioCrdVersion): SchemaIssue[] | undefined {
  const crd = minorFacts(version.minor)?.crds[kind];
  const slash = apiVersion.indexOf('/');
  if (!crd || apiVersion.slice(0, slash) !== crd.group) return undefined;
  const served = apiVersion.slice(slash + 1);
  const file = crd.schemas[served];
  const issues: SchemaIssue[] = file
    ? schemaIssues(validatorOf(file), object)
    : [
        {
          path: ['apiVersion'],
          severity: 'error',
          message: `apiVersion: Istio ${version.minor} does not serve ${kind} in ${apiVersion}; its CRD serves ${Object.keys(crd.schemas).sort().map((v) => `${crd.group}/${v}`).join(', ')}`,
        },
      ];
  return version.relation === 'newer' ? issues.map((issue) => beyondKnown(issue, version.newest)) : issues;
}

/** What the newest known minor lacks may exist in the newer version meant: a warning, saying why. */
function beyondKnown(issue: SchemaIssue, newest: string): SchemaIssue {
  if (issue.severity !== 'error' || !(/: unknown field "[^"]*"$/.test(issue.message) || issue.path[0] === 'apiVersion')) return issue;
  return { ...issue, severity: 'warning', message: `${issue.message} (the cluster's Istio is newer than ${newest}, the newest version meshops knows, whose CRDs were used)` };
}
