/**
 * Root causes first: a rendered-up-to-date finding (rendered/ is not what its environment renders
 * to) leads the report, followed by the findings in the same file it explains, in every format.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportTool } from '../generator/commands/rules.js';
import type { Finding } from '../generator/findings.js';
import { formatFindings, reportOrder } from '../generator/report/format.js';
import { runMain, scratchRepo } from './helpers.js';

const at = (file: string, line: number, rule: string): Finding => ({ rule, severity: 'error', message: `${rule} at ${line}`, file, line, env: 'e' });
const edited = 'rendered/e/clusters/c2/istio-operator.yaml';
const findings = [
  at('rendered/e/clusters/c1/istio-operator.yaml', 51, 'network-match'),
  at(edited, 26, 'network-match'),
  at(edited, 9, 'mesh-id-match'),
  at('rendered/e/clusters/c2/namespace.yaml', 9, 'network-match'),
  at(edited, 22, 'rendered-up-to-date'),
];

describe('report order', () => {
  it('puts each rendered-up-to-date finding first, with the findings of its file under it, then the rest', () => {
    expect(reportOrder(findings).map((r) => [r.finding.file, r.finding.line, r.explainedBy?.rule])).toEqual([
      [edited, 22, undefined],
      [edited, 9, 'rendered-up-to-date'],
      [edited, 26, 'rendered-up-to-date'],
      ['rendered/e/clusters/c1/istio-operator.yaml', 51, undefined],
      ['rendered/e/clusters/c2/namespace.yaml', 9, undefined],
    ]);
  });

  it('is the order of every format', () => {
    const expected = [`${edited}:22`, `${edited}:9`, `${edited}:26`, 'rendered/e/clusters/c1/istio-operator.yaml:51', 'rendered/e/clusters/c2/namespace.yaml:9'];
    const text = formatFindings(findings, 'text', reportTool());
    expect(text.split('\n').filter(Boolean).map((l) => l.split(': ')[0])).toEqual(expected);
    const json = JSON.parse(formatFindings(findings, 'json', reportTool()));
    expect(json.violations.map((v: any) => `${v.file}:${v.line}`)).toEqual(expected);
    const github = formatFindings(findings, 'github', reportTool());
    expect(github.split('\n').filter(Boolean).map((l) => l.match(/file=([^,]+),line=(\d+)/)!.slice(1).join(':'))).toEqual(expected);
    const sarif = JSON.parse(formatFindings(findings, 'sarif', reportTool()));
    const results = sarif.runs[0].results;
    expect(results.map((r: any) => `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`)).toEqual(expected);
    expect(results[1].properties).toEqual({ env: 'e', explainedBy: 'rendered-up-to-date' });
  });

  it('leads a check of a hand-edited rendered file with the environment file to re-render', async () => {
    const repo = scratchRepo({ rendered: true });
    const file = path.join(repo, 'rendered', 'tcm-migration', 'clusters', 'cls-ne1cw84b', 'istio-operator.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('meshID: mesh1', 'meshID: mesh2'));
    const { status: code, stderr } = await runMain(['check'], repo);
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.startsWith('rendered/'));
    expect(lines[0]).toMatch(
      /^rendered\/tcm-migration\/clusters\/cls-ne1cw84b\/istio-operator\.yaml:\d+: error rendered-up-to-date: differs from what environments\/tcm-migration\/mesh\.yaml renders to \(edited by hand, or not re-rendered\); run `meshops render --env tcm-migration` and commit the result$/,
    );
    expect(lines[1]).toMatch(/^rendered\/tcm-migration\/clusters\/cls-ne1cw84b\/istio-operator\.yaml:\d+: error mesh-id-match: /);
  });
});
