import { describe, expect, it } from 'vitest';
import { helmEnvironment } from '../environments.js';
import { mutate, renderFiles } from '../helpers.js';
import { validateGeneric } from './trees.js';

describe('argocd-sync-order: each defect seeded into a rendered Helm delivery fires exactly this rule, at its line', () => {
  const clean = renderFiles(helmEnvironment());
  const withRemoteSecrets = () => {
    const env = helmEnvironment();
    env.spec.remoteSecrets = { store: { name: 'vault' } };
    return renderFiles(env);
  };
  const firing = (files: Map<string, string>) => validateGeneric('prod', files);
  const lineOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.trimStart().startsWith(start)) + 1;

  it('the rendered environment checks clean', () => {
    expect(firing(clean)).toEqual([]);
    expect(firing(withRemoteSecrets())).toEqual([]);
  });

  it.each([
    {
      defect: "the remote's annotated istio-system in the same wave as its secret on the primary",
      seed: () => mutate(withRemoteSecrets(), 'argocd/application-c2.yaml', 'sync-wave: "0"', 'sync-wave: "1"'),
      at: { file: 'argocd/application-c1.yaml', line: 'argocd.argoproj.io/sync-wave' },
    },
    {
      defect: "a gateway chart's Application in its istiod's wave",
      seed: () => mutate(clean, 'argocd/application-c1.gateways.yaml', 'sync-wave: "2"', 'sync-wave: "1"'),
      at: { file: 'argocd/application-c1.gateways.yaml', line: 'argocd.argoproj.io/sync-wave' },
    },
    {
      defect: 'argocd-cm without the Application health check',
      seed: () => mutate(clean, 'argocd/settings/argocd-cm.yaml', '  resource.customizations.health.argoproj.io_Application:', '  resource.customizations.health.argoproj.io_Other:'),
      at: { file: 'argocd/settings/argocd-cm.yaml', line: 'data:' },
    },
  ])('$defect', ({ seed, at }) => {
    const files = seed();
    const findings = firing(files);
    expect([...new Set(findings.map((f) => f.rule))]).toEqual(['argocd-sync-order']);
    expect(findings.map((f) => [f.file, f.line])).toContainEqual([`rendered/prod/${at.file}`, lineOf(files.get(at.file)!, at.line)]);
  });
});
