import { describe } from 'vitest';
import { inputIstioVersion } from '../../policies/input-istio-version.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-istio-version', () => {
  checkInputRuleExamples(inputIstioVersion);
});
