import { describe } from 'vitest';
import { inputArgocdDestinations } from '../../policies/input-argocd-destinations.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-argocd-destinations', () => {
  checkInputRuleExamples(inputArgocdDestinations);
});
