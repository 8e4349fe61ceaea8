import { describe, expect, it } from 'vitest';
import { istioProfile } from '../../policies/istio-profile.js';
import { check, checkAll, fileOf, lineOf, seed000 } from './trees.js';

const PRIMARY = 'clusters/cls-dxgdg1rl/master-cluster.yaml';

function withProfile(tag: string, profile: string) {
  const tree = seed000();
  Object.assign(tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec, { tag, profile });
  return tree;
}

describe('istio-profile', () => {
  it('accepts a profile the tag\'s release ships, and a profile given as a path', () => {
    expect(check(istioProfile, withProfile('1.22.3', 'stable'))).toEqual([]);
    expect(check(istioProfile, withProfile('1.15.7', 'default'))).toEqual([]);
    expect(check(istioProfile, withProfile('1.15.7', './profiles/custom.yaml'))).toEqual([]);
  });

  // ../shared/istio/1.15/profiles/ has no remote, ambient or stable; 1.21/profiles/ no stable.
  it.each([
    ['1.15.7', 'ambient'],
    ['1.21.6', 'stable'],
    ['1.24.2', 'production'],
  ])('reports (Istio %s) profile %s, and nothing else, at spec.profile', (tag, profile) => {
    const tree = withProfile(tag, profile);
    const findings = checkAll(tree);
    expect(findings).toEqual([expect.objectContaining({ rule: 'istio-profile', severity: 'error', file: fileOf(PRIMARY), line: lineOf(tree, PRIMARY, 'profile:') })]);
    expect(findings[0]!.message).toMatch(new RegExp(`^Istio ${tag.split('.').slice(0, 2).join('\\.')} has no profile "${profile}" \\(it has .*\\); istioctl install fails$`));
  });
});
