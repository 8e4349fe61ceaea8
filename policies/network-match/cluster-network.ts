import type { FieldPath } from '../../generator/findings.js';
import { REQUESTED_NETWORK_VIEW } from '../../generator/istio/env-vars.js';
import { NETWORK_LABEL } from '../../generator/istio/labels.js';
import { eastWestPath, globalPath } from '../../generator/validate/cluster-facts.js';
import { get, scalarText } from '../../generator/json.js';
import type { ManifestDoc } from '../../generator/validate/manifests.js';
import type { PolicyContext } from '../../generator/validate/policy.js';

interface Statement {
  where: string;
  value: string | undefined;
  doc: ManifestDoc;
  path: FieldPath;
}

/** Each cluster states one network: values.global.network, the istio-system Namespace label, the east-west gateway's label and env. */
export function checkClusterNetworks({ clusters, mesh, report }: PolicyContext): void {
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
}
