import { describe } from 'vitest';
import { inputArgocdApplicationSet } from '../../policies/input-argocd-application-set.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-argocd-application-set', () => {
  checkInputRuleExamples(inputArgocdApplicationSet);
});
