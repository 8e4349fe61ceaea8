/**
 * The policy registry. A rule is one module in this folder exporting a Policy; list it here.
 * The engine (generator/validate/engine.ts) runs whatever this list holds.
 */
import type { Policy } from '../generator/validate/policy.js';
import { singleIstioOperator } from './single-istiooperator.js';

export const policies: readonly Policy[] = [singleIstioOperator];
