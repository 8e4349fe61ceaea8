import { describe } from 'vitest';
import { inputHelmCharts } from '../../policies/input-helm-charts.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-helm-charts', () => {
  checkInputRuleExamples(inputHelmCharts);
});
