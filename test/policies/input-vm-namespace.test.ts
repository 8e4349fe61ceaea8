import { describe } from 'vitest';
import { inputVmNamespace } from '../../policies/input-vm-namespace.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-vm-namespace', () => {
  checkInputRuleExamples(inputVmNamespace);
});
