import { UserError } from "../util/errors.js";
import type { VmsTarget } from "./types.js";

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

// NOTE: 8.0 and 9.0 (the evaluation releases) and the production releases 8.2 and 9.2 are as commonly reported, and so is the end of Alpha and Itanium releases with 8.4-2L2 and 8.4-2L3. The sources checked show only that OpenVMS I64 8.2 (HP TCP/IP Services for OpenVMS 5.5, Sockets API and System Services Programming) and VSI OpenVMS x86-64 9.2-2 and 9.2-3 (VSI ECO kit release notes) existed.
/**
 * Lowest OpenVMS version number each processor architecture could have run, with its first production
 * release for the hint. The bounds are low on purpose, so that no system that existed is rejected. Alpha ran
 * every version from OpenVMS AXP 1.0 on, below any version this tool decides on, so it has no entry.
 */
const FIRST_VERSION: Partial<Record<VmsTarget, { version: string; production: string; name: string }>> = {
  ia64: { version: "8.0", production: "8.2", name: "Itanium (I64)" },
  x86_64: { version: "9.0", production: "9.2", name: "x86-64" },
};

/**
 * Checks that an OpenVMS version existed for a processor architecture, so that an impossible pair such as
 * x86-64 with 7.3-2 is rejected instead of silently deciding macros for a system that never was. `where`
 * names the origin of each setting for the message.
 */
export function checkTargetVersion(
  target: VmsTarget,
  version: string,
  where: { target: string; version: string },
): void {
  const number = crtlVersionNumber(version);
  if (target !== "x86_64" && number >= crtlVersionNumber("9.0")) {
    const name = target === "alpha" ? "Alpha" : "Itanium (I64)";
    throw new UserError(
      `OpenVMS ${version} (${where.version}) never ran on ${name} (${where.target}): the 9.x releases run on x86-64 only`,
      { hint: `Give an ${name} version of 8.4 or earlier, or the target x86_64 for ${version}.` },
    );
  }
  const first = FIRST_VERSION[target];
  if (!first || number >= crtlVersionNumber(first.version)) return;
  throw new UserError(
    `OpenVMS ${version} (${where.version}) never ran on ${first.name} (${where.target}): the first ${first.name} release was ${first.version}`,
    {
      hint: `Give a version of ${first.production} or later (the first production release for ${first.name}), or a target that ran ${version}, such as alpha.`,
    },
  );
}
