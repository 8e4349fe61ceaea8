/**
 * Overlays of Istio's own APIs (`istio.values`, `istio.meshConfig`, per cluster `clusters[].istio`):
 * what meshops does not model, said in Istio's words and merged into every IstioOperator and the
 * istiod chart's values. Fields meshops derives from the MeshEnvironment are refused here, naming
 * the field to set instead: an overlay must not make two clusters disagree on what the mesh is.
 */
import type { FieldPath } from '../findings.js';
import { checkIstioOverlay } from '../schemas/istio-operator.js';

export type OverlayKind = 'values' | 'meshConfig';

export interface OverlayIssue {
  /** Relative to the overlay's root (values or meshConfig). */
  path: FieldPath;
  message: string;
}

/**
 * Settings meshops derives, by path in the overlay, with the MeshEnvironment field that says them.
 * The Values paths are those render/istio-operator.ts and render/helm-values.ts write; a prefix
 * covers everything below it.
 */
const DERIVED: Record<OverlayKind, { path: readonly string[]; use: string }[]> = {
  values: [
    { path: ['global', 'meshID'], use: 'spec.meshID' },
    { path: ['global', 'network'], use: 'spec.clusters[].network' },
    { path: ['global', 'multiCluster', 'clusterName'], use: 'spec.clusters[].name' },
    { path: ['global', 'meshNetworks'], use: 'spec.clusters[].network and eastWestGateway (address, port)' },
    { path: ['global', 'remotePilotAddress'], use: "spec.clusters[].controlPlane and its primary's istiodAddress or eastWestGateway.address" },
    { path: ['global', 'externalIstiod'], use: 'spec.clusters[].role (a primary serving remotes gets it)' },
    { path: ['global', 'configCluster'], use: 'spec.clusters[].role' },
    { path: ['global', 'hub'], use: 'spec.istio.hub' },
    { path: ['global', 'tag'], use: 'spec.istio.version' },
    { path: ['global', 'istioNamespace'], use: 'nothing: meshops installs Istio into istio-system' },
    { path: ['pilot', 'env', 'EXTERNAL_ISTIOD'], use: 'spec.clusters[].role (a primary serving remotes gets it)' },
    { path: ['istiodRemote', 'injectionPath'], use: 'spec.clusters[].role and network (a remote gets it)' },
    { path: ['revision'], use: 'spec.istio.revision' },
    { path: ['profile'], use: 'spec.clusters[].role (a remote gets the remote profile)' },
    { path: ['meshConfig', 'trustDomain'], use: 'spec.trustDomain' },
  ],
  meshConfig: [
    { path: ['trustDomain'], use: 'spec.trustDomain' },
    { path: ['defaultConfig', 'meshId'], use: 'spec.meshID' },
    { path: ['defaultConfig', 'proxyMetadata', 'PROXY_CONFIG_XDS_AGENT'], use: 'spec.migration.asm.desiredState' },
  ],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The one check of an overlay against Istio's API of `version`: every issue with its path in the
 * overlay. It refuses derived fields and checks that the overlay's own levels are objects,
 * then checks it against the Values/MeshConfig schema of that Istio version (generator/schemas/istio-operator.ts).
 */
export function checkOverlay(version: string, kind: OverlayKind, value: unknown): OverlayIssue[] {
  if (!isObject(value)) return [{ path: [], message: `${kind} must be a map of Istio's ${kind === 'values' ? 'Values' : 'MeshConfig'} fields` }];
  const issues: OverlayIssue[] = [];
  for (const derived of DERIVED[kind]) {
    let node: unknown = value;
    for (const key of derived.path) node = isObject(node) ? node[key] : undefined;
    if (node === undefined) continue;
    issues.push({
      path: derived.path,
      message: `${kind}.${derived.path.join('.')} is derived by meshops; set ${derived.use} instead`,
    });
  }
  // Istio's own API of this version (schemas/istio/<minor>/, generated from its protos): what
  // istioctl would refuse is refused here; what it takes with a caveat (a warning) is let through.
  for (const issue of checkIstioOverlay(kind, value, version).issues) {
    if (issue.severity === 'error') issues.push({ path: [...issue.path], message: issue.message });
  }
  return issues;
}
