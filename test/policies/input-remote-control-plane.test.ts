import { describe } from 'vitest';
import { inputRemoteControlPlane } from '../../policies/input-remote-control-plane.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-remote-control-plane', () => {
  checkInputRuleExamples(inputRemoteControlPlane);
});
