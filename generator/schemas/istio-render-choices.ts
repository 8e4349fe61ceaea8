/**
 * What meshops renders differently per Istio minor version. Each choice is derived from the facts
 * generated from Istio's own files of that minor (schemas/istio/versions.json, written by
 * scripts/istio-schemas.ts from ../shared/istio/<minor>/profiles/ and crds/crd-all.gen.yaml, read
 * through istio-versions.ts), so Istio's files decide and nothing here is a table.
 */
import { chooseMinor, hasProfile, knownMinors, servedApiVersions } from './istio-versions.js';

export type NetworkingApiVersion = `networking.istio.io/${string}`;

export interface RenderChoices {
  minor: string;
  /**
   * The IstioOperator profile of a remote: `remote` where the minor has it (1.16 on); 1.15 has only
   * `external`, the same profile under its older name (1.16's external.yaml: "Deprecated. Use the
   * remote profile").
   */
  remoteProfile: 'remote' | 'external';
  /** The networking.istio.io version meshops writes its Istio objects in: the newest all their CRDs serve. */
  networking: NetworkingApiVersion;
}

/** The networking.istio.io kinds meshops renders (render/mesh-objects.ts, vms.ts, asm.ts), all written in one version. */
export const RENDERED_NETWORKING_KINDS: readonly string[] = ['Gateway', 'VirtualService', 'ServiceEntry', 'WorkloadGroup'];
/** networking.istio.io's API versions, newest first. */
const NETWORKING_VERSIONS_NEWEST_FIRST = ['v1', 'v1beta1', 'v1alpha3'];

/** Derived once per minor: a fleet renders the same few minors thousands of times. */
const derived = new Map<string, RenderChoices>();

function derive(minor: string): RenderChoices {
  const networking = NETWORKING_VERSIONS_NEWEST_FIRST.find((version) => RENDERED_NETWORKING_KINDS.every((kind) => servedApiVersions(minor, kind).includes(version)));
  if (!networking) throw new Error(`schemas/istio/versions.json: Istio ${minor}'s CRDs serve no networking.istio.io version for all of ${RENDERED_NETWORKING_KINDS.join(', ')}`);
  return { minor, remoteProfile: hasProfile(minor, 'remote') ? 'remote' : 'external', networking: `networking.istio.io/${networking}` };
}

/** Whether meshops can render this version: its minor or a newer one (older minors are refused). */
export function isKnownOrNewer(version: string): boolean {
  return chooseMinor(version).relation !== 'older';
}

/** The oldest and the newest minor meshops knows ("1.15", "1.30"). */
export function knownMinorRange(): { oldest: string; newest: string } {
  const minors = knownMinors();
  return { oldest: minors[0]!, newest: minors.at(-1)! };
}

/**
 * The choices for a version's minor; a minor newer than the newest known renders as the newest does.
 * Only for versions the model accepts (isKnownOrNewer).
 */
export function renderChoices(version: string): RenderChoices {
  const choice = chooseMinor(version);
  const minor = choice.relation === 'older' ? choice.oldest : choice.minor;
  let facts = derived.get(minor);
  if (!facts) {
    facts = derive(minor);
    derived.set(minor, facts);
  }
  return facts;
}
