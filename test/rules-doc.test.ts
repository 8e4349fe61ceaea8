/** policies/README.md and README.md's rule tables are generated from the registry; a stale copy fails here. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputRules, policies } from '../policies/index.js';
import { README, readmeWithRuleTables, RULES_DOC, rulesDoc } from '../scripts/rules-doc.js';
import { REPO_ROOT } from './helpers.js';

describe('policies/README.md', () => {
  it('is what scripts/rules-doc.ts renders from the rules (run `npm run rules-doc` after changing a rule)', () => {
    expect(readFileSync(path.join(REPO_ROOT, RULES_DOC), 'utf8')).toBe(rulesDoc());
  });

  it('documents every rule with its own module, a rationale and both examples', () => {
    for (const p of [...policies, ...inputRules]) {
      expect(existsSync(path.join(REPO_ROOT, 'policies', `${p.id}.ts`)), p.id).toBe(true);
      expect(p.docs.rationale.length, p.id).toBeGreaterThan(80);
      expect(p.docs.bad, p.id).not.toBe(p.docs.good);
    }
    const ids = [...policies, ...inputRules].map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every input rule a test file of its own, which runs its examples', () => {
    for (const r of inputRules) {
      const file = path.join(REPO_ROOT, 'test', 'policies', `${r.id}.test.ts`);
      expect(existsSync(file), r.id).toBe(true);
      expect(readFileSync(file, 'utf8'), r.id).toContain('checkInputRuleExamples(');
    }
  });
});

describe('README.md', () => {
  it("has the rule tables scripts/rules-doc.ts renders from the registry (run `npm run rules-doc`)", () => {
    const readme = readFileSync(path.join(REPO_ROOT, README), 'utf8');
    expect(readme).toBe(readmeWithRuleTables(readme));
  });
});
