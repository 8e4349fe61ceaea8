import { describe } from 'vitest';
import { inputClusterNameUnique } from '../../policies/input-cluster-name-unique.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-cluster-name-unique', () => {
  checkInputRuleExamples(inputClusterNameUnique);
});
