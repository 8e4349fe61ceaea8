import { describe, expect, it } from 'vitest';
import { trustDomainMatch } from '../../policies/trust-domain-match.js';
import { check, fileOf, lineOf, seed003 } from './trees.js';

const meshConfig = (tree: ReturnType<typeof seed003>, cluster: string, value: object) => {
  tree[cluster]!['istio-operator.yaml']![0].spec.meshConfig = value;
};

describe('trust-domain-match', () => {
  it('accepts the default everywhere, or the same domain stated', () => {
    const tree = seed003();
    expect(check(trustDomainMatch, tree)).toEqual([]);
    meshConfig(tree, 'mdemo-cluster2', { trustDomain: 'cluster.local' });
    expect(check(trustDomainMatch, tree)).toEqual([]);
  });

  it('reports the cluster with another trust domain, at meshConfig.trustDomain', () => {
    const tree = seed003();
    meshConfig(tree, 'mdemo-cluster2', { trustDomain: 'mdemo.example.com' });
    const findings = check(trustDomainMatch, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'trust-domain-match',
      severity: 'error',
      file: fileOf('clusters/mdemo-cluster2/istio-operator.yaml'),
      line: lineOf(tree, 'clusters/mdemo-cluster2/istio-operator.yaml', 'trustDomain:'),
      message:
        'cluster "mdemo-cluster2" has trust domain "mdemo.example.com" but "mdemo-cluster1" and "mdemo-cluster3" use "cluster.local"; set one trustDomain everywhere (or, while migrating, list each other\'s domain in meshConfig.trustDomainAliases)',
    });
  });

  it('accepts clusters that alias each other\'s domain, and only both ways', () => {
    const tree = seed003();
    meshConfig(tree, 'mdemo-cluster2', { trustDomain: 'mdemo.example.com', trustDomainAliases: ['cluster.local'] });
    expect(check(trustDomainMatch, tree)).toHaveLength(1);
    meshConfig(tree, 'mdemo-cluster1', { trustDomainAliases: ['mdemo.example.com'] });
    meshConfig(tree, 'mdemo-cluster3', { trustDomainAliases: ['mdemo.example.com'] });
    expect(check(trustDomainMatch, tree)).toEqual([]);
  });
});
