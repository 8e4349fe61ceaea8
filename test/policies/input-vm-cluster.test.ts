import { describe } from 'vitest';
import { inputVmCluster } from '../../policies/input-vm-cluster.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-vm-cluster', () => {
  checkInputRuleExamples(inputVmCluster);
});
