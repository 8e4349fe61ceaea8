import { istioMinor } from '../generator/istio/version.js';
import { scalarText } from '../generator/json.js';
import type { Policy } from '../generator/validate/policy.js';

/** Istio supports istiod and proxies at most one minor version apart; a mesh's clusters should be too. */
export const istioVersionSkew: Policy = {
  id: 'istio-version-skew',
  description: 'The IstioOperator spec.tag versions of the clusters are at most one minor version apart.',
  severity: 'warning',
  docs: {
    rationale:
      'A remote\'s proxies are configured by its primary\'s istiod, and across clusters proxies of every version exchange traffic and mTLS. Istio supports a control plane and data plane one minor version apart (during a canary upgrade); further apart, configuration the newer istiod sends can be rejected by older proxies. Upgrade the lagging clusters one minor version at a time.',
    bad: `# clusters/primary1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: 1.20.3}
# clusters/remote1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: 1.18.5}`,
    good: `# clusters/primary1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: 1.19.9}
# clusters/remote1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: 1.18.5}`,
  },
  check({ clusters, report }) {
    const versioned = clusters.flatMap((c) => {
      const tag = scalarText(c.version);
      const [major, minor] = tag !== undefined ? istioMinor(tag) : [NaN, NaN];
      return c.iop && Number.isInteger(major) && Number.isInteger(minor) ? [{ c, tag: tag!, major, minor }] : [];
    });
    const newest = versioned.reduce<(typeof versioned)[number] | undefined>(
      (best, v) => (!best || v.major > best.major || (v.major === best.major && v.minor > best.minor) ? v : best),
      undefined,
    );
    if (!newest) return;
    for (const v of versioned) {
      if (v.major === newest.major && newest.minor - v.minor <= 1) continue;
      report({
        doc: v.c.iop!,
        path: ['spec', 'tag'],
        message: `cluster "${v.c.name}" runs Istio ${v.tag}, more than one minor version behind ${newest.tag} on "${newest.c.name}"; upgrade it one minor version at a time`,
      });
    }
  },
};
