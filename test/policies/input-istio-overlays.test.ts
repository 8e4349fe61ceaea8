import { describe } from 'vitest';
import { inputIstioOverlays } from '../../policies/input-istio-overlays.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-istio-overlays', () => {
  checkInputRuleExamples(inputIstioOverlays);
});
