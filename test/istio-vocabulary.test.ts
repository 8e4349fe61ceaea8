/** generator/istio/ is the one owner of Istio's vocabulary, read by generator and validator alike: a leaf. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOAD_BALANCER_ANNOTATIONS, loadBalancerFieldsOf, loadBalancerPreset, PROVIDERS } from '../generator/istio/providers.js';
import { REPO_ROOT } from './helpers.js';

const DIR = path.join(REPO_ROOT, 'generator', 'istio');

describe('generator/istio', () => {
  it('imports nothing of the project but its own modules', () => {
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
      const specifiers = [...readFileSync(path.join(DIR, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      expect(specifiers.filter((s) => !/^\.\/[\w-]+\.js$/.test(s)), file).toEqual([]);
    }
  });

  it("renders every provider's preset from the one annotation table, and a public load balancer's preset has no annotation that counts as internal", () => {
    const address = { ip: '10.0.0.1', ipv4: '10.0.0.1' };
    for (const provider of PROVIDERS) {
      const lb = { internal: true, ...Object.fromEntries(loadBalancerFieldsOf(provider).map((f) => [f, `${f}-value`])) };
      for (const key of Object.keys(loadBalancerPreset(provider, lb, address))) {
        expect(LOAD_BALANCER_ANNOTATIONS.some((a) => a.provider === provider && a.key === key), `${provider} ${key}`).toBe(true);
      }
      for (const [key, value] of Object.entries(loadBalancerPreset(provider, { internal: false }, address))) {
        const counts = LOAD_BALANCER_ANNOTATIONS.some((a) => a.key === key && a.keepsPrivate && (a.value === undefined || a.value === value));
        expect(counts, `${provider} ${key}: ${value}`).toBe(false);
      }
    }
    expect(loadBalancerPreset('aws', { internal: false })).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    });
    expect(loadBalancerPreset('ack', { internal: false, existingId: 'lb-1' })).toEqual({
      'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners': 'true',
      'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id': 'lb-1',
    });
    expect(loadBalancerPreset('azure', { internal: true }, { ip: 'fd00::1' })).toEqual({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' });
    expect(loadBalancerFieldsOf('tke')).toEqual(['existingId', 'subnetId']);
  });
});
