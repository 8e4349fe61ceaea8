import { describe, expect, it } from 'vitest';
import { istioTag, refusedTag } from '../../policies/istio-tag.js';
import { check, fileOf, lineOf, seedPrimary } from './trees.js';

const withTag = (tag: unknown) => {
  const iop = seedPrimary();
  iop.spec.tag = tag;
  return { 'cls-dxgdg1rl': { 'istio-operator.yaml': [iop] } };
};
const refused = (tag: unknown) => check(istioTag, withTag(tag)).map((f) => f.message);

describe('istio-tag', () => {
  it('accepts the tags istioctl takes: versions, vendor and distroless suffixes, a version as a number', () => {
    for (const tag of ['1.18.5', '1.15.3-mspider', '1.24.2-distroless', '1.30.3_build.7', 'latest', 1.22, '']) expect(refused(tag), String(tag)).toEqual([]);
  });

  it('refuses an image reference pasted whole, at spec.tag, naming the version whose istioctl refuses it', () => {
    const tree = withTag('docker.io/istio/pilot:1.18.5');
    const findings = check(istioTag, tree);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'istio-tag',
        severity: 'error',
        file: fileOf('clusters/cls-dxgdg1rl/istio-operator.yaml'),
        line: lineOf(tree, 'clusters/cls-dxgdg1rl/istio-operator.yaml', 'tag:'),
        message: 'spec.tag "docker.io/istio/pilot:1.18.5" is not an image tag as istioctl 1.30 reads it (letters, digits, "_", "." and "-", at most 128 characters); it refuses it',
      }),
    ]);
  });

  it('refuses a build suffix and more than 128 characters in every version', () => {
    expect(refused('1.18.5+build.1')).toHaveLength(1);
    expect(refused(`1.18.5-${'a'.repeat(122)}`)).toHaveLength(1);
    expect(refused(`1.18.5-${'a'.repeat(121)}`)).toEqual([]);
  });

  it('up to 1.23 a tag may not start with "." or "-" (TagRegexp); from 1.24 go-containerregistry takes it', () => {
    expect(refusedTag('1.23', '-1.23.6')).toBe('-1.23.6');
    expect(refusedTag('1.23', '.1.23.6')).toBe('.1.23.6');
    expect(refusedTag('1.24', '-1.24.2')).toBeUndefined();
  });

  it('from 1.24 a tag that is a map or list is printed by Go (%v) into no valid tag; up to 1.23 only strings are checked', () => {
    expect(refusedTag('1.23', { version: '1.23.6' })).toBeUndefined();
    expect(refusedTag('1.24', ['1.24.2'])).toBe('["1.24.2"]');
    expect(refused({ version: '1.24.2' })).toEqual(['spec.tag "{"version":"1.24.2"}" is not an image tag as istioctl 1.30 reads it (letters, digits, "_", "." and "-", at most 128 characters); it refuses it']);
  });

  it('takes what either reads as a version: a number, true; and leaves an empty or absent tag alone', () => {
    for (const minor of ['1.18', '1.30']) for (const tag of [1.22, true, '', null, undefined]) expect(refusedTag(minor, tag), `${minor} ${String(tag)}`).toBeUndefined();
  });
});
