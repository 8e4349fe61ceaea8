import { istioOperatorDocs } from '../generator/validate/istio-operators.js';
import type { Policy } from '../generator/validate/policy.js';

/** Docker's tag grammar, TagRegexp of istioctl 1.15-1.23 (operator/validate/common.go, "From docker/docker:graph/tags.go"). */
export const DOCKER_TAG = '[\\w][\\w.-]{0,127}';
const TAG_UP_TO_1_23 = new RegExp(`^${DOCKER_TAG}$`);
/** go-containerregistry's checkTag (pkg/name/tag.go, check.go): 1 to 128 of these characters, any first. */
const TAG_FROM_1_24 = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * What istioctl of `minor` makes of spec.tag, or undefined where it takes it. 1.15-1.23
 * (operator/validate/validate.go validateTag): the tag's string value must match TagRegexp whole; a
 * tag that is not a string has no string value and is not checked. 1.24+ (operator/apis/validation/
 * validation.go validateTag): `name.NewTag(fmt.Sprintf("istio/pilot:%v", tag))`, so the tag as Go
 * prints it (a number as its digits, a map or list in brackets) must be a go-containerregistry tag.
 * An empty tag is left alone: istioctl up to 1.23 takes it as unset, and whether NewTag refuses
 * "istio/pilot:" depends on the go-containerregistry release a 1.24+ istioctl was built with.
 */
export function refusedTag(minor: string, tag: unknown): string | undefined {
  if (Number(minor.split('.')[1]) <= 23) return typeof tag === 'string' && tag !== '' && !TAG_UP_TO_1_23.test(tag) ? tag : undefined;
  if (tag === null || tag === undefined || tag === '') return undefined;
  const printed = typeof tag === 'object' ? JSON.stringify(tag) : String(tag);
  return typeof tag === 'object' || !TAG_FROM_1_24.test(printed) ? printed : undefined;
}

export const istioTag: Policy = {
  id: 'istio-tag',
  description: 'spec.tag of an IstioOperator is an image tag as istioctl of that version reads it (letters, digits, "_", "." and "-", at most 128).',
  severity: 'error',
  docs: {
    rationale:
      'Every Istio image is pulled as <hub>/<image>:<tag>, so istioctl refuses an IstioOperator whose tag is not an image tag ("invalid value Tag" up to 1.23, "bad tag" from 1.24): the install fails before anything changes. The usual mistakes are an image reference pasted whole (docker.io/istio/pilot:1.18.5) or a tag with a "+build" suffix. Up to 1.23 a tag may not start with "." or "-" either (operator/validate/validate.go and common.go; from 1.24 operator/apis/validation/validation.go).',
    bad: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {tag: docker.io/istio/pilot:1.18.5}`,
    good: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {hub: docker.io/istio, tag: 1.18.5}`,
  },
  check({ env, report }) {
    for (const { doc, spec, minor } of istioOperatorDocs(env)) {
      const refused = minor ? refusedTag(minor, spec.tag) : undefined;
      if (refused === undefined) continue;
      report({ doc, path: ['spec', 'tag'], message: `spec.tag "${refused}" is not an image tag as istioctl ${minor} reads it (letters, digits, "_", "." and "-", at most 128 characters); it refuses it` });
    }
  },
};
