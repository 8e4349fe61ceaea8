import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputAsmDestination: InputRule = {
  kind: 'input',
  id: 'input-asm-destination',
  description: 'With `argocd`, an ASM migration names its `destination`.',
  severity: 'error',
  docs: {
    rationale: "With argocd, an Application syncs rendered/<env>/asm/ to the ASM instance, whose API server only the environment can name.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  migration: {asm: {desiredState: Init}}
  argocd: {repoURL: https://git.example.com/mesh.git}`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  migration: {asm: {desiredState: Init, destination: asm-hz-prod}}
  argocd: {repoURL: https://git.example.com/mesh.git}`),
  },
  check({ env, report }) {
    const asm = env.spec.migration?.asm;
    if (asm && env.spec.argocd && asm.destination === undefined) {
      report(['spec', 'migration', 'asm'], "destination is required with argocd: the Application syncing rendered/<env>/asm/ needs the ASM instance's API server");
    }
  },
};
