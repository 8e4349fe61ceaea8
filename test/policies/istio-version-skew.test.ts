import { describe, expect, it } from 'vitest';
import { istioVersionSkew } from '../../policies/istio-version-skew.js';
import { check, fileOf, lineOf, seed003 } from './trees.js';

const withTags = (tags: Record<string, string>) => {
  const tree = seed003();
  for (const [cluster, tag] of Object.entries(tags)) tree[cluster]!['istio-operator.yaml']![0].spec.tag = tag;
  return tree;
};

describe('istio-version-skew', () => {
  it('accepts versions one minor apart, untagged clusters and suffixed tags', () => {
    expect(check(istioVersionSkew, withTags({ 'mdemo-cluster1': '1.16.1', 'mdemo-cluster2': '1.15.3-mspider' }))).toEqual([]);
    expect(check(istioVersionSkew, withTags({ 'mdemo-cluster1': '1.22.0', 'mdemo-cluster2': 'latest' }))).toEqual([]);
  });

  it('warns on a cluster more than one minor behind the newest, at spec.tag', () => {
    const tree = withTags({ 'mdemo-cluster1': '1.20.3', 'mdemo-cluster2': '1.19.9', 'mdemo-cluster3': '1.18.5' });
    const findings = check(istioVersionSkew, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'istio-version-skew',
      severity: 'warning',
      file: fileOf('clusters/mdemo-cluster3/istio-operator.yaml'),
      line: lineOf(tree, 'clusters/mdemo-cluster3/istio-operator.yaml', 'tag:'),
      message: 'cluster "mdemo-cluster3" runs Istio 1.18.5, more than one minor version behind 1.20.3 on "mdemo-cluster1"; upgrade it one minor version at a time',
    });
  });
});
