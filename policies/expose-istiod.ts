import type { FieldPath } from '../generator/findings.js';
import { ISTIOD_ADDRESS_ANNOTATION } from '../generator/istio/labels.js';
import { ISTIO_NAMESPACE, ISTIOD_GATEWAY, istiodService, istiodSniHosts } from '../generator/istio/names.js';
import { ISTIOD_WEBHOOK_PORT, ISTIOD_WEBHOOK_SERVICE_PORT, ISTIOD_XDS_PORT } from '../generator/istio/ports.js';
import type { ClusterFacts } from '../generator/validate/cluster-facts.js';
import { gatewayServers, meshObject, selectsEastWestGateway } from '../generator/validate/gateways.js';
import { asArray, get, scalarText } from '../generator/json.js';
import { labelList } from '../generator/validate/wording.js';
import type { ManifestDoc } from '../generator/validate/manifests.js';
import type { Policy, PolicyFinding } from '../generator/validate/policy.js';

/** istiod's ports as remotes and VMs reach them, and the istiod Service port each goes to. */
const ISTIOD_ROUTES = [
  { port: ISTIOD_XDS_PORT, targetPort: ISTIOD_XDS_PORT, what: 'XDS and CA' },
  { port: ISTIOD_WEBHOOK_PORT, targetPort: ISTIOD_WEBHOOK_SERVICE_PORT, what: 'webhook' },
];

/** A VirtualService host naming the service in istio-system (short name or any FQDN form). */
function namesService(host: unknown, service: string): boolean {
  const h = scalarText(host);
  return h === service || (h !== undefined && h.startsWith(`${service}.${ISTIO_NAMESPACE}`));
}

function checkGateway(gateway: ManifestDoc, primary: ClusterFacts): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const servers = gatewayServers(gateway);
  for (const { port, what } of ISTIOD_ROUTES) {
    const server = servers.find((s) => s.port === String(port));
    if (!server) {
      findings.push({ doc: gateway, path: ['spec', 'servers'], message: `Gateway ${ISTIOD_GATEWAY} has no server on port ${port} (istiod ${what}); remotes and VMs cannot reach it` });
    } else if (server.tlsMode !== 'PASSTHROUGH') {
      findings.push({
        doc: gateway,
        path: ['spec', 'servers', server.index, 'tls', 'mode'],
        message: `Gateway ${ISTIOD_GATEWAY}: the server on port ${port} must pass TLS through (tls.mode: PASSTHROUGH); istiod terminates it with its own certificate`,
      });
    }
  }
  const eastWest = primary.eastWestGateway;
  if (eastWest && !selectsEastWestGateway(gateway, eastWest)) {
    findings.push({ doc: gateway, path: ['spec', 'selector'], message: `Gateway ${ISTIOD_GATEWAY} does not select the east-west gateway (labels ${labelList(eastWest.labels)})` });
  }
  return findings;
}

const revisionOf = (primary: ClusterFacts) => scalarText(get(primary.iop?.object, ['spec', 'revision'])) ?? '';

/** The tls route of a VirtualService sending `port` to the istiod Service's `targetPort`, and its index. */
function routeTo(vs: ManifestDoc, service: string, port: number, targetPort: number): { route: unknown; index: number } | undefined {
  const routes = asArray(get(vs.object, ['spec', 'tls']));
  const index = routes.findIndex(
    (r) =>
      asArray(get(r, ['match'])).some((m) => scalarText(get(m, ['port'])) === String(port)) &&
      asArray(get(r, ['route'])).some(
        (d) => namesService(get(d, ['destination', 'host']), service) && scalarText(get(d, ['destination', 'port', 'number'])) === String(targetPort),
      ),
  );
  return index < 0 ? undefined : { route: routes[index], index };
}

function checkVirtualService(vs: ManifestDoc, primary: ClusterFacts): PolicyFinding[] {
  const revision = revisionOf(primary);
  const service = istiodService(revision);
  return ISTIOD_ROUTES.flatMap(({ port, targetPort, what }): PolicyFinding[] => {
    const found = routeTo(vs, service, port, targetPort);
    if (!found) {
      return [{ doc: vs, path: ['spec', 'tls'], message: `VirtualService ${vs.name} does not route port ${port} (istiod ${what}) to ${service}.istio-system.svc.cluster.local:${targetPort}` }];
    }
    // A revision's route matches its own istiod's names: one matching any SNI takes every revision's traffic.
    const [sni] = istiodSniHosts(revision);
    const matches = asArray(get(found.route, ['match']));
    const matchIndex = matches.findIndex((m) => scalarText(get(m, ['port'])) === String(port));
    const sniHosts = asArray(get(matches[matchIndex], ['sniHosts'])).map(scalarText);
    if (!revision || (sniHosts.includes(sni) && !sniHosts.includes('*'))) return [];
    return [
      {
        doc: vs,
        path: ['spec', 'tls', found.index, 'match', matchIndex],
        message:
          `VirtualService ${vs.name} routes port ${port} of every SNI to revision ${revision}; with revisions, match sniHosts ${sni} (Istio's expose-istiod-rev), ` +
          'so control planes of two revisions can share the east-west gateway',
      },
    ];
  });
}

