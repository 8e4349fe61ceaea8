import { describe } from 'vitest';
import { inputPrimaryPresent } from '../../policies/input-primary-present.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-primary-present', () => {
  checkInputRuleExamples(inputPrimaryPresent);
});
