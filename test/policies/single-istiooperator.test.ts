import { describe, expect, it } from 'vitest';
import { singleIstioOperator } from '../../policies/single-istiooperator.js';
import { check, exposeIstiod, fileOf, seed000, seedPrimary } from './trees.js';

describe('single-istiooperator', () => {
  it('accepts one IstioOperator per cluster', () => {
    expect(check(singleIstioOperator, seed000())).toEqual([]);
  });

  it("reports both of seed 001's IstioOperators (install and east-west gateway) at their kind", () => {
    const tree = seed000();
    const eastWest = seedPrimary();
    delete eastWest.spec.values.pilot;
    tree['cls-dxgdg1rl']!['eastwest-gateway.yaml'] = [{ ...eastWest, metadata: { name: 'eastwest' } }];
    const findings = check(singleIstioOperator, tree);
    expect(findings.map((f) => [f.file, f.line, f.severity, f.cluster])).toEqual([
      [fileOf('clusters/cls-dxgdg1rl/eastwest-gateway.yaml'), 2, 'error', 'cls-dxgdg1rl'],
      [fileOf('clusters/cls-dxgdg1rl/master-cluster.yaml'), 2, 'error', 'cls-dxgdg1rl'],
    ]);
    expect(findings[0]!.message).toContain('has 2 IstioOperators (also rendered/hand/clusters/cls-dxgdg1rl/master-cluster.yaml)');
  });

  it('reports a cluster without any IstioOperator', () => {
    const tree = seed000();
    tree['cls-ne1cw84b'] = { 'gateway.yaml': exposeIstiod() };
    const findings = check(singleIstioOperator, tree);
    expect(findings.map((f) => f.message)).toEqual(['cluster "cls-ne1cw84b" has no IstioOperator; it needs exactly one']);
  });
});
