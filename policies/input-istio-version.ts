import { isKnownOrNewer, knownMinorRange } from '../generator/schemas/istio-render-choices.js';
import type { InputRule } from '../generator/model/input-rule.js';
import { meshExample } from './input-example.js';

export const inputIstioVersion: InputRule = {
  kind: 'input',
  id: 'input-istio-version',
  description: '`istio.version` is a minor meshops knows (1.15 or later); a newer minor renders as the newest known.',
  severity: 'error',
  docs: {
    rationale:
      "What meshops renders differs per Istio minor (the remote profile, the networking API version), and it knows those facts from Istio's own files of 1.15 to 1.30 (schemas/istio/versions.json, from which generator/schemas/istio-render-choices.ts derives its choices). An older Istio would get objects its CRDs do not serve or a profile it does not have, so it is refused; an ASM migration, which starts from Istio 1.10 (seed 002), is covered too.",
    bad: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}`, '{version: 1.14.6}'),
    good: meshExample(`  clusters:
  - {name: c1, role: primary, network: main}`, '{version: 1.15.3}'),
  },
  check({ env, report }) {
    const { version } = env.spec.istio;
    // A version that is not x.y.z is the field's own error.
    if (/^\d+\.\d+\./.test(version) && !isKnownOrNewer(version)) {
      const { oldest, newest } = knownMinorRange();
      report(
        ['spec', 'istio', 'version'],
        `meshops knows Istio ${oldest} to ${newest} (and renders newer versions as ${newest}); ${version} is older than it supports: upgrade Istio first`,
      );
    }
  },
};
