import { describe } from 'vitest';
import { inputPodSubnetOverlap } from '../../policies/input-pod-subnet-overlap.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-pod-subnet-overlap', () => {
  checkInputRuleExamples(inputPodSubnetOverlap);
});
