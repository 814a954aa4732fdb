import { UserError } from "../util/errors.js";

const VERSION_PATTERN = /^(\d+)\.(\d+)(?:-(\d+)([A-Za-z0-9]*))?$/;

/**
 * Converts an OpenVMS version such as `8.3`, `7.3-2` or `8.4-2L1` into the value `__CRTL_VER` has on that
 * version: major × 10000000 + minor × 100000 + update × 1000, so 7.3-1 is 70301000 and 8.3 is 80300000
 * (the values ports test against, for example curl's lib/setup-vms.h and the HP C RTL Reference Manual
 * examples). A letter suffix such as `L1` is ignored.
 */
export function crtlVersionNumber(version: string): number {
  const match = VERSION_PATTERN.exec(version);
  if (!match) {
    throw new UserError(`invalid OpenVMS version "${version}"`, {
      hint: "Write it as MAJOR.MINOR or MAJOR.MINOR-UPDATE, for example 8.4 or 7.3-2.",
    });
  }
  const [, major, minor, update] = match;
  return Number(major) * 10_000_000 + Number(minor) * 100_000 + Number(update ?? 0) * 1000;
}

/** Checks a version given on the command line or in the configuration file, naming where it came from. */
export function checkVmsVersion(version: string, where: string): string {
  if (!VERSION_PATTERN.test(version)) {
    throw new UserError(`invalid OpenVMS version "${version}" in ${where}`, {
      hint: "Write it as MAJOR.MINOR or MAJOR.MINOR-UPDATE, for example 8.4 or 7.3-2.",
    });
  }
  return version;
}
