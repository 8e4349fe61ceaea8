import { describe } from 'vitest';
import { inputAsmFinished } from '../../policies/input-asm-finished.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-asm-finished', () => {
  checkInputRuleExamples(inputAsmFinished);
});
