import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../generator/istio/providers.js';
import { eastWestServiceAnnotations } from '../../generator/render/providers.js';
import { eastWestGatewayInternal, internalAnnotation } from '../../policies/east-west-gateway-internal.js';
import { baseEnvironment, model, renderAndValidate } from '../helpers.js';
import { check, fileOf, lineOf, seed000 } from './trees.js';

/** The loadBalancer fields that make each provider's preset internal (generator/render/providers.ts). */
const INTERNAL_PRESET: Record<string, object | undefined> = {
  generic: undefined,
  tke: { existingId: 'lb-lujb6a5a' },
  ack: {},
  metallb: { addressPool: 'first-pool' },
  aws: {},
  gcp: {},
  azure: {},
};

const annotationsOf = (provider: string, loadBalancer?: object) => {
  const env = baseEnvironment();
  Object.assign(env.spec.clusters[0], { provider, eastWestGateway: { address: '10.0.0.10', ...(loadBalancer ? { loadBalancer } : {}) } });
  return eastWestServiceAnnotations(model(env).spec.clusters[0]!);
};

describe('east-west-gateway-internal', () => {
  it('recognizes the internal preset of every provider meshops knows (generator and validator agree)', () => {
    for (const provider of PROVIDERS) {
      const preset = INTERNAL_PRESET[provider];
      if (preset === undefined) continue;
      expect(internalAnnotation(annotationsOf(provider, preset)), provider).toBeDefined();
    }
    expect(internalAnnotation(annotationsOf('tke', { subnetId: 'subnet-oz2k2du5' }))).toBe('service.kubernetes.io/qcloud-loadbalancer-internal-subnetid');
  });

  it('accepts the hand-written TKE gateway of seed 000 and a NodePort gateway', () => {
    expect(check(eastWestGatewayInternal, seed000())).toEqual([]);
    const tree = seed000();
    const k8s = tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.components.ingressGateways[1].k8s;
    k8s.serviceAnnotations = {};
    k8s.service.type = 'NodePort';
    expect(check(eastWestGatewayInternal, tree)).toEqual([]);
  });

  it('warns when nothing makes the load balancer internal, at the annotations', () => {
    const tree = seed000();
    const file = 'clusters/cls-dxgdg1rl/master-cluster.yaml';
    tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.components.ingressGateways[1].k8s.serviceAnnotations = {
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    };
    const findings = check(eastWestGatewayInternal, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'east-west-gateway-internal', severity: 'warning', file: fileOf(file), line: lineOf(tree, file, 'serviceAnnotations:') });
    expect(findings[0]!.message).toContain('no annotation makes the east-west gateway\'s load balancer internal');
  });

  it('by design warns on meshops output that nothing makes internal: provider generic, or internal: false', () => {
    const warned = (cluster: object) => {
      const env = baseEnvironment();
      Object.assign(env.spec.clusters[0], cluster);
      return renderAndValidate(env).filter((f) => f.rule === 'east-west-gateway-internal');
    };
    expect(warned({})).toHaveLength(1);
    expect(warned({ provider: 'aws', eastWestGateway: { address: '10.0.0.10', loadBalancer: { internal: false } } })).toHaveLength(1);
    expect(warned({ eastWestGateway: { address: '10.0.0.10', annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } } })).toEqual([]);
    expect(warned({ provider: 'aws' })).toEqual([]);
  });
});
