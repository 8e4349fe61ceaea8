import { describe, expect, it } from 'vitest';
import { tcmEnvironment } from '../environments.js';
import { renderFiles } from '../helpers.js';
import { validateGeneric } from './trees.js';

describe('tcm-clusters-disjoint', () => {
  it('finds nothing when the new mesh is built in other clusters than TCM\'s', () => {
    expect(validateGeneric('tcm', renderFiles(tcmEnvironment({})))).toEqual([]);
  });

  it('reports a cluster of the mesh that is still in the TCM mesh, and nothing else, at its clusterName', () => {
    const files = renderFiles(tcmEnvironment({ sourceClusters: ['cls-old1', 'remote1'] }));
    const findings = validateGeneric('tcm', files);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'tcm-clusters-disjoint',
        severity: 'error',
        cluster: 'remote1',
        file: 'rendered/tcm/clusters/remote1/istio-operator.yaml',
        message: expect.stringMatching(/^cluster "remote1" is still in the TCM mesh \(migration\.tcm\.sourceClusters\): TCM and this mesh have different root CAs/),
      }),
    ]);
    expect(files.get('clusters/remote1/istio-operator.yaml')!.split('\n')[findings[0]!.line! - 1]).toBe('        clusterName: remote1');
  });
});
