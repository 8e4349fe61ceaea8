import { describe, expect, it } from 'vitest';
import { clusterNameUnique } from '../../policies/cluster-name-unique.js';
import { check, fileOf, lineOf, seed000, seed003 } from './trees.js';

describe('cluster-name-unique', () => {
  it('accepts distinct clusterNames', () => {
    expect(check(clusterNameUnique, seed000())).toEqual([]);
    expect(check(clusterNameUnique, seed003())).toEqual([]);
  });

  it('reports a clusterName copied from another cluster, at the later cluster', () => {
    const tree = seed003();
    tree['mdemo-cluster3']!['istio-operator.yaml']![0].spec.values.global.multiCluster.clusterName = 'mdemo-cluster2';
    const findings = check(clusterNameUnique, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'cluster-name-unique',
      severity: 'error',
      file: fileOf('clusters/mdemo-cluster3/istio-operator.yaml'),
      line: lineOf(tree, 'clusters/mdemo-cluster3/istio-operator.yaml', 'clusterName:'),
      message: 'rendered/hand/clusters/mdemo-cluster3 has clusterName "mdemo-cluster2", the same as rendered/hand/clusters/mdemo-cluster2; every cluster needs its own clusterName',
    });
  });

  it('reports two clusters without clusterName (both are Istio\'s "Kubernetes")', () => {
    const tree = seed000();
    delete tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.values.global.multiCluster;
    delete tree['cls-ne1cw84b']!['member-cluster-1.yaml']![0].spec.values.global.multiCluster;
    expect(check(clusterNameUnique, tree).map((f) => f.message)).toEqual([
      'rendered/hand/clusters/cls-ne1cw84b has no multiCluster.clusterName, so Istio names it "Kubernetes", the same as rendered/hand/clusters/cls-dxgdg1rl; every cluster needs its own clusterName',
    ]);
  });
});
