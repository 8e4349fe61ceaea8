import { atLeast } from '../generator/istio/version.js';
import type { InputRule } from '../generator/model/input-rule.js';

/** Seed 002: ASM's in-place migration starts from Istio 1.10. */
const ASM_MIGRATES_SINCE: [number, number] = [1, 10];

export const inputAsmIstioVersion: InputRule = {
  kind: 'input',
  id: 'input-asm-istio-version',
  description: 'An ASM migration starts from Istio 1.10 or later.',
  severity: 'error',
  docs: {
    rationale: 'ASM migrates an Istio of 1.10 or later in place (seed 002); an older Istio has to be upgraded first.',
    bad: `apiVersion: meshops.dev/v1alpha1
kind: MeshEnvironment
metadata: {name: demo}
spec:
  meshID: mesh1
  istio: {version: 1.9.5}
  clusters:
  - {name: c1, role: primary, network: main}
  migration: {asm: {desiredState: Init}}`,
    good: `apiVersion: meshops.dev/v1alpha1
kind: MeshEnvironment
metadata: {name: demo}
spec:
  meshID: mesh1
  istio: {version: 1.24.0}
  clusters:
  - {name: c1, role: primary, network: main}
  migration: {asm: {desiredState: Init}}`,
  },
  check({ env, report }) {
    if (env.spec.migration?.asm && !atLeast(env.spec.istio.version, ASM_MIGRATES_SINCE)) {
      report(['spec', 'istio', 'version'], `ASM migrates Istio 1.10 or later in place; upgrade Istio ${env.spec.istio.version} before migrating (seed 002)`);
    }
  },
};
