import { describe } from 'vitest';
import { inputRemoteSecretKey } from '../../policies/input-remote-secret-key.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-remote-secret-key', () => {
  checkInputRuleExamples(inputRemoteSecretKey);
});
