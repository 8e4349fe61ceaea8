import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputAsmFinished: InputRule = {
  kind: 'input',
  id: 'input-asm-finished',
  description: "An ASM migration is `Finished` only once every egress entry has `asmWeight: 100`.",
  severity: 'error',
  docs: {
    rationale: "Finished declares that Istio's gateways and sidecars carry no traffic any more (seed 002); an egress entry still sending a share through Istio's egress gateway contradicts it.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  migration:
    asm:
      desiredState: Finished
      egress: [{host: edition.cnn.com, port: 80, asmWeight: 50}]`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  migration:
    asm:
      desiredState: Finished
      egress: [{host: edition.cnn.com, port: 80, asmWeight: 100}]`),
  },
  check({ env, report }) {
    const asm = env.spec.migration?.asm;
    const stillOnIstio = asm?.egress.filter((e) => e.asmWeight < 100) ?? [];
    if (asm?.desiredState === 'Finished' && stillOnIstio.length > 0) {
      report(
        ['spec', 'migration', 'asm', 'desiredState'],
        `Finished while ${stillOnIstio.map((e) => `${e.host}:${e.port} (asmWeight ${e.asmWeight})`).join(', ')} still sends traffic through Istio's egress gateway; ` +
          "shift every egress entry to asmWeight 100 first: Istio's gateways must carry no traffic before Finished (seed 002)",
      );
    }
  },
};
