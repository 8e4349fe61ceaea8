/**
 * What meshops renders differently per Istio minor version: one row per minor it knows, each fact
 * read from Istio's own files of that minor under ../shared/istio/<minor>/ (the column comments
 * name the file). test/istio-minors.test.ts checks every row against those files.
 */
import { atLeast, istioMinor } from './version.js';

export type NetworkingApiVersion = 'networking.istio.io/v1' | 'networking.istio.io/v1beta1';

export interface IstioMinorFacts {
  minor: string;
  /**
   * The IstioOperator profile of a remote (profiles/): `remote` from 1.16; 1.15 has only `external`,
   * the same profile under its older name (1.16's external.yaml: "Deprecated. Use the remote profile").
   */
  remoteProfile: 'remote' | 'external';
  /**
   * The networking.istio.io version meshops writes Gateway, VirtualService, ServiceEntry and
   * WorkloadGroup in: the newest all four CRDs serve (crds/crd-all.gen.yaml).
   */
  networking: NetworkingApiVersion;
}

const V1BETA1 = 'networking.istio.io/v1beta1';
const V1 = 'networking.istio.io/v1';

/** Oldest first. */
export const ISTIO_MINORS: readonly IstioMinorFacts[] = [
  { minor: '1.15', remoteProfile: 'external', networking: V1BETA1 },
  { minor: '1.16', remoteProfile: 'remote', networking: V1BETA1 },
  { minor: '1.17', remoteProfile: 'remote', networking: V1BETA1 },
  { minor: '1.18', remoteProfile: 'remote', networking: V1BETA1 },
  { minor: '1.19', remoteProfile: 'remote', networking: V1BETA1 },
  { minor: '1.20', remoteProfile: 'remote', networking: V1BETA1 },
  { minor: '1.21', remoteProfile: 'remote', networking: V1BETA1 },
  { minor: '1.22', remoteProfile: 'remote', networking: V1 },
  { minor: '1.23', remoteProfile: 'remote', networking: V1 },
  { minor: '1.24', remoteProfile: 'remote', networking: V1 },
  { minor: '1.25', remoteProfile: 'remote', networking: V1 },
  { minor: '1.26', remoteProfile: 'remote', networking: V1 },
  { minor: '1.27', remoteProfile: 'remote', networking: V1 },
  { minor: '1.28', remoteProfile: 'remote', networking: V1 },
  { minor: '1.29', remoteProfile: 'remote', networking: V1 },
  { minor: '1.30', remoteProfile: 'remote', networking: V1 },
];

export const OLDEST_ISTIO_MINOR = ISTIO_MINORS[0]!;
export const NEWEST_ISTIO_MINOR = ISTIO_MINORS[ISTIO_MINORS.length - 1]!;

const minorPair = (minor: string) => istioMinor(minor);

/** Whether meshops can render this version: its minor or a newer one (older minors are refused). */
export function isKnownOrNewer(version: string): boolean {
  return atLeast(version, minorPair(OLDEST_ISTIO_MINOR.minor));
}

/**
 * The facts of a version's minor; a minor newer than the newest known renders as the newest does.
 * Only for versions the model accepts (isKnownOrNewer).
 */
export function istioMinorFacts(version: string): IstioMinorFacts {
  const [major, minor] = istioMinor(version);
  return ISTIO_MINORS.find((row) => row.minor === `${major}.${minor}`) ?? NEWEST_ISTIO_MINOR;
}

/**
 * The value of pilot.env.EXTERNAL_ISTIOD beside global.externalIstiod. Istio 1.23.0's istiod chart
 * compared it with a string (`eq .Values.env.EXTERNAL_ISTIOD ""`), which fails with "incompatible
 * types for comparison" on a boolean; 1.23.1 fixed the template (istio/istio#52400). The string
 * "true" works in both, and istiod reads the variable as text either way.
 */
export function externalIstiodEnv(version: string): boolean | string {
  return /^1\.23\.0(-|$)/.test(version) ? 'true' : true;
}
