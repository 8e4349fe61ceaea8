import { describe, expect, it } from 'vitest';
import { meshIdMatch } from '../../policies/mesh-id-match.js';
import { check, fileOf, lineOf, seed000, seed003 } from './trees.js';

describe('mesh-id-match', () => {
  it('accepts one meshID everywhere', () => {
    expect(check(meshIdMatch, seed000())).toEqual([]);
    expect(check(meshIdMatch, seed003())).toEqual([]);
  });

  it('reports the cluster that differs from the others, at its meshID', () => {
    const tree = seed003();
    tree['mdemo-cluster3']!['istio-operator.yaml']![0].spec.values.global.meshID = 'mesh-mn8gnn1g';
    const findings = check(meshIdMatch, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'mesh-id-match',
      severity: 'error',
      cluster: 'mdemo-cluster3',
      file: fileOf('clusters/mdemo-cluster3/istio-operator.yaml'),
      line: lineOf(tree, 'clusters/mdemo-cluster3/istio-operator.yaml', 'meshID:'),
    });
    expect(findings[0]!.message).toBe('cluster "mdemo-cluster3" has meshID "mesh-mn8gnn1g" but "mdemo-cluster1" and "mdemo-cluster2" use "mdemo-mesh"; one mesh has one meshID');
  });

  it('reports a missing meshID at values.global', () => {
    const tree = seed000();
    delete tree['cls-ne1cw84b']!['member-cluster-1.yaml']![0].spec.values.global.meshID;
    const findings = check(meshIdMatch, tree);
    expect(findings.map((f) => [f.cluster, f.line, f.message])).toEqual([
      ['cls-ne1cw84b', lineOf(tree, 'clusters/cls-ne1cw84b/member-cluster-1.yaml', 'global:'), 'cluster "cls-ne1cw84b" sets no values.global.meshID; every cluster of the mesh must state the same meshID'],
    ]);
  });
});
