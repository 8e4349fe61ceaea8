import { istioOperatorDocs } from '../generator/validate/istio-operators.js';
import type { Policy } from '../generator/validate/policy.js';

/**
 * istioctl's validateHub: operator/validate/common.go (1.15-1.23) matches the hub against the Docker
 * reference grammar (NameRegexp: an optional registry host[:port], then lower-case path components
 * separated by one ".", one or two "_" or dashes); 1.24+ (operator/apis/validation/validation.go)
 * parses "<hub>/pilot" as a repository with go-containerregistry, which takes the same names.
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?';
const REPOSITORY = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*$`);

export function isImageRepository(hub: string): boolean {
  return hub.length <= 255 && REPOSITORY.test(hub);
}

export const istioHub: Policy = {
  id: 'istio-hub',
  description: 'spec.hub of an IstioOperator is an image repository (registry host and path, no tag, no scheme).',
  severity: 'error',
  docs: {
    rationale:
      'Every Istio image is pulled as <hub>/<image>:<tag>. istioctl refuses a hub that is not an image repository ("bad hub"), and a scheme or a tag in it is the usual mistake when a registry URL is copied from a browser.',
    bad: `spec:
  hub: https://registry.example.com/istio`,
    good: `spec:
  hub: registry.example.com/istio`,
  },
  check({ env, report }) {
    for (const { doc, spec } of istioOperatorDocs(env)) {
      const hub = spec.hub;
      if (typeof hub !== 'string' || hub === '' || isImageRepository(hub)) continue;
      report({ doc, path: ['spec', 'hub'], message: `spec.hub "${hub}" is not an image repository (e.g. registry.example.com/istio: no scheme, no tag, lower-case path); istioctl refuses it` });
    }
  },
};
