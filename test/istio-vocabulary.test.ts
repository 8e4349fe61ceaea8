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

  it("renders every provider's preset from the one annotation table, and every preset annotation counts as internal", () => {
    for (const provider of PROVIDERS) {
      const lb = { internal: true, ...Object.fromEntries(loadBalancerFieldsOf(provider).map((f) => [f, `${f}-value`])) };
      for (const key of Object.keys(loadBalancerPreset(provider, lb))) {
        expect(LOAD_BALANCER_ANNOTATIONS.some((a) => a.provider === provider && a.key === key), `${provider} ${key}`).toBe(true);
      }
    }
    expect(loadBalancerPreset('aws', { internal: false })).toEqual({});
    expect(loadBalancerFieldsOf('tke')).toEqual(['existingId', 'subnetId']);
  });
});
