import type { ClusterSpec } from '../generator/model/mesh-environment.js';
import type { InputRule } from '../generator/model/input-rule.js';
import type { Topology } from '../generator/model/topology.js';
import { meshExample } from './input-example.js';

function whyEastWest(topology: Topology, c: ClusterSpec): string {
  const reasons: string[] = [];
  if (topology.multiNetwork) reasons.push(`the mesh spans ${topology.networks.length} networks (${topology.networks.join(', ')})`);
  // By name, as the topology indexes clusters (the last of a duplicated name).
  const cluster = topology.byName.get(c.name);
  if (cluster && topology.exposesIstiod(cluster)) reasons.push('it is a primary whose istiod remotes or VMs reach through it');
  return reasons.join(', and ');
}

export const inputEastWestGateway: InputRule = {
  kind: 'input',
  id: 'input-east-west-gateway',
  description:
    'An east-west gateway with an `address` is required on a primary that serves remotes or VMs (unless it has `istiodAddress`), and on every cluster when the mesh, VMs included, spans several networks.',
  severity: 'error',
  docs: {
    rationale:
      "Remotes and VMs reach a primary's istiod through its east-west gateway, and traffic crosses networks only through the east-west gateways (seeds 000, 003, 004). meshNetworks and remotePilotAddress carry the gateway's address, which only the load balancer's owner knows.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  - {name: c2, role: remote, network: main}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, eastWestGateway: {address: 10.0.0.1}}
  - {name: c2, role: remote, network: main}`),
  },
  check({ env, topology, report }) {
    env.spec.clusters.forEach((c, i) => {
      if (topology.needsEastWestGateway(c) && c.eastWestGateway?.enabled === false) {
        report(['spec', 'clusters', i, 'eastWestGateway', 'enabled'], `cluster "${c.name}" needs an east-west gateway: ${whyEastWest(topology, c)}`);
      } else if (topology.hasEastWestGateway(c) && c.eastWestGateway?.address === undefined) {
        const needsAddress = topology.multiNetwork || (topology.exposesIstiod(c) && c.istiodAddress === undefined);
        if (needsAddress) {
          report(
            c.eastWestGateway ? ['spec', 'clusters', i, 'eastWestGateway'] : ['spec', 'clusters', i],
            `cluster "${c.name}" needs eastWestGateway.address (its load balancer's IP or hostname): ${whyEastWest(topology, c)}`,
          );
        }
      }
    });
  },
};
