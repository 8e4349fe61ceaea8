/** Seed 001's layout, run through the CLI (in-process): a second IstioOperator for the east-west gateway. */
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runMain } from '../helpers.js';

describe('meshops validate test/fixtures/seed-001', () => {
  it('fails with single-istiooperator on both IstioOperator files, with file and line', async () => {
    const r = await runMain(['validate', 'test/fixtures/seed-001', '--format', 'json'], REPO_ROOT);
    expect(r.status).toBe(1);
    const { ok, violations } = JSON.parse(r.stdout) as { ok: boolean; violations: { rule: string; file: string; line: number; cluster: string; message: string }[] };
    expect(ok).toBe(false);
    expect(violations.map((v) => [v.rule, v.file, v.line, v.cluster])).toEqual([
      ['single-istiooperator', 'test/fixtures/seed-001/cls-dxgdg1rl/eastwest-gateway.yaml', 2, 'cls-dxgdg1rl'],
      ['single-istiooperator', 'test/fixtures/seed-001/cls-dxgdg1rl/master-cluster.yaml', 2, 'cls-dxgdg1rl'],
    ]);
    expect(violations[0]!.message).toContain('has 2 IstioOperators (also test/fixtures/seed-001/cls-dxgdg1rl/master-cluster.yaml)');
  });

  it('prints them like a compiler in text format', async () => {
    const r = await runMain(['validate', 'test/fixtures/seed-001'], REPO_ROOT);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('test/fixtures/seed-001/cls-dxgdg1rl/eastwest-gateway.yaml:2: error single-istiooperator: cluster "cls-dxgdg1rl" has 2 IstioOperators');
  });
});
