import { overlaps, parseCidr } from '../generator/model/cidr.js';
import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputPodSubnetOverlap: InputRule = {
  kind: 'input',
  id: 'input-pod-subnet-overlap',
  description: "Clusters of one network have `podSubnet`s that do not overlap; the message names both clusters.",
  severity: 'error',
  docs: {
    rationale:
      'Pods of one network reach each other directly, by pod IP, so their CIDRs must not overlap; clusters whose pod networks overlap have to be put on different networks, which then talk through east-west gateways (seed 003).',
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, podSubnet: 10.0.0.0/16}
  - {name: c2, role: primary, network: main, podSubnet: 10.0.128.0/17}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main, podSubnet: 10.0.0.0/16}
  - {name: c2, role: primary, network: main, podSubnet: 10.1.0.0/16}
  rootCA: {store: {name: vault}}   # several primaries share one root of trust`),
  },
  check({ env, report }) {
    const { clusters } = env.spec;
    // Compared as a sweep over each network's subnets sorted by first address, not pair by pair
    // (quadratic in a large environment); reported in input order, the later cluster at fault.
    const subnets = clusters.map((c) => (c.podSubnet ? parseCidr(c.podSubnet) : undefined));
    const byNetwork = new Map<string, number[]>();
    subnets.forEach((subnet, i) => {
      if (!subnet) return;
      const key = `${subnet.family}/${clusters[i]!.network}`;
      const members = byNetwork.get(key);
      if (members) members.push(i);
      else byNetwork.set(key, [i]);
    });
    const overlapping: [earlier: number, later: number][] = [];
    for (const members of byNetwork.values()) {
      members.sort((x, y) => (subnets[x]!.first < subnets[y]!.first ? -1 : subnets[x]!.first > subnets[y]!.first ? 1 : x - y));
      // Subnets that started earlier and still reach the current one's first address.
      let open: number[] = [];
      for (const k of members) {
        const subnet = subnets[k]!;
        open = open.filter((o) => subnets[o]!.last >= subnet.first);
        for (const o of open) {
          if (overlaps(subnets[o]!, subnet)) overlapping.push(o < k ? [o, k] : [k, o]);
        }
        open.push(k);
      }
    }
    overlapping.sort(([i1, j1], [i2, j2]) => j1 - j2 || i1 - i2);
    for (const [i, j] of overlapping) {
      const c = clusters[j]!;
      const other = clusters[i]!;
      report(
        ['spec', 'clusters', j, 'podSubnet'],
        `podSubnet ${c.podSubnet} of "${c.name}" overlaps ${other.podSubnet} of "${other.name}" on network "${c.network}": ` +
          'clusters whose pod networks overlap must be on different networks',
      );
    }
  },
};
