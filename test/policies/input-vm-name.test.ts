import { describe } from 'vitest';
import { inputVmName } from '../../policies/input-vm-name.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-vm-name', () => {
  checkInputRuleExamples(inputVmName);
});
