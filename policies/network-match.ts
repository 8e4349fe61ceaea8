import type { FieldPath } from '../generator/load/yaml-source.js';
import type { ManifestDoc } from '../generator/validate/manifests.js';
import {
  consensus,
  eastWestPath,
  get,
  globalPath,
  listNames,
  scalarText,
} from '../generator/validate/facts.js';
import { REQUESTED_NETWORK_VIEW } from '../generator/istio/env-vars.js';
import { NETWORK_LABEL } from '../generator/istio/labels.js';
import type { Policy } from '../generator/validate/policy.js';

interface Statement {
  where: string;
  value: string | undefined;
  doc: ManifestDoc;
  path: FieldPath;
}

/** JSON with sorted object keys: meshNetworks maps compare by content, not by key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Seed 003: a cluster's network is stated in four places, and meshNetworks must be the same everywhere. */
export const networkMatch: Policy = {
  id: 'network-match',
  description:
    'A cluster states its network identically in IstioOperator values.global.network, the istio-system Namespace label, and the east-west gateway\'s label and ISTIO_META_REQUESTED_NETWORK_VIEW; meshNetworks is the same on every cluster that carries it and, with several networks, has an entry for every cluster\'s network.',
  severity: 'error',
  docs: {
    rationale:
      'Istio learns a cluster\'s network from several places: sidecars from values.global.network, istiod (for the endpoints of the cluster) from the topology.istio.io/network label of istio-system, and from the east-west gateway\'s label which gateway serves which network. When they disagree, istiod sends traffic for pods it believes are on another network through a gateway (or straight to unreachable pod IPs), and cross-network calls fail. Each istiod routes with its own meshNetworks, so copies that differ, or miss a network, make the mesh route differently depending on the caller.',
    bad: `# clusters/mdemo-cluster2/istio-operator.yaml
spec:
  values: {global: {network: network-c2}}
# clusters/mdemo-cluster2/namespace.yaml
kind: Namespace
metadata: {name: istio-system, labels: {topology.istio.io/network: network-c3}}`,
    good: `# clusters/mdemo-cluster2/istio-operator.yaml
spec:
  values: {global: {network: network-c2}}
# clusters/mdemo-cluster2/namespace.yaml
kind: Namespace
metadata: {name: istio-system, labels: {topology.istio.io/network: network-c2}}`,
  },
  check({ clusters, mesh, report }) {
    for (const c of clusters) {
      if (!c.iop) continue;
      const statements: Statement[] = [];
      const ns = c.istioSystemNamespace;
      if (ns) {
        const path = ['metadata', 'labels', NETWORK_LABEL];
        statements.push({ where: `the istio-system Namespace label ${NETWORK_LABEL}`, value: scalarText(get(ns.object, path)), doc: ns, path });
      }
      const ew = c.eastWestGateway;
      if (ew) {
        statements.push({ where: `the east-west gateway label ${NETWORK_LABEL}`, value: scalarText(ew.networkLabel), doc: c.iop, path: eastWestPath(ew, 'label', NETWORK_LABEL) });
        const view = ew.requestedNetworkView;
        statements.push({
          where: `the east-west gateway env ${REQUESTED_NETWORK_VIEW}`,
          value: scalarText(view?.value),
          doc: c.iop,
          path: view ? eastWestPath(ew, 'k8s', 'env', view.index, 'value') : eastWestPath(ew, 'k8s', 'env'),
        });
      }
      const network = scalarText(c.network);
      if (network === undefined) {
        const stated = statements.filter((s) => s.value !== undefined);
        if (stated.length > 0) {
          report({
            doc: c.iop,
            path: globalPath('network'),
            message: `cluster "${c.name}" sets no values.global.network, but ${stated.map((s) => `${s.where} says "${s.value}"`).join(' and ')}; set values.global.network to the cluster's network`,
          });
        }
        continue;
      }
      for (const s of statements) {
        if (s.value === undefined) {
          // With one network nothing routes by these statements; Istio's --single-cluster gateway omits them.
          if (mesh.multiNetwork) report({ doc: s.doc, path: s.path, message: `cluster "${c.name}": ${s.where} is not set; with several networks it must say "${network}" (values.global.network)` });
        } else if (s.value !== network) {
          report({ doc: s.doc, path: s.path, message: `cluster "${c.name}": ${s.where} says "${s.value}" but values.global.network is "${network}"; state one network everywhere` });
        }
      }
    }

    const carriers = clusters.filter((c) => c.iop && c.meshNetworks);
    // Plain JSON first: copies written by one tool agree byte for byte; key order is only
    // normalized (slower, on a large mesh) when they do not.
    const keyOf = new Map(carriers.map((c) => [c, JSON.stringify(c.meshNetworks)] as const));
    if (new Set(keyOf.values()).size > 1) for (const c of carriers) keyOf.set(c, canonical(c.meshNetworks));
    const agreed = consensus(carriers, (c) => keyOf.get(c)!);
    for (const c of carriers) {
      if (agreed && keyOf.get(c) !== agreed.value) {
        report({
          doc: c.iop!,
          path: globalPath('meshNetworks'),
          message: `cluster "${c.name}": values.global.meshNetworks differs from the one ${listNames(agreed.holders.map((h) => h.name))} carry; every istiod must route with the same meshNetworks`,
        });
      }
    }

    if (!mesh.multiNetwork) return;
    const byNetwork = new Map<string, string[]>();
    for (const c of clusters) {
      const network = scalarText(c.network);
      if (c.iop === undefined || network === undefined) continue;
      const members = byNetwork.get(network);
      if (members) members.push(c.name);
      else byNetwork.set(network, [c.name]);
    }
    for (const c of clusters) {
      if (c.role === 'primary' && !c.meshNetworks) {
        report({
          doc: c.iop!,
          path: globalPath(),
          message: `cluster "${c.name}" runs istiod in a mesh spanning networks ${listNames(mesh.networks)} but sets no values.global.meshNetworks; add an entry (gateway address and port) per network`,
        });
      }
    }
    for (const c of carriers) {
      for (const [network, members] of [...byNetwork].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (!Object.hasOwn(c.meshNetworks!, network)) {
          report({
            doc: c.iop!,
            path: globalPath('meshNetworks'),
            message: `cluster "${c.name}": values.global.meshNetworks has no entry for network "${network}" (of ${listNames(members)}); its endpoints are unreachable from the other networks`,
          });
        }
      }
    }
  },
};
