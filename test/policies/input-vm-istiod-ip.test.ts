import { describe } from 'vitest';
import { inputVmIstiodIp } from '../../policies/input-vm-istiod-ip.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-vm-istiod-ip', () => {
  checkInputRuleExamples(inputVmIstiodIp);
});
