import type { ClusterFacts } from '../generator/validate/cluster-facts.js';
import { ISTIOD_ADDRESS_ANNOTATION } from '../generator/istio/labels.js';
import { globalPath } from '../generator/validate/cluster-facts.js';
import { scalarText } from '../generator/json.js';
import { listNames } from '../generator/validate/wording.js';
import type { Policy } from '../generator/validate/policy.js';

function stated(primaries: readonly ClusterFacts[]): string {
  const known = primaries.flatMap((p) => p.istiodAddresses.map((a) => `"${p.name}" states ${a.address} (${a.source})`));
  return known.length > 0 ? known.join('; ') : `${listNames(primaries.map((p) => p.name))} state${primaries.length === 1 ? 's' : ''} no istiod address`;
}

function howToPass(address: string): string {
  return (
    `or state ${address} as the primary's istiod address: annotate its IstioOperator with ${ISTIOD_ADDRESS_ANNOTATION}: ${address}, ` +
    `set its east-west gateway's k8s.service.loadBalancerIP to ${address}, or list ${address} as the gateway address of its network in meshNetworks`
  );
}

/** Seed 000: a remote reaches istiod at remotePilotAddress, the primary's east-west gateway (or istiod load balancer). */
export const remotePilotAddress: Policy = {
  id: 'remote-pilot-address',
  description: "Every remote's values.global.remotePilotAddress is the istiod address of a primary of the environment (its own primary when the tree names it).",
  severity: 'error',
  docs: {
    rationale:
      'A remote has no istiod: its sidecar injector webhook and every proxy talk to the primary\'s istiod at remotePilotAddress, through the primary\'s east-west gateway or a dedicated load balancer. An address that is not where a primary exposes istiod leaves the remote\'s pods without configuration and its injection webhook failing. The primary\'s istiod address is read from the IstioOperator annotation meshops.dev/istiod-address (meshops writes it), the east-west gateway\'s k8s.service.loadBalancerIP, or the meshNetworks gateway address of the primary\'s network.',
    bad: `# clusters/cls-dxgdg1rl/istio-operator.yaml: the primary
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system, annotations: {meshops.dev/istiod-address: 10.0.250.58}}
# clusters/cls-ne1cw84b/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {profile: remote, values: {global: {remotePilotAddress: 10.0.250.85}}}`,
    good: `# clusters/cls-dxgdg1rl/istio-operator.yaml: the primary
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system, annotations: {meshops.dev/istiod-address: 10.0.250.58}}
# clusters/cls-ne1cw84b/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {profile: remote, values: {global: {remotePilotAddress: 10.0.250.58}}}`,
  },
  check({ mesh, report }) {
    for (const remote of mesh.remotes) {
      const doc = remote.iop!;
      const path = globalPath('remotePilotAddress');
      const address = scalarText(remote.remotePilotAddress);
      const named = remote.controlPlaneClusters;
      const primary = named.length > 0 ? mesh.primaryOf(remote) : undefined;
      if (named.length > 0 && !primary) {
        // The named primary may be a cluster whose IstioOperators single-istiooperator reports.
        if (mesh.complete) {
          report({ doc, path, message: `remote "${remote.name}": its istio-system Namespace names control plane ${listNames(named)}, which is not a primary of this environment` });
        }
        continue;
      }
      const candidates = primary ? [primary] : mesh.primaries;
      if (candidates.length === 0) {
        if (mesh.complete) report({ doc, path, message: `remote "${remote.name}" uses a primary's istiod, but the environment has no primary (a cluster whose IstioOperator is not profile: remote)` });
        continue;
      }
      if (address === undefined) {
        report({ doc, path, message: `remote "${remote.name}" sets no values.global.remotePilotAddress; set it to its primary's istiod address (${stated(candidates)})` });
        continue;
      }
      if (candidates.some((p) => p.istiodAddresses.some((a) => a.address === address))) continue;
      // The address may belong to a primary whose IstioOperators single-istiooperator reports.
      if (!primary && !mesh.complete) continue;
      const whose = primary ? `its primary "${primary.name}"` : 'any primary of the environment';
      report({
        doc,
        path,
        message: `remote "${remote.name}": remotePilotAddress ${address} is not the istiod address of ${whose} (${stated(candidates)}); set it to one of those, ${howToPass(address)}`,
      });
    }
  },
};
