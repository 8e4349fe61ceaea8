/**
 * What was rewritten to scale to thousands of clusters still says exactly what the simple version
 * said: the podSubnet overlap sweep against a pair-by-pair oracle, the indexed topology against
 * plain scans.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overlaps, parseCidr } from '../generator/model/cidr.js';
import { topologyOf } from '../generator/model/topology.js';
import { baseEnvironment, inputFindings, model } from './helpers.js';

const SUBNETS = ['10.0.0.0/16', '10.0.0.0/24', '10.0.1.0/24', '10.0.255.0/24', '10.1.0.0/16', '10.0.0.0/8', '10.2.0.0/20', 'fd00::/64', 'fd00::/48', 'fd01::/64'];

function environment(clusters: { network: string; podSubnet: string | undefined }[]): Record<string, any> {
  const env = baseEnvironment('overlaps');
  env.spec.clusters = clusters.map((c, i) => ({
    name: `c${i}`,
    role: i === 0 ? 'primary' : 'remote',
    network: c.network,
    ...(c.podSubnet ? { podSubnet: c.podSubnet } : {}),
    eastWestGateway: { address: `192.168.0.${i + 1}` },
  }));
  return env;
}

describe('podSubnet overlaps', () => {
  it('reports every overlapping pair on a network, in input order, as a pairwise check does', () => {
    const cluster = fc.record({ network: fc.constantFrom('net1', 'net2'), podSubnet: fc.option(fc.constantFrom(...SUBNETS), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(cluster, { minLength: 1, maxLength: 12 }), (clusters) => {
        const expected: string[] = [];
        clusters.forEach((c, j) => {
          for (let i = 0; i < j; i++) {
            const other = clusters[i]!;
            const a = other.podSubnet && parseCidr(other.podSubnet);
            const b = c.podSubnet && parseCidr(c.podSubnet);
            if (a && b && other.network === c.network && overlaps(a, b)) expected.push(`c${j} overlaps ${other.podSubnet} of "c${i}"`);
          }
        });
        const reported = inputFindings(environment(clusters))
          .map((f) => /podSubnet \S+ of "(c\d+)" (overlaps \S+ of "c\d+")/.exec(f.message))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => `${m[1]} ${m[2]}`);
        expect(reported).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('topology', () => {
  it('lists each primary\'s remotes and VMs in input order, as scanning every cluster does', () => {
    const env = baseEnvironment('topology');
    env.spec.clusters = [
      { name: 'p1', role: 'primary', network: 'net1', eastWestGateway: { address: '10.0.0.1' } },
      { name: 'r1', role: 'remote', network: 'net1', controlPlane: 'p2' },
      { name: 'p2', role: 'primary', network: 'net1', eastWestGateway: { address: '10.0.0.2' } },
      { name: 'r2', role: 'remote', network: 'net1', controlPlane: 'p1' },
      { name: 'r3', role: 'remote', network: 'net1', controlPlane: 'p2' },
    ];
    env.spec.rootCA = { store: { name: 'vault' } };
    env.spec.vms = [
      { name: 'vm1', namespace: 'vm', serviceAccount: 'vm', cluster: 'r3' },
      { name: 'vm2', namespace: 'vm', serviceAccount: 'vm', cluster: 'p1' },
      { name: 'vm3', namespace: 'vm', serviceAccount: 'vm', cluster: 'r1' },
    ];
    const m = model(env);
    const topology = topologyOf(m);
    const [p1, r1, p2] = m.spec.clusters;
    const names = (list: readonly { name: string }[]) => list.map((x) => x.name);
    expect(names(topology.remotesOf(p1!))).toEqual(['r2']);
    expect(names(topology.remotesOf(p2!))).toEqual(['r1', 'r3']);
    expect(topology.remotesOf(r1!)).toEqual([]);
    expect(names(topology.vmsOf(p1!))).toEqual(['vm2']);
    expect(names(topology.vmsOf(p2!))).toEqual(['vm1', 'vm3']);
    expect(topology.vmsOf(r1!)).toEqual([]);
    expect(topology.exposesIstiod(p1!)).toBe(true);
  });
});
