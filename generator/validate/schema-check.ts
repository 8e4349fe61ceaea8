/**
 * Rule `schema`: every document validates against the strict JSON Schema of its apiVersion and
 * kind. The schemas in schemas/ are compiled ahead of time into standalone ajv code
 * (scripts/compile-schemas.ts -> dist/schemas/validators.cjs, one lazily required module per kind),
 * so a run pays no compilation and loads only the kinds it meets. Istio's own kinds depend on the
 * Istio version of the cluster: an IstioOperator is checked against its spec.tag's schema, and the
 * Istio objects (Gateway, VirtualService, ...) against the CRDs of the cluster's minor
 * (cluster-istio-version.ts, generator/schemas/istio-crds.ts).
 */
import { compiledValidators } from '../schemas/compiled.js';
import { checkIstioObject } from '../schemas/istio-crds.js';
import { checkIstioOperator } from '../schemas/istio-operator.js';
import type { VersionChoice } from '../schemas/istio-versions.js';
import { type SchemaIssue, schemaIssues } from '../schemas/issues.js';
import { get } from '../json.js';
import type { PolicyFinding } from './policy.js';
import type { ManifestDoc, ManifestFile } from './manifests.js';

export const SCHEMA_RULE = {
  id: 'schema',
  description: 'Every manifest validates against the strict JSON Schema of its kind (unknown fields are errors); a kind without a schema is an error.',
  severity: 'error' as const,
  help:
    'Every manifest is checked against the JSON Schema of its apiVersion and kind in schemas/ (Kubernetes 1.30, the External Secrets and Argo CD ' +
    "CRDs, Istio's CRDs of the cluster's Istio minor, which must also serve the object's apiVersion, and the IstioOperator as strict as istioctl " +
    'of its version), with unknown fields refused at every level: a typo such as `meshId` is ' +
    'silently dropped by the cluster otherwise. A kind without a schema is a finding too, since nothing would check it. Fix the field named; ' +
    'schemas/README.md says where each schema comes from.',
};

const catalogValidators = () => compiledValidators('validators.cjs');

/** Checked against the schema of its Istio version rather than one of the catalog. */
const ISTIO_OPERATOR = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator' };

export function schemaKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

/** Whether schemas/ has a schema for the kind. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return catalogValidators()[schemaKey(apiVersion, kind)] !== undefined;
}

export function knownKinds(): string[] {
  return [...Object.keys(catalogValidators()), schemaKey(ISTIO_OPERATOR.apiVersion, ISTIO_OPERATOR.kind)].sort();
}

/** `istio`: the Istio version of the file's cluster (cluster-istio-version.ts), whose CRDs its Istio objects are checked against. */
export function checkFileSchemas(file: ManifestFile, istio?: VersionChoice): PolicyFinding[] {
  if (file.parseError) {
    return [{ file, message: file.parseError.message }];
  }
  return file.docs.flatMap((doc) => checkDocument(doc, istio));
}

/** Without `istio` (or for a version older than meshops knows), an Istio object is checked against the catalog's vendored CRD schema. */
export function checkDocument(doc: ManifestDoc, istio?: VersionChoice): PolicyFinding[] {
  if (!doc.apiVersion || !doc.kind) {
    return [{ doc, message: 'not a Kubernetes object: a document needs apiVersion and kind (Argo CD fails on such YAML in a synced directory)' }];
  }
  if (doc.apiVersion === ISTIO_OPERATOR.apiVersion && doc.kind === ISTIO_OPERATOR.kind) return checkIstioOperatorDocument(doc);
  const istioIssues = istio && istio.relation !== 'older' ? checkIstioObject(doc.object, doc.apiVersion, doc.kind, istio) : undefined;
  if (istioIssues) return istioIssues.map((issue) => finding(doc, issue));
  const validate = catalogValidators()[schemaKey(doc.apiVersion, doc.kind)];
  if (!validate) {
    return [{ doc, path: ['kind'], message: `no schema for ${doc.kind} (${doc.apiVersion}): add one under schemas/ or fix apiVersion/kind` }];
  }
  return schemaIssues(validate, doc.object).map((issue) => finding(doc, issue));
}

/**
 * An IstioOperator is checked against the schema of the Istio version in its spec.tag
 * (generator/schemas/istio-operator.ts); the note on a version meshops does not know comes once.
 */
function checkIstioOperatorDocument(doc: ManifestDoc): PolicyFinding[] {
  const { choice, issues } = checkIstioOperator(doc.object);
  const findings = issues.map((issue) => finding(doc, issue));
  if (choice.relation === 'newer') {
    findings.unshift({ doc, path: ['spec', 'tag'], severity: 'warning', message: `${what(doc)}: spec.tag: Istio ${String(get(doc.object, ['spec', 'tag']))} is newer than ${choice.newest}, the newest version meshops knows; checked against ${choice.newest}'s API, fields it does not know are warnings` });
  }
  return findings;
}

function finding(doc: ManifestDoc, issue: SchemaIssue): PolicyFinding {
  return { doc, path: issue.path, message: `${what(doc)}: ${issue.message}`, ...(issue.severity === 'warning' ? { severity: 'warning' as const } : {}) };
}

function what(doc: ManifestDoc): string {
  return `${doc.kind} ${doc.name || '(unnamed)'}`;
}
