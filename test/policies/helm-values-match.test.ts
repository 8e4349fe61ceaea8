import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Finding } from '../../generator/findings.js';
import { helmValuesMatch } from '../../policies/helm-values-match.js';
import { helmMultiNetwork } from '../environments.js';
import { baseEnvironment, mutate, renderFiles, validateFiles } from '../helpers.js';

/** 1-based line of the first line containing `needle`. */
function lineContaining(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`no line contains ${JSON.stringify(needle)}`);
  return index + 1;
}

const key = (f: Finding) => `${f.rule}|${f.file}|${f.line}|${f.message}`;
/** Findings a mutation adds to what the unmutated tree already reports. */
function added(env: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Finding[] {
  const known = new Set(validateFiles(env, before).map(key));
  return validateFiles(env, after).filter((f) => !known.has(key(f)));
}

describe('helm-values-match', () => {
  const files = renderFiles(helmMultiNetwork());
  const app = 'argocd/application-c2.yaml';

  it('finds nothing on what meshops renders', () => {
    expect(validateFiles('mdemo', files).filter((f) => f.rule === helmValuesMatch.id)).toEqual([]);
  });

  it('reports a hand-edited Helm value of the Application at its line, and nothing else', () => {
    const edited = mutate(files, app, 'remotePilotAddress: 10.64.30.72', 'remotePilotAddress: 10.64.30.99');
    const findings = added('mdemo', files, edited);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'helm-values-match',
        severity: 'error',
        file: `rendered/mdemo/${app}`,
        line: lineContaining(edited.get(app)!, 'remotePilotAddress:'),
        cluster: 'c2',
      }),
    ]);
    expect(findings[0]!.message).toBe(
      `Application "mdemo.c2" installs the istiod chart with global.remotePilotAddress "10.64.30.99", but the IstioOperator of cluster "c2" ` +
        `(rendered/mdemo/clusters/c2/istio-operator.yaml:${lineContaining(files.get('clusters/c2/istio-operator.yaml')!, 'remotePilotAddress:')}) says "10.64.30.72": ` +
        'Argo CD and istioctl would install different meshes; change the environment and re-render',
    );
  });

  it('reports each of meshID, clusterName and network, and the east-west gateway\'s network', () => {
    // The gateway charts have an Application of their own (<env>.<cluster>.gateways).
    for (const [from, to, field, file] of [
      ['meshID: mdemo-mesh', 'meshID: other-mesh', 'global.meshID', app],
      ['clusterName: c2', 'clusterName: c9', 'global.multiCluster.clusterName', app],
      ['network: network-c2', 'network: network-c9', 'global.network', app],
      ['networkGateway: network-c2', 'networkGateway: network-c9', 'networkGateway', 'argocd/application-c2.gateways.yaml'],
    ] as const) {
      const findings = added('mdemo', files, mutate(files, file, from, to));
      expect(findings.map((f) => f.rule), field).toEqual(['helm-values-match']);
      expect(findings[0]!.message, field).toContain(` with ${field} "${to.split(': ')[1]}"`);
    }
  });

  it('reports a hand-edited IstioOperator at the Application value it no longer matches', () => {
    const solo = baseEnvironment('solo');
    solo.spec.istio = { version: '1.24.2' };
    solo.spec.clusters = [{ name: 'only', role: 'primary', network: 'n1' }];
    solo.spec.argocd = { repoURL: 'https://git.example.com/mesh.git' };
    const rendered = renderFiles(solo);
    const edited = mutate(rendered, 'clusters/only/istio-operator.yaml', 'meshID: mesh1', 'meshID: mesh2');
    const findings = added('solo', rendered, edited);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'helm-values-match',
        file: 'rendered/solo/argocd/application-only.yaml',
        line: lineContaining(rendered.get('argocd/application-only.yaml')!, 'meshID:'),
      }),
    ]);
    expect(findings[0]!.message).toContain('with global.meshID "mesh1", but the IstioOperator of cluster "only" (rendered/solo/clusters/only/istio-operator.yaml:');
  });

  it('reads hand-written Applications: found by their Git path, values given as a YAML string', () => {
    const handWritten = new Map(files);
    const application = parse(files.get(app)!);
    delete application.metadata.labels;
    const istiod = application.spec.sources.find((s: any) => s.chart === 'istiod');
    istiod.helm.values = stringify({ ...istiod.helm.valuesObject, global: { ...istiod.helm.valuesObject.global, meshID: 'typo-mesh' } });
    delete istiod.helm.valuesObject;
    handWritten.set(app, stringify(application));
    const findings = validateFiles('mdemo', handWritten).filter((f) => f.rule === helmValuesMatch.id);
    expect(findings.map((f) => f.line)).toEqual([lineContaining(handWritten.get(app)!, 'values: |')]);
    expect(findings[0]!.message).toMatch(/^Application "mdemo\.c2" installs the istiod chart with global\.meshID "typo-mesh", but the IstioOperator/);
  });

  it('checks nothing for install: istioctl Applications (they carry no Helm values)', () => {
    const istioctl = helmMultiNetwork('1.18.5');
    istioctl.spec.istio.install = 'istioctl';
    const rendered = renderFiles(istioctl);
    const edited = mutate(rendered, 'clusters/c2/istio-operator.yaml', 'clusterName: c2', 'clusterName: c9');
    expect(validateFiles('mdemo', edited).filter((f) => f.rule === helmValuesMatch.id)).toEqual([]);
  });
});
