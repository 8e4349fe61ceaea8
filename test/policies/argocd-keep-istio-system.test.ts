import { describe, expect, it } from 'vitest';
import { helmEnvironment } from '../environments.js';
import { mutate, renderFiles } from '../helpers.js';
import { validateGeneric } from './trees.js';

describe('argocd-keep-istio-system', () => {
  const clean = renderFiles(helmEnvironment());
  const firing = (files: Map<string, string>) => validateGeneric('prod', files);

  it('finds nothing in a rendered Argo CD delivery', () => {
    expect(firing(clean)).toEqual([]);
  });

  it('reports istio-system without Delete=false, and nothing else, at its annotations', () => {
    const files = mutate(clean, 'clusters/c1/namespace.yaml', '    argocd.argoproj.io/sync-options: Delete=false\n', '    example.com/owner: mesh\n');
    const findings = firing(files);
    const line = files.get('clusters/c1/namespace.yaml')!.split('\n').findIndex((l) => l.trimStart().startsWith('annotations:')) + 1;
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'argocd-keep-istio-system',
        file: 'rendered/prod/clusters/c1/namespace.yaml',
        line,
        cluster: 'c1',
        message: 'Namespace istio-system of cluster "c1" lacks argocd.argoproj.io/sync-options: Delete=false: `argocd app delete` (cascade by default) would delete it and everything in it',
      }),
    ]);
  });

  it('keeps an option list with Delete=false among others, and checks nothing without Argo CD Applications', () => {
    const files = mutate(clean, 'clusters/c1/namespace.yaml', 'argocd.argoproj.io/sync-options: Delete=false', 'argocd.argoproj.io/sync-options: ServerSideApply=true, Delete=false');
    expect(firing(files)).toEqual([]);
    const env = helmEnvironment();
    delete env.spec.argocd;
    env.spec.istio.install = 'istioctl';
    const bare = renderFiles(env);
    expect(bare.get('clusters/c1/namespace.yaml')).not.toContain('Delete=false');
    expect(firing(bare).filter((f) => f.rule === 'argocd-keep-istio-system')).toEqual([]);
  });
});
