import { EGRESS_GATEWAY_DEFAULT_PORTS, egressGatewayTargetPort } from '../generator/model/migration.js';
import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputAsmEgress: InputRule = {
  kind: 'input',
  id: 'input-asm-egress',
  description: "An ASM migration's egress entries are unique by host and port, and each lands on a container port of Istio's egress gateway of its own.",
  severity: 'error',
  docs: {
    rationale:
      "Each entry becomes a ServiceEntry and routes of its own; a second entry for one host and port would fight over them. Istio's egress gateway runs unprivileged, so a Service port below 1024 listens on the port 8000 higher (80 on 8080): two ports landing on one container port, its default 80 and 443 included, cannot both be served.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  migration:
    asm:
      egress: [{host: edition.cnn.com, port: 8080}]`),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}
  migration:
    asm:
      egress: [{host: edition.cnn.com, port: 80}]`),
  },
  check({ env, report }) {
    const asm = env.spec.migration?.asm;
    if (!asm) return;
    const seen = new Map<string, number>();
    // Istio's egress gateway needs a container port of its own for each Service port, its defaults included.
    const portOfTarget = new Map<number, number>(EGRESS_GATEWAY_DEFAULT_PORTS.map((p) => [egressGatewayTargetPort(p), p]));
    asm.egress.forEach((entry, i) => {
      const key = `${entry.host.toLowerCase()}:${entry.port}`;
      const first = seen.get(key);
      if (first !== undefined) report(['spec', 'migration', 'asm', 'egress', i, 'host'], `${key} is listed twice (also egress[${first}])`);
      else seen.set(key, i);
      const target = egressGatewayTargetPort(entry.port);
      const other = portOfTarget.get(target);
      if (other !== undefined && other !== entry.port) {
        report(
          ['spec', 'migration', 'asm', 'egress', i, 'port'],
          `port ${entry.port} would listen on container port ${target} of Istio's egress gateway, which port ${other} already uses ` +
            '(ports below 1024 are shifted by 8000 because the gateway runs unprivileged); use another port',
        );
      } else portOfTarget.set(target, entry.port);
    });
  },
};
