import { describe } from 'vitest';
import { inputLoadBalancerFields } from '../../policies/input-load-balancer-fields.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-load-balancer-fields', () => {
  checkInputRuleExamples(inputLoadBalancerFields);
});
