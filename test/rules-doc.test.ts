/** policies/README.md is generated from the rules' metadata; a stale copy fails here. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { policies } from '../policies/index.js';
import { RULES_DOC, rulesDoc } from '../scripts/rules-doc.js';
import { REPO_ROOT } from './helpers.js';

describe('policies/README.md', () => {
  it('is what scripts/rules-doc.ts renders from the rules (run `npm run rules-doc` after changing a rule)', () => {
    expect(readFileSync(path.join(REPO_ROOT, RULES_DOC), 'utf8')).toBe(rulesDoc());
  });

  it('documents every rule with its own module, a rationale and both examples', () => {
    for (const p of policies) {
      expect(existsSync(path.join(REPO_ROOT, 'policies', `${p.id}.ts`)), p.id).toBe(true);
      expect(p.docs.rationale.length, p.id).toBeGreaterThan(80);
      expect(p.docs.bad, p.id).not.toBe(p.docs.good);
    }
    expect(new Set(policies.map((p) => p.id)).size).toBe(policies.length);
  });
});
