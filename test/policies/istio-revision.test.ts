import { describe, expect, it } from 'vitest';
import { istioRevision } from '../../policies/istio-revision.js';
import { check, checkAll, fileOf, lineOf, seed000 } from './trees.js';

const REMOTE = 'clusters/cls-ne1cw84b/member-cluster-1.yaml';

describe('istio-revision', () => {
  it('accepts no revision and a DNS-1123 label', () => {
    expect(check(istioRevision, seed000())).toEqual([]);
    const tree = seed000();
    tree['cls-ne1cw84b']!['member-cluster-1.yaml']![0].spec.revision = '1-18-5';
    expect(check(istioRevision, tree)).toEqual([]);
  });

  // On the remote: on a primary, expose-istiod would also look for the revision's istiod Service.
  it.each(['1.18.5', 'canary_1', 'canary-'])('reports revision %s, and nothing else, at spec.revision', (revision) => {
    const tree = seed000();
    tree['cls-ne1cw84b']!['member-cluster-1.yaml']![0].spec.revision = revision;
    expect(checkAll(tree)).toEqual([
      expect.objectContaining({
        rule: 'istio-revision',
        severity: 'error',
        file: fileOf(REMOTE),
        line: lineOf(tree, REMOTE, 'revision:'),
        message: `spec.revision "${revision}" is not a DNS-1123 label (letters, digits and "-", at most 63 characters); istioctl refuses it`,
      }),
    ]);
  });
});
