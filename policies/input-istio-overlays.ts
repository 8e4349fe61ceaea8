import { checkOverlay, type OverlayKind } from '../generator/model/overlays.js';
import type { InputRule } from '../generator/model/input-rule.js';

export const inputIstioOverlays: InputRule = {
  kind: 'input',
  id: 'input-istio-overlays',
  description: "`istio.values` and `istio.meshConfig` (the environment's and each cluster's) set no field meshops derives, and fit Istio's API.",
  severity: 'error',
  docs: {
    rationale:
      "The overlays carry what meshops does not model (istiod resources, access logs, proxy defaults) into every IstioOperator and the istiod chart's values. A field meshops derives from the environment (meshID, network, clusterName, meshNetworks, remotePilotAddress, EXTERNAL_ISTIOD, trustDomain, revision, ...) set there too would make the clusters disagree on what the mesh is, or be silently overwritten: it is refused, naming the MeshEnvironment field that says it.",
    bad: `apiVersion: meshops.dev/v1alpha1
kind: MeshEnvironment
metadata: {name: demo}
spec:
  meshID: mesh1
  istio:
    version: 1.24.0
    meshConfig: {accessLogFile: /dev/stdout, trustDomain: corp.local}
  clusters:
  - {name: c1, role: primary, network: main}`,
    good: `apiVersion: meshops.dev/v1alpha1
kind: MeshEnvironment
metadata: {name: demo}
spec:
  meshID: mesh1
  trustDomain: corp.local
  istio:
    version: 1.24.0
    meshConfig: {accessLogFile: /dev/stdout}
  clusters:
  - {name: c1, role: primary, network: main}`,
  },
  check({ env, report }) {
    const { version } = env.spec.istio;
    const overlays: { at: (string | number)[]; overlay: Partial<Record<OverlayKind, Record<string, unknown>>> | undefined }[] = [
      { at: ['spec', 'istio'], overlay: env.spec.istio },
      ...env.spec.clusters.map((c, i) => ({ at: ['spec', 'clusters', i, 'istio'], overlay: c.istio })),
    ];
    for (const { at, overlay } of overlays) {
      for (const kind of ['values', 'meshConfig'] as const) {
        const value = overlay?.[kind];
        if (value === undefined) continue;
        for (const found of checkOverlay(version, kind, value)) report([...at, kind, ...found.path], found.message);
      }
    }
  },
};
