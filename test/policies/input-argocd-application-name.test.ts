import { describe } from 'vitest';
import { inputArgocdApplicationName } from '../../policies/input-argocd-application-name.js';
import { checkInputRuleExamples } from './input-examples.js';

describe('input-argocd-application-name', () => {
  checkInputRuleExamples(inputArgocdApplicationName);
});
