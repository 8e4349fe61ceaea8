import { istioOperatorDocs } from '../generator/validate/istio-operators.js';
import type { Policy } from '../generator/validate/policy.js';
import { DOCKER_TAG } from './istio-tag.js';

/**
 * istioctl's validateHub. 1.15-1.23 (operator/validate/common.go, validate.go): the hub matches the
 * Docker reference grammar, ReferenceRegexp: an optional registry host[:port], lower-case path
 * components separated by one ".", one or two "_" or dashes, then an optional ":tag" and "@digest".
 * 1.24+ (operator/apis/validation/validation.go): `name.NewRepository(hub + "/pilot")` of
 * go-containerregistry: a registry (a first part with "." or ":", or "localhost") and a repository of
 * lower-case letters, digits, "_", "-", "." and "/", 2 to 255 characters.
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?`;
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const DOCKER_REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::${DOCKER_TAG})?(?:@${DIGEST})?$`);
const REGISTRY_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?$/;

function isRepositoryOf1_24(hub: string): boolean {
  const image = `${hub}/pilot`;
  const slash = image.indexOf('/');
  const first = image.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (hasRegistry && !REGISTRY_HOST.test(first)) return false;
  const repository = hasRegistry ? image.slice(slash + 1) : image;
  return repository.length >= 2 && repository.length <= 255 && /^[a-z0-9_./-]+$/.test(repository);
}

/** Whether istioctl of `minor` takes `hub` as spec.hub. */
export function isHub(minor: string, hub: string): boolean {
  return Number(minor.split('.')[1]) >= 24 ? isRepositoryOf1_24(hub) : DOCKER_REFERENCE.test(hub);
}

export const istioHub: Policy = {
  id: 'istio-hub',
  description: 'spec.hub of an IstioOperator is an image repository as istioctl of that version parses it (registry host and lower-case path, no scheme).',
  severity: 'error',
  docs: {
    rationale:
      'Every Istio image is pulled as <hub>/<image>:<tag>. istioctl refuses a hub that is not an image repository ("bad hub"); a scheme, or capitals in the path, is the usual mistake when a registry URL is copied from a browser. From Istio 1.24 a tag in the hub is refused too.',
    bad: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: 1.24.2, hub: https://registry.example.com/istio}`,
    good: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: 1.24.2, hub: registry.example.com/istio}`,
  },
  check({ env, report }) {
    for (const { doc, spec, minor } of istioOperatorDocs(env)) {
      const hub = spec.hub;
      if (typeof hub !== 'string' || hub === '' || !minor || isHub(minor, hub)) continue;
      report({ doc, path: ['spec', 'hub'], message: `spec.hub "${hub}" is not an image repository as istioctl ${minor} reads it (e.g. registry.example.com/istio: no scheme, a lower-case path); it refuses it` });
    }
  },
};
