import { describe } from 'vitest';
import { inputAsmIstioVersion } from '../../policies/input-asm-istio-version.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-asm-istio-version', () => {
  checkInputRuleExamples(inputAsmIstioVersion);
});
