import { describe, expect, it } from 'vitest';
import { tcmEnvironment } from '../environments.js';
import { renderFiles } from '../helpers.js';
import { validateGeneric } from './trees.js';

describe('tcm-version-match', () => {
  it('finds nothing when the mesh runs the version TCM runs', () => {
    expect(validateGeneric('tcm', renderFiles(tcmEnvironment({})))).toEqual([]);
  });

  it('warns (and does not fail) on every cluster when the mesh runs another version than TCM, at spec.tag, and can be turned off', () => {
    const files = renderFiles(tcmEnvironment({ sourceVersion: '1.18.3' }));
    const findings = validateGeneric('tcm', files);
    expect(findings.map((f) => [f.rule, f.severity, f.cluster, f.file])).toEqual([
      ['tcm-version-match', 'warning', 'primary1', 'rendered/tcm/clusters/primary1/istio-operator.yaml'],
      ['tcm-version-match', 'warning', 'remote1', 'rendered/tcm/clusters/remote1/istio-operator.yaml'],
    ]);
    expect(files.get('clusters/primary1/istio-operator.yaml')!.split('\n')[findings[0]!.line! - 1]).toBe('  tag: 1.18.5');
    expect(findings[0]!.message).toBe('cluster "primary1" runs Istio 1.18.5 but TCM runs 1.18.3: the seeds advise the same version while the two meshes coexist (set istio.version to 1.18.3)');
    expect(validateGeneric('tcm', files, { 'tcm-version-match': 'off' })).toEqual([]);
  });
});
