import { describe, expect, it } from 'vitest';
import { istioHub } from '../../policies/istio-hub.js';
import { check, checkAll, fileOf, lineOf, seed000 } from './trees.js';

const PRIMARY = 'clusters/cls-dxgdg1rl/master-cluster.yaml';

function withHub(tag: string, hub: string) {
  const tree = seed000();
  Object.assign(tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec, { tag, hub });
  return tree;
}

describe('istio-hub', () => {
  it('accepts an image repository, with a port, and a tag in the hub before 1.24', () => {
    expect(check(istioHub, withHub('1.24.2', 'registry.example.com/istio'))).toEqual([]);
    expect(check(istioHub, withHub('1.24.2', 'registry.example.com:5000/mirror/istio'))).toEqual([]);
    expect(check(istioHub, withHub('1.22.3', 'docker.io/istio:1.22.3'))).toEqual([]);
  });

  it.each([
    ['1.18.5', 'https://registry.example.com/istio'],
    ['1.30.3', 'registry.example.com/Istio'],
    ['1.24.2', 'docker.io/istio:1.24.2'],
  ])('reports (Istio %s) hub %s, and nothing else, at spec.hub', (tag, hub) => {
    const tree = withHub(tag, hub);
    expect(checkAll(tree)).toEqual([
      expect.objectContaining({
        rule: 'istio-hub',
        severity: 'error',
        file: fileOf(PRIMARY),
        line: lineOf(tree, PRIMARY, 'hub:'),
        message: `spec.hub "${hub}" is not an image repository as istioctl ${tag.split('.').slice(0, 2).join('.')} reads it (e.g. registry.example.com/istio: no scheme, a lower-case path); it refuses it`,
      }),
    ]);
  });
});
