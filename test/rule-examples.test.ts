/**
 * Every output policy's documented examples run (ESLint's check-rule-examples): the bad one is a
 * small rendered environment this policy reports, the good one the same environment fixed, which it
 * passes. The example format is test/policies/output-examples.ts; input rules run theirs in
 * test/policies/input-<id>.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { policies } from '../policies/index.js';
import { checkPolicyExamples, parseExample } from './policies/output-examples.js';

describe.each(policies.map((p) => [p.id, p] as const))('%s', (_id, policy) => {
  checkPolicyExamples(policy);
});

const CHARTS = 'https://istio-release.storage.googleapis.com/charts';

describe('the example format', () => {
  it('reads files under their headers, a note after the path, several documents, and a chart\'s output', () => {
    const parsed = parseExample(`# clusters/c1/istio-operator.yaml: the primary
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
# a comment inside the file
metadata: {name: istio}
# clusters/c1/gateway.yaml
kind: Gateway
metadata: {name: a}
---
kind: Gateway
metadata: {name: b}
# argocd/application-c1.yaml (the istiod chart)
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c1, labels: {meshops.dev/cluster: c1}}
spec: {sources: [{repoURL: ${CHARTS}, chart: istiod}, {repoURL: ${CHARTS}, chart: gateway}]}
# helm template argocd/application-c1.yaml sources[0]: istiod
kind: Deployment
metadata: {name: istiod}`);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.tree.clusters.map((c) => [c.name, c.files.map((f) => f.path), c.docs.map((d) => d.name)])).toEqual([
      ['c1', ['rendered/example/clusters/c1/gateway.yaml', 'rendered/example/clusters/c1/istio-operator.yaml'], ['a', 'b', 'istio']],
    ]);
    expect(parsed.tree.shared.map((f) => f.path)).toEqual(['rendered/example/argocd/application-c1.yaml']);
    expect(parsed.tree.charts!.map((r) => [r.source.chart, r.source.cluster, r.docs.map((d) => `${d.kind}/${d.name}`)])).toEqual([['istiod', 'c1', ['Deployment/istiod']]]);
  });

  it.each([
    ['text before the first header', 'kind: IstioOperator\n# clusters/c1/istio-operator.yaml\n', 'line 1: an example starts with a header naming its first file, "# <path relative to the rendered environment>"'],
    ['a comment that names no file', '# the primary\nkind: IstioOperator\n', 'line 1: an example starts with a header'],
    ['nothing at all', '\n', 'an example holds at least one file'],
    ['invalid YAML', '# clusters/c1/istio-operator.yaml\nkind: IstioOperator\nspec: {values: [}\n', 'line 3: rendered/example/clusters/c1/istio-operator.yaml: not valid YAML: missed comma'],
    ['a file twice', '# clusters/c1/a.yaml\nkind: A\n# clusters/c1/a.yaml\nkind: B\n', 'line 3: clusters/c1/a.yaml appears twice'],
    ['a path leaving the environment', '# clusters/../../a.yaml\nkind: A\n', 'line 1: clusters/../../a.yaml: a path inside the rendered environment has no ".."'],
    ['chart output of no Helm source', '# argocd/application-c1.yaml\nkind: Application\n# helm template argocd/application-c1.yaml\nkind: Deployment\n', 'line 3: argocd/application-c1.yaml has no Helm source (a source with chart and repoURL)'],
    [
      'chart output of one of several sources without its index',
      `# argocd/application-c1.yaml\napiVersion: argoproj.io/v1alpha1\nkind: Application\nspec: {sources: [{repoURL: ${CHARTS}, chart: istiod}, {repoURL: ${CHARTS}, chart: gateway}]}\n# helm template argocd/application-c1.yaml\nkind: Deployment\n`,
      'line 5: argocd/application-c1.yaml has 2 Helm sources; name one, "# helm template argocd/application-c1.yaml sources[<i>]"',
    ],
  ])('rejects %s with a message saying what is wrong', (_what, example, message) => {
    const parsed = parseExample(example);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain(message);
  });
});
