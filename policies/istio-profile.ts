import { istioOperatorDocs } from '../generator/validate/istio-operators.js';
import { minorFacts } from '../generator/schemas/istio-versions.js';
import type { Policy } from '../generator/validate/policy.js';

/** The profiles of each minor are those Istio ships (../shared/istio/<minor>/profiles/, schemas/istio/versions.json). */
export const istioProfile: Policy = {
  id: 'istio-profile',
  description: 'spec.profile names an installation profile that the Istio version in spec.tag ships.',
  severity: 'error',
  docs: {
    rationale:
      'istioctl reads the profile from its own release (manifests/profiles/<name>.yaml) and fails when that release has no such profile. Profiles come and go between versions: `remote` and `ambient` first ship with Istio 1.16 (compare ../shared/istio/1.15/profiles/ and 1.16/profiles/), so an IstioOperator written for a newer Istio does not install on an older one.',
    bad: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: 1.15.3, profile: remote}`,
    good: `# clusters/c1/istio-operator.yaml: 1.15 has no "remote" profile; set the remote's values instead
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: 1.15.3, profile: default}`,
  },
  check({ env, report }) {
    for (const { doc, spec, minor } of istioOperatorDocs(env)) {
      const profile = spec.profile;
      // A path (istioctl also takes a file) is not checked.
      if (typeof profile !== 'string' || profile === '' || profile.includes('/') || !minor) continue;
      const profiles = minorFacts(minor)?.profiles ?? [];
      if (profiles.includes(profile)) continue;
      report({ doc, path: ['spec', 'profile'], message: `Istio ${minor} has no profile "${profile}" (it has ${profiles.join(', ')}); istioctl install fails` });
    }
  },
};
