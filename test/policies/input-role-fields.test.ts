import { describe } from 'vitest';
import { inputRoleFields } from '../../policies/input-role-fields.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-role-fields', () => {
  checkInputRuleExamples(inputRoleFields);
});
