/** README.md's input reference is generated from the model's JSON Schema; a stale copy fails here. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputReference, readmeWithInputReference } from '../scripts/input-reference.js';
import { REPO_ROOT } from './helpers.js';

describe("README.md's input reference", () => {
  it('is what scripts/input-reference.ts renders from the schema (run it after changing the model)', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(readmeWithInputReference(readme));
    expect(readme).toContain('| `spec.clusters[].eastWestGateway.port` |');
    expect(inputReference().split('\n').length).toBeGreaterThan(40);
  });
});
