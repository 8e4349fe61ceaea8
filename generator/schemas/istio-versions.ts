/**
 * The Istio versions meshops knows, and what each minor version has: its installation profiles, the
 * API versions its networking.istio.io CRDs serve and the schema of each. The facts are generated
 * from Istio's own files (../shared/istio/<minor>/profiles/, crds/crd-all.gen.yaml) by
 * scripts/istio-schemas.ts into schemas/istio/versions.json, beside the IstioOperator schema of each
 * minor; they are the one source of per-minor knowledge (istio-render-choices.ts derives the
 * renderer's choices from them).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.js';

export interface MinorFacts {
  /** The Istio release the facts and the schema were taken from, e.g. "1.30.3". */
  release: string;
  /** Installation profiles (`spec.profile`) of this minor: manifests/profiles/*.yaml. */
  profiles: string[];
  /** Per Istio kind meshops renders or reads (Gateway, VirtualService, ...): its CRD of this minor. */
  crds: Record<string, CrdFacts>;
}

export interface CrdFacts {
  /** The API group, e.g. networking.istio.io. */
  group: string;
  /** The storage version. */
  storage: string;
  /** Each served API version ("v1", "v1beta1", ...) -> its JSON Schema, a file under schemas/istio/ (crds/<kind>-<hash>.json). */
  schemas: Record<string, string>;
}

let facts: Record<string, MinorFacts> | undefined;
let minors: string[] | undefined;
/** chooseMinor's answers by version: a fleet states the same few versions thousands of times. */
const choices = new Map<unknown, VersionChoice>();

function allFacts(): Record<string, MinorFacts> {
  facts ??= (JSON.parse(readFileSync(path.join(packageRoot(), 'schemas', 'istio', 'versions.json'), 'utf8')) as { minors: Record<string, MinorFacts> }).minors;
  return facts;
}

/** Known minors, oldest first: "1.15" ... "1.30". */
export function knownMinors(): string[] {
  minors ??= Object.keys(allFacts()).sort((a, b) => minorNumber(a) - minorNumber(b));
  return [...minors];
}

export function minorFacts(minor: string): MinorFacts | undefined {
  return allFacts()[minor];
}

/** The number after "1." of a minor ("1.30" -> 30): minors compare by it. */
export function minorNumber(minor: string): number {
  return Number(minor.split('.')[1]);
}

/** How a version relates to the known ones, and which minor's schema and facts stand for it. */
export type VersionChoice =
  | { relation: 'known'; minor: string }
  /** Newer than every known minor: the newest stands for it, and what it does not know may be new. */
  | { relation: 'newer'; minor: string; newest: string }
  /** Older than the oldest known minor (1.15): unsupported. */
  | { relation: 'older'; oldest: string }
  /** Not a version meshops can read (absent, "latest", a digest): the newest stands for it. */
  | { relation: 'unstated'; minor: string };

/**
 * The minor version of an Istio version or image tag ("1.18.5", "1.15.3-mspider", 1.22), and
 * which known minor stands for it.
 */
export function chooseMinor(version: unknown): VersionChoice {
  let choice = choices.get(version);
  if (!choice) {
    choice = choose(version);
    choices.set(version, choice);
  }
  return choice;
}

function choose(version: unknown): VersionChoice {
  const minors = knownMinors();
  const oldest = minors[0]!;
  const newest = minors.at(-1)!;
  const text = typeof version === 'number' ? String(version) : typeof version === 'string' ? version : '';
  const match = /^v?(\d+)\.(\d+)(?:$|[.\-+])/.exec(text);
  if (!match) return { relation: 'unstated', minor: newest };
  const [major, number] = [Number(match[1]), Number(match[2])];
  if (major > 1 || number > minorNumber(newest)) return { relation: 'newer', minor: newest, newest };
  if (major < 1 || number < minorNumber(oldest)) return { relation: 'older', oldest };
  // The generated minors are contiguous (test/istio-schemas.test.ts), so this one is known.
  return { relation: 'known', minor: `1.${number}` };
}

/** Whether `profile` is one of the installation profiles of `minor`. */
export function hasProfile(minor: string, profile: string): boolean {
  return minorFacts(minor)?.profiles.includes(profile) ?? false;
}

/** The API versions of a networking.istio.io kind that the CRDs of `minor` serve (e.g. ["v1", "v1alpha3", "v1beta1"]). */
export function servedApiVersions(minor: string, kind: string): string[] {
  return Object.keys(minorFacts(minor)?.crds[kind]?.schemas ?? {}).sort();
}
