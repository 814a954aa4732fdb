/** OpenVMS version strings such as `7.3-1`, `V8.4`, `8.4-2L1` or `9.2-2`. */

/** Split a version into its numbers: `8.4-2L1` becomes [8, 4, 2, 1]. */
export function versionParts(version: string): number[] {
  return (version.match(/[0-9]+/g) ?? []).map((part) => Number.parseInt(part, 10));
}

/** Compare two versions part by part; a missing part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const left = versionParts(a);
  const right = versionParts(b);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The `__CRTL_VER` value of a version: major, minor and update as `vvmmuu000`, so that 7.3-1 becomes
 * 70301000 and 8.4 becomes 80400000, the form that tests such as `__CRTL_VER >= 70301000` in ported sources use.
 */
export function crtlVersionNumber(version: string): number {
  const [major = 0, minor = 0, update = 0] = versionParts(version);
  return major * 10_000_000 + minor * 100_000 + update * 1000;
}
