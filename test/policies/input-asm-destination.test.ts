import { describe } from 'vitest';
import { inputAsmDestination } from '../../policies/input-asm-destination.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-asm-destination', () => {
  checkInputRuleExamples(inputAsmDestination);
});
