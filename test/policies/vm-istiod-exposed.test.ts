import { describe, expect, it } from 'vitest';
import { exposeIstiod as exposeIstiodPolicy } from '../../policies/expose-istiod.js';
import { vmIstiodExposed } from '../../policies/vm-istiod-exposed.js';
import { mutate, renderFiles, validateFiles, vmEnvironment } from '../helpers.js';
import { check, exposeIstiod, fileOf, istioSystem, lineOf, seedPrimary, seedRemote } from './trees.js';

const workloadGroup = { apiVersion: 'networking.istio.io/v1beta1', kind: 'WorkloadGroup', metadata: { name: 'demo', namespace: 'vm' }, spec: { template: { serviceAccount: 'vm' } } };

/** Seed 004 by hand: no meshops annotation, so only the WorkloadGroup says istiod must be exposed. */
function primaryWithVm(exposed: boolean): Record<string, Record<string, object[]>> {
  return {
    cluster1: {
      'vm-cluster.yaml': [seedPrimary({ name: 'cluster1', network: 'kube-network' })],
      ...(exposed ? { 'expose-istiod.yaml': exposeIstiod() } : {}),
      'workloadgroup.yaml': [workloadGroup],
    },
  };
}

/** A VM joining through remote cluster2, whose primary is cluster1. */
function remoteWithVm(exposed: boolean, controlPlane = 'cluster1'): Record<string, Record<string, object[]>> {
  return {
    cluster1: { 'primary.yaml': [seedPrimary({ name: 'cluster1', network: 'kube-network' })], ...(exposed ? { 'expose-istiod.yaml': exposeIstiod() } : {}) },
    cluster2: {
      'remote.yaml': [seedRemote({ name: 'cluster2', network: 'kube-network' })],
      'namespace.yaml': [istioSystem('kube-network', controlPlane)],
      'workloadgroup.yaml': [workloadGroup],
    },
  };
}

describe('vm-istiod-exposed', () => {
  it('passes when the VM cluster exposes istiod through its east-west gateway', () => {
    expect(check(vmIstiodExposed, primaryWithVm(true))).toEqual([]);
  });

  it('reports a WorkloadGroup whose primary does not expose istiod', () => {
    const tree = primaryWithVm(false);
    expect(check(vmIstiodExposed, tree)).toEqual([
      expect.objectContaining({
        rule: 'vm-istiod-exposed',
        file: fileOf('clusters/cluster1/workloadgroup.yaml'),
        line: lineOf(tree, 'clusters/cluster1/workloadgroup.yaml', 'name: demo'),
        message: expect.stringContaining('WorkloadGroup vm/demo joins the istiod of "cluster1", which does not expose it'),
      }),
    ]);
  });

  it('a Gateway that does not pass 15012 through does not expose istiod', () => {
    const tree = primaryWithVm(true);
    (tree.cluster1!['expose-istiod.yaml']![0] as any).spec.servers[0].tls.mode = 'SIMPLE';
    expect(check(vmIstiodExposed, tree)).toHaveLength(1);
  });

  it('a VM of a remote cluster joins its primary, which expose-istiod checks as the primary of a remote', () => {
    expect(check(vmIstiodExposed, remoteWithVm(true))).toEqual([]);
    expect(check(vmIstiodExposed, remoteWithVm(false))).toEqual([]);
    expect(check(exposeIstiodPolicy, remoteWithVm(false)).length).toBeGreaterThan(0);
  });

  it('reports a VM of a remote that no primary serves', () => {
    expect(check(vmIstiodExposed, remoteWithVm(true, 'elsewhere'))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('is in remote cluster "cluster2", which no primary of this environment serves') }),
    ]);
  });

  it('leaves primaries that expose-istiod already checks to it: one defect, one finding', () => {
    const tree = primaryWithVm(false);
    (tree.cluster1!['vm-cluster.yaml']![0] as any).metadata = { annotations: { 'meshops.dev/istiod-address': '10.0.250.58' } };
    expect(check(vmIstiodExposed, tree)).toEqual([]);
    expect(check(exposeIstiodPolicy, tree).length).toBeGreaterThan(0);
  });

  it('mutation: a rendered VM environment, as a tree meshops did not write, whose istiod-gateway drops 15012 fires exactly this rule', () => {
    const files = renderFiles(vmEnvironment());
    expect(validateFiles('vm-mesh', files)).toEqual([]);
    // Without meshops' istiod-address annotation only the WorkloadGroup says istiod must be exposed.
    const handWritten = mutate(files, 'clusters/cluster1/istio-operator.yaml', '  annotations:\n    meshops.dev/istiod-address: 172.16.0.250\n', '');
    expect(validateFiles('vm-mesh', handWritten)).toEqual([]);
    const broken = mutate(handWritten, 'clusters/cluster1/gateway.yaml', 'number: 15012', 'number: 15013');
    expect(validateFiles('vm-mesh', broken)).toEqual([
      expect.objectContaining({ rule: 'vm-istiod-exposed', file: 'rendered/vm-mesh/clusters/cluster1/workloadgroup.yaml', cluster: 'cluster1' }),
    ]);
  });
});
