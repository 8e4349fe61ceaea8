import { asObject, get } from '../generator/json.js';
import { istioOperatorDocs } from '../generator/validate/istio-operators.js';
import { isIpAddress } from '../generator/schemas/mesh-networks.js';
import type { Policy } from '../generator/validate/policy.js';

/**
 * istioctl's checks of the sidecar's interception settings: operator/validate/validate_values.go and
 * common.go (1.15-1.23), validateValues in operator/apis/validation/validation.go (1.24+).
 * includeIPRanges/excludeIPRanges: "*", "", or CIDRs separated by commas (validateIPRangesOrStar;
 * net.ParseCIDR in 1.15, netip.ParsePrefix from 1.16: a prefix length is required).
 * includeInboundPorts/excludeInboundPorts: "*", "", or port numbers 0-65535 separated by commas.
 */
function isPrefix(value: string): boolean {
  const parts = value.split('/');
  if (parts.length !== 2 || !isIpAddress(parts[0]!) || !/^(0|[1-9][0-9]*)$/.test(parts[1]!)) return false;
  return Number(parts[1]) <= (parts[0]!.includes(':') ? 128 : 32);
}

function isPortNumber(value: string): boolean {
  return value === '*' || value === '' || (/^[+-]?[0-9]+$/.test(value) && Number(value) >= 0 && Number(value) <= 65535);
}

const CHECKS = [
  { field: 'includeIPRanges', what: 'CIDR blocks (a.b.c.d/n)', bad: (list: string) => (list === '*' || list === '' ? [] : list.split(',').map((s) => s.trim()).filter((s) => !isPrefix(s))) },
  { field: 'excludeIPRanges', what: 'CIDR blocks (a.b.c.d/n)', bad: (list: string) => (list === '*' || list === '' ? [] : list.split(',').map((s) => s.trim()).filter((s) => !isPrefix(s))) },
  { field: 'includeInboundPorts', what: 'port numbers 0-65535', bad: (list: string) => list.split(',').map((s) => s.trim()).filter((s) => !isPortNumber(s)) },
  { field: 'excludeInboundPorts', what: 'port numbers 0-65535', bad: (list: string) => list.split(',').map((s) => s.trim()).filter((s) => !isPortNumber(s)) },
] as const;

export const istioProxyRanges: Policy = {
  id: 'istio-proxy-ranges',
  description: 'values.global.proxy include/exclude IP ranges are "*" or comma-separated CIDR blocks, and include/exclude inbound ports comma-separated port numbers.',
  severity: 'error',
  docs: {
    rationale:
      'The sidecar\'s iptables rules are built from these lists. istioctl refuses an IstioOperator whose ranges are not CIDR blocks (a bare IP without /n included) or whose ports are not numbers; the Helm charts do not check them, and a bad entry then breaks the injected init container of every pod.',
    bad: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  values: {global: {proxy: {excludeIPRanges: "10.0.0.1,169.254.169.254/32"}}}`,
    good: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  values: {global: {proxy: {excludeIPRanges: "10.0.0.1/32,169.254.169.254/32"}}}`,
  },
  check({ env, report }) {
    for (const { doc, spec } of istioOperatorDocs(env)) {
      const proxy = asObject(get(spec, ['values', 'global', 'proxy']));
      if (!proxy) continue;
      for (const { field, what, bad } of CHECKS) {
        const value = proxy[field];
        if (typeof value !== 'string') continue;
        const wrong = bad(value);
        if (wrong.length === 0) continue;
        report({
          doc,
          path: ['spec', 'values', 'global', 'proxy', field],
          message: `values.global.proxy.${field} must be ${field.endsWith('IPRanges') ? '"*" or ' : ''}${what} separated by commas; ${wrong.map((w) => JSON.stringify(w)).join(', ')} ${wrong.length === 1 ? 'is' : 'are'} not, and istioctl refuses it`,
        });
      }
    }
  },
};
