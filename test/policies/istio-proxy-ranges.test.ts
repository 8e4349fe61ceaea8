import { describe, expect, it } from 'vitest';
import { istioProxyRanges } from '../../policies/istio-proxy-ranges.js';
import { check, checkAll, fileOf, lineOf, seed000 } from './trees.js';

const PRIMARY = 'clusters/cls-dxgdg1rl/master-cluster.yaml';

function withProxy(proxy: Record<string, string>) {
  const tree = seed000();
  tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.values.global.proxy = proxy;
  return tree;
}

describe('istio-proxy-ranges', () => {
  it('accepts "*", CIDR blocks and port numbers', () => {
    expect(check(istioProxyRanges, withProxy({ includeIPRanges: '*', excludeIPRanges: '10.0.0.1/32,169.254.169.254/32', excludeInboundPorts: '15020,9090' }))).toEqual([]);
  });

  it.each([
    ['excludeIPRanges', '10.0.0.1,169.254.169.254/32', 'must be "*" or CIDR blocks (a.b.c.d/n) separated by commas; "10.0.0.1" is not'],
    ['includeIPRanges', '10.0.0.0/8,cluster', 'must be "*" or CIDR blocks (a.b.c.d/n) separated by commas; "cluster" is not'],
    ['excludeInboundPorts', '15020,metrics', 'must be port numbers 0-65535 separated by commas; "metrics" is not'],
  ])('reports %s "%s", and nothing else, at its line', (field, value, says) => {
    const tree = withProxy({ [field]: value });
    expect(checkAll(tree)).toEqual([
      expect.objectContaining({ rule: 'istio-proxy-ranges', severity: 'error', file: fileOf(PRIMARY), line: lineOf(tree, PRIMARY, `${field}:`), message: `values.global.proxy.${field} ${says}, and istioctl refuses it` }),
    ]);
  });
});
