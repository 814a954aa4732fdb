import path from "node:path/posix";
import type { BuildStep } from "../model/steps.js";

/** Disposition and reason for a command that the makefiles CMake generates run for their own upkeep. */
export type CmakeBookkeeping =
  | { disposition: "commented"; reason: string }
  | { disposition: "not-translated"; reason: string };

const NOTHING_NEEDED = "CMake bookkeeping, not needed on OpenVMS";

/** `cmake -E` sub-commands that only serve the generated makefiles, with why OpenVMS needs none of them. */
const HELPER_REASONS: Record<string, string> = {
  cmake_progress_start: `${NOTHING_NEEDED}: it sets up the percentages make prints while it builds`,
  cmake_echo_color: `${NOTHING_NEEDED}: it prints a progress message in colour`,
  cmake_depends: `${NOTHING_NEEDED}: it scans header dependencies for make; the description file names only the source of each object, so a changed header needs MMS/FORCE or clean`,
  cmake_symlink_library: `${NOTHING_NEEDED}: it links the versioned names of a shared library to one another, and an OpenVMS shareable image has one name, found through its logical name`,
};

/**
 * `cmake -E` file commands and the Unix program whose tool rule translates them. The log reader keeps their
 * options and operands in the same fields as for the Unix program.
 */
const FILE_COMMANDS: Record<string, string> = {
  rm: "rm",
  remove: "rm",
  copy: "cp",
  copy_if_different: "cp",
  rename: "mv",
  make_directory: "mkdir",
  touch: "touch",
  touch_nocreate: "touch",
  create_symlink: "ln",
};

/** Return the Unix program that does the work of a `cmake -E` file command, or undefined for any other step. */
export function cmakeFileCommandTool(step: BuildStep): string | undefined {
  const program = step.argv[0];
  if (program === undefined || !/^cmake(?:[0-9.]*)$/.test(path.basename(program))) return undefined;
  if (step.argv[1] !== "-E") return undefined;
  return FILE_COMMANDS[step.argv[2] ?? ""];
}

/**
 * Classify the bookkeeping commands of a CMake `VERBOSE=1` build: progress and dependency upkeep, the
 * re-configure check, and the clean-target script need nothing on OpenVMS. `cmake_link_script` without
 * `--verbose=1` runs a link whose command is in a file the log does not show, so it stays untranslated with a
 * hint. Returns undefined for any other command.
 */
export function cmakeBookkeeping(step: BuildStep): CmakeBookkeeping | undefined {
  const program = step.argv[0];
  if (program === undefined || !/^cmake(?:[0-9.]*)$/.test(path.basename(program))) return undefined;
  const words = step.argv.slice(1);

  if (words[0] === "-E") {
    const helper = words[1] ?? "";
    const reason = HELPER_REASONS[helper];
    if (reason !== undefined) return { disposition: "commented", reason };
    if (helper === "cmake_link_script") {
      // With --verbose=1 (what VERBOSE=1 passes) CMake prints each command of the script before running it,
      // so the link itself is the next step of the log.
      if (words.includes("--verbose=1")) {
        return {
          disposition: "commented",
          reason: `${NOTHING_NEEDED}: with --verbose=1 the commands of the link script follow in the log and are translated there`,
        };
      }
      const script = words[2] ?? "the link script";
      return {
        disposition: "not-translated",
        reason: `the link command is in ${script}, which the log does not show; rebuild with VERBOSE=1, or with the Ninja generator and ninja -v so the log shows the link, or translate the command in ${script} by hand`,
      };
    }
    return undefined;
  }
  if (words.some((word) => word === "--check-build-system")) {
    return {
      disposition: "commented",
      reason: `${NOTHING_NEEDED}: it checks whether CMake must configure the build again`,
    };
  }
  if (cleanTargetFolder(step) !== undefined) {
    return {
      disposition: "commented",
      reason: `${NOTHING_NEEDED}: the script deletes the old archive before ar writes it again, and LIBRARY/REPLACE updates the OpenVMS object library in place`,
    };
  }
  return undefined;
}

/**
 * Return the folder of the clean-target script that `cmake -P DIR/cmake_clean_target.cmake` runs, as the
 * command names it, or undefined for any other step. The Makefile generator runs the script, which deletes
 * the target's old archive, just before the link script of a static library in the same `CMakeFiles/NAME.dir`.
 */
export function cleanTargetFolder(step: BuildStep): string | undefined {
  const program = step.argv[0];
  if (program === undefined || !/^cmake(?:[0-9.]*)$/.test(path.basename(program))) return undefined;
  const scriptIndex = step.argv.indexOf("-P");
  const script = scriptIndex >= 1 ? step.argv[scriptIndex + 1] : undefined;
  if (script === undefined || path.basename(script) !== "cmake_clean_target.cmake") return undefined;
  return path.dirname(script);
}
