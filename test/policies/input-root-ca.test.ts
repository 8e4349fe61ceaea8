import { describe } from 'vitest';
import { inputRootCa } from '../../policies/input-root-ca.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-root-ca', () => {
  checkInputRuleExamples(inputRootCa);
});