/** Seed 000 and Istio's samples/multicluster/expose-istiod.yaml: remotes reach istiod through the east-west gateway. */
export const exposeIstiod: Policy = {
  id: 'expose-istiod',
  description:
    'A primary that remotes (or VMs) use has an east-west gateway, Gateway istiod-gateway (15012 and 15017, TLS PASSTHROUGH) and a VirtualService routing them to its istiod.',
  severity: 'error',
  docs: {
    rationale:
      'An east-west gateway forwards only what a Gateway and VirtualService tell it to: without istiod-gateway and its VirtualService (Istio\'s expose-istiod sample), remotes\' proxies and injection webhooks reach the gateway and go nowhere. The VirtualService must route to the istiod Service of the IstioOperator\'s revision (istiod-<revision> when spec.revision is set), and with a revision match only that revision\'s SNI names (istiod-<revision>.istio-system.svc, Istio\'s expose-istiod-rev.yaml.tmpl), so two revisions can share the east-west gateway during a canary upgrade. A primary counts as used by remotes when a remote names it (Namespace annotation topology.istio.io/controlPlaneClusters), its remotePilotAddress is the primary\'s istiod address, or it is the only primary; and when its IstioOperator carries meshops.dev/istiod-address.',
    bad: `# clusters/cls-dxgdg1rl/istio-operator.yaml: a primary its remotes reach at 10.0.250.58
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system, annotations: {meshops.dev/istiod-address: 10.0.250.58}}
spec:
  components:
    ingressGateways:
    - name: istio-eastwestgateway
      enabled: true
      label: {istio: eastwestgateway}
      k8s: {service: {ports: [{name: tls-istiod, port: 15012}, {name: tls-webhook, port: 15017}]}}`,
    good: `# clusters/cls-dxgdg1rl/istio-operator.yaml: a primary its remotes reach at 10.0.250.58
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system, annotations: {meshops.dev/istiod-address: 10.0.250.58}}
spec:
  components:
    ingressGateways:
    - name: istio-eastwestgateway
      enabled: true
      label: {istio: eastwestgateway}
      k8s: {service: {ports: [{name: tls-istiod, port: 15012}, {name: tls-webhook, port: 15017}]}}
# clusters/cls-dxgdg1rl/expose-istiod.yaml: Istio's samples/multicluster/expose-istiod.yaml
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata: {name: istiod-gateway, namespace: istio-system}
spec:
  selector: {istio: eastwestgateway}
  servers:
  - {port: {name: tls-istiod, number: 15012, protocol: tls}, tls: {mode: PASSTHROUGH}, hosts: ["*"]}
  - {port: {name: tls-istiodwebhook, number: 15017, protocol: tls}, tls: {mode: PASSTHROUGH}, hosts: ["*"]}
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: istiod-vs, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [istiod-gateway]
  tls:
  - match: [{port: 15012, sniHosts: ["*"]}]
    route: [{destination: {host: istiod.istio-system.svc.cluster.local, port: {number: 15012}}}]
  - match: [{port: 15017, sniHosts: ["*"]}]
    route: [{destination: {host: istiod.istio-system.svc.cluster.local, port: {number: 443}}}]`,
  },
  check({ clusters, mesh, report }) {
    for (const primary of clusters) {
      if (!primary.iop || !mesh.exposesIstiod(primary)) continue;
      const users = mesh.remotesOf(primary).map((r) => r.name);
      const why = users.length > 0 ? `remotes ${users.map((n) => `"${n}"`).join(', ')} use its istiod` : `its IstioOperator states an istiod address for remotes and VMs`;
      // A missing object has no line of its own: point at the IstioOperator of the primary that needs it.
      const anchor: FieldPath = primary.istiodAddresses.some((a) => a.via === 'annotation') ? ['metadata', 'annotations', ISTIOD_ADDRESS_ANNOTATION] : ['kind'];
      if (!primary.eastWestGateway) {
        report({ doc: primary.iop, path: ['spec', 'components', 'ingressGateways'], message: `primary "${primary.name}" has no east-west gateway, but ${why}; add the istio-eastwestgateway component` });
      }
      const gateway = meshObject(primary, 'Gateway', ISTIOD_GATEWAY);
      if (!gateway) {
        report({ doc: primary.iop, path: anchor, message: `primary "${primary.name}" has no Gateway ${ISTIOD_GATEWAY} in istio-system, but ${why}; add Istio's expose-istiod Gateway` });
      } else {
        for (const f of checkGateway(gateway, primary)) report(f);
      }
      const bound = primary.meshObjects.filter(
        (d) => d.kind === 'VirtualService' && asArray(get(d.object, ['spec', 'gateways'])).some((g) => g === ISTIOD_GATEWAY || g === `${ISTIO_NAMESPACE}/${ISTIOD_GATEWAY}`),
      );
      // Revisions sharing istiod-gateway have a VirtualService each: check the one of this IstioOperator's revision.
      const service = istiodService(revisionOf(primary));
      const vs = bound.find((d) => ISTIOD_ROUTES.some(({ port, targetPort }) => routeTo(d, service, port, targetPort))) ?? bound[0];
      if (!vs) {
        report({ doc: primary.iop, path: anchor, message: `primary "${primary.name}" has no VirtualService bound to ${ISTIOD_GATEWAY}, but ${why}; add Istio's expose-istiod VirtualService (istiod-vs)` });
      } else {
        for (const f of checkVirtualService(vs, primary)) report(f);
      }
    }
  },
};
