import { describe } from 'vitest';
import { inputAsmEgress } from '../../policies/input-asm-egress.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-asm-egress', () => {
  checkInputRuleExamples(inputAsmEgress);
});
