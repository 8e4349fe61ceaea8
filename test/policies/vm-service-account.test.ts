import { describe, expect, it } from 'vitest';
import { vmServiceAccount } from '../../policies/vm-service-account.js';
import { mutate, renderFiles, validateFiles, vmEnvironment } from '../helpers.js';
import { check, exposeIstiod, fileOf, istioSystem, lineOf, seedPrimary } from './trees.js';

const workloadGroup = (serviceAccount?: string) => ({
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'WorkloadGroup',
  metadata: { name: 'demo', namespace: 'vm' },
  spec: { metadata: { labels: { app: 'demo' } }, template: serviceAccount ? { serviceAccount } : {} },
});
const serviceAccount = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });

/** Seed 004 by hand: cluster1 with the VM's namespace, service account and WorkloadGroup. */
function seed004(accounts: object[], group = workloadGroup('vm')) {
  return {
    cluster1: {
      'vm-cluster.yaml': [seedPrimary({ name: 'cluster1', network: 'kube-network' })],
      'expose-istiod.yaml': exposeIstiod(),
      'namespace.yaml': [istioSystem('kube-network'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'vm' } }],
      'vm.yaml': [...accounts, group],
    },
  };
}

describe('vm-service-account', () => {
  it('passes when the service account exists in the WorkloadGroup namespace', () => {
    expect(check(vmServiceAccount, seed004([serviceAccount('vm', 'vm')]))).toEqual([]);
  });

  it('reports a missing service account at the WorkloadGroup field', () => {
    const tree = seed004([]);
    expect(check(vmServiceAccount, tree)).toEqual([
      expect.objectContaining({
        rule: 'vm-service-account',
        file: fileOf('clusters/cluster1/vm.yaml'),
        line: lineOf(tree, 'clusters/cluster1/vm.yaml', 'serviceAccount: vm'),
        cluster: 'cluster1',
        message: expect.stringContaining('cluster "cluster1" has no ServiceAccount vm in namespace vm'),
      }),
    ]);
  });

  it('a service account of another namespace, or of another cluster, does not count', () => {
    expect(check(vmServiceAccount, seed004([serviceAccount('vm', 'default')]))).toHaveLength(1);
    const tree: Record<string, any> = seed004([]);
    tree.cluster2 = { 'sa.yaml': [serviceAccount('vm', 'vm')] };
    expect(check(vmServiceAccount, tree)).toHaveLength(1);
  });

  it('needs no object for the default service account, which Kubernetes creates', () => {
    expect(check(vmServiceAccount, seed004([], workloadGroup()))).toEqual([]);
    expect(check(vmServiceAccount, seed004([], workloadGroup('default')))).toEqual([]);
  });

  it('mutation: a rendered VM environment whose ServiceAccount is renamed fires exactly this rule', () => {
    const files = renderFiles(vmEnvironment({ vmNetwork: 'vm-network' }));
    expect(validateFiles('vm-mesh', files)).toEqual([]);
    const broken = mutate(files, 'clusters/cluster1/serviceaccount.yaml', '  name: vm\n', '  name: vm-renamed\n');
    expect(validateFiles('vm-mesh', broken)).toEqual([
      expect.objectContaining({ rule: 'vm-service-account', file: 'rendered/vm-mesh/clusters/cluster1/workloadgroup.yaml', cluster: 'cluster1' }),
    ]);
  });
});
