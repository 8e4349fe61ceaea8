/** Istio versions: parsing, comparison, and the API versions a release serves. */

/** Istio minor version as a number pair, for API-version choices and version-skew checks. */
export function istioMinor(version: string): [number, number] {
  const [major = '0', minor = '0'] = version.split('.');
  return [Number(major), Number(minor)];
}

/** Whether an Istio version is `major.minor` or later. */
export function atLeast(version: string, [major, minor]: [number, number]): boolean {
  const [vMajor, vMinor] = istioMinor(version);
  return vMajor > major || (vMajor === major && vMinor >= minor);
}

/** A version with a suffix (1.15.3-mspider) is a vendor build. */
export function isVendorVersion(version: string): boolean {
  return version.includes('-');
}

/** networking.istio.io/v1 is served from Istio 1.22; older control planes only know v1beta1. */
export function networkingApiVersion(version: string): string {
  return atLeast(version, [1, 22]) ? 'networking.istio.io/v1' : 'networking.istio.io/v1beta1';
}

/**
 * WorkloadGroup arrived as v1alpha3 (Istio 1.8) and was first served as v1beta1 in 1.13, later
 * than Gateway and VirtualService; from 1.22 it is v1 like the rest of networking.istio.io.
 */
export function workloadGroupApiVersion(version: string): string {
  return atLeast(version, [1, 13]) ? networkingApiVersion(version) : 'networking.istio.io/v1alpha3';
}
