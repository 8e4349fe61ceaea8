import { describe } from 'vitest';
import { inputEastWestGateway } from '../../policies/input-east-west-gateway.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-east-west-gateway', () => {
  checkInputRuleExamples(inputEastWestGateway);
});
