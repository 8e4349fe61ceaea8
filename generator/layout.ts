/**
 * Every path meshops reads or writes, in one place: the inputs under environments/ and the tree
 * under rendered/<env>/ that Argo CD syncs. Paths are repository-relative and POSIX ('/'), as they
 * appear in findings, in Argo CD Applications and in Git. A leaf module: the generator and the
 * validator both read it, and it imports nothing of either.
 */

/** environments/<env>/mesh.yaml or mesh.jsonnet: what users edit. */
export const ENVIRONMENTS_DIR = 'environments';
/** environments/lib/: shared Jsonnet libraries, on the Jsonnet import path; never an environment itself. */
export const JSONNET_LIB_DIR = 'lib';
export const MESH_YAML_FILE = 'mesh.yaml';
export const MESH_JSONNET_FILE = 'mesh.jsonnet';
/** The mesh files an environment directory may hold (exactly one of them). */
export const MESH_FILES = [MESH_YAML_FILE, MESH_JSONNET_FILE] as const;

/** rendered/<env>/: the generated output, committed, what Argo CD syncs. */
export const RENDERED_DIR = 'rendered';
/** rendered/<env>/clusters/<cluster>/: one kustomize root per cluster. */
export const CLUSTERS_DIR = 'clusters';
export const KUSTOMIZATION_FILE = 'kustomization.yaml';
/** The cluster's single IstioOperator, beside its kustomization (istioctl's input, not a kustomize resource). */
export const ISTIO_OPERATOR_FILE = 'istio-operator.yaml';
/** rendered/<env>/argocd/: the AppProject and Applications. */
export const ARGOCD_DIR = 'argocd';
/**
 * rendered/<env>/argocd/settings/argocd-cm.yaml: Argo CD's own configuration the waves depend on,
 * applied once by hand; in a subdirectory, which the root Application's directory source (not
 * recursive) leaves out.
 */
export const ARGOCD_CM_FILE = `${ARGOCD_DIR}/settings/argocd-cm.yaml`;
/** rendered/<env>/vms/<vm>/: files copied to a VM; never applied to a cluster. */
export const VMS_DIR = 'vms';
/** rendered/<env>/asm/: the ASMMigrateFromIstio object, synced to the ASM control plane. */
export const ASM_DIR = 'asm';
/** rendered/<env>/MIGRATION.md: the migration runbook. */
export const RUNBOOK_FILE = 'MIGRATION.md';
/** Directories of a rendered environment that hold manifests besides clusters/ (vms/ holds VM files, not objects). */
export const SHARED_MANIFEST_DIRS = [ARGOCD_DIR, ASM_DIR] as const;

/**
 * An environment name is a DNS-1123 label, like metadata.name must be: it becomes a directory under
 * rendered/, so "../x" or "a/b" must never get as far as a path.
 */
export function isEnvironmentName(name: string): boolean {
  return name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/** environments/<env> */
export const environmentDir = (env: string): string => `${ENVIRONMENTS_DIR}/${env}`;
/** rendered/<env> */
export const renderedEnvironmentDir = (env: string): string => `${RENDERED_DIR}/${env}`;
/** clusters/<cluster>, relative to rendered/<env>/ */
export const clusterDir = (cluster: string): string => `${CLUSTERS_DIR}/${cluster}`;
/** rendered/<env>/clusters/<cluster> */
export const renderedClusterDir = (env: string, cluster: string): string => `${renderedEnvironmentDir(env)}/${clusterDir(cluster)}`;
