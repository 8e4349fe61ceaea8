/** Istio versions compared by minor: x.y.z[-suffix] as the pair [x, y]. */

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
