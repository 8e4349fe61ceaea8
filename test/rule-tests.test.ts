/** One test file per rule (issue 9): test/policies/<id>.test.ts for every rule of the registry, input rules and policies alike. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { inputRules, policies } from '../policies/index.js';
import { REPO_ROOT } from './helpers.js';

it('every registered rule has its own test file, test/policies/<id>.test.ts', () => {
  const files = new Set(readdirSync(path.join(REPO_ROOT, 'test', 'policies')));
  const ids = [...inputRules, ...policies].map((r) => r.id);
  expect(ids.length).toBeGreaterThan(50);
  expect(ids.filter((id) => !files.has(`${id}.test.ts`))).toEqual([]);
});
