import { globalPath } from '../../generator/validate/cluster-facts.js';
import { scalarText } from '../../generator/json.js';
import type { PolicyContext } from '../../generator/validate/policy.js';
import { listNames } from '../../generator/validate/wording.js';

/** With several networks, every primary carries meshNetworks, with an entry for every cluster's network. */
export function checkMeshNetworksCover({ clusters, mesh, report }: PolicyContext): void {
  const carriers = clusters.filter((c) => c.iop && c.meshNetworks);
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
}
