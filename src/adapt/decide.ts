import { casesOf } from "./knowledge.js";
import type { CrtlCondition, CrtlRule, TargetSettings, VmsTarget } from "./types.js";
import { crtlVersionNumber } from "./version.js";

/** Result for a macro on OpenVMS in one branch. */
export type Outcome = { status: "absent" } | { status: "present" } | { value: string };

/**
 * One branch of a decision. `tests` are preprocessor expressions that must all hold. An empty list means the
 * branch applies unconditionally: it is the `#else`, or the whole decision when it is the only branch.
 */
export interface Branch {
  tests: string[];
  outcome: Outcome;
}

/** Predefined macros of VSI C that name the processor, from the VSI C User's Guide (predefined macros). */
const TARGET_MACROS: Record<VmsTarget, string> = { alpha: "__alpha", ia64: "__ia64", x86_64: "__x86_64" };

/**
 * Decides an entry for the given settings. Conditions on fixed settings are evaluated now, and the others
 * become preprocessor tests, so the result is a list of branches whose last one has no test. An entry with
 * status `keep` gives an empty list.
 */
export function decide(rule: CrtlRule, settings: TargetSettings): Branch[] {
  const branches: Branch[] = [];
  for (const entry of casesOf(rule)) {
    const tests = entry.when ? testsFor(entry.when, settings) : [];
    if (tests === undefined) continue;
    const outcome: Outcome =
      entry.value !== undefined
        ? { value: entry.value }
        : { status: entry.status === "present" ? "present" : "absent" };
    branches.push({ tests, outcome });
    if (tests.length === 0) break;
  }
  return branches;
}

/** Returns the tests still open for a condition, or undefined when a fixed setting makes it false. */
function testsFor(condition: CrtlCondition, settings: TargetSettings): string[] | undefined {
  const tests: string[] = [];
  if (condition.since !== undefined) {
    const needed = crtlVersionNumber(condition.since);
    if (settings.vmsVersion === undefined) tests.push(`__CRTL_VER >= ${needed}`);
    else if (crtlVersionNumber(settings.vmsVersion) < needed) return undefined;
  }
  if (condition.pointerSize !== undefined) {
    if (settings.pointerSize === undefined) {
      // __INITIAL_POINTER_SIZE is 32 or 64 when /POINTER_SIZE is given and 0 otherwise (HP C User's Guide, 64-bit addressing).
      const wide = "(defined __INITIAL_POINTER_SIZE && __INITIAL_POINTER_SIZE == 64)";
      tests.push(condition.pointerSize === 64 ? wide : `!${wide}`);
    } else if (settings.pointerSize !== condition.pointerSize) {
      return undefined;
    }
  }
  if (condition.targets !== undefined) {
    if (settings.target === undefined) {
      const names = condition.targets.map((target) => `defined ${TARGET_MACROS[target]}`);
      tests.push(names.length === 1 ? (names[0] ?? "") : `(${names.join(" || ")})`);
    } else if (!condition.targets.includes(settings.target)) {
      return undefined;
    }
  }
  if (condition.expression !== undefined) tests.push(`(${condition.expression})`);
  return tests;
}

/** Joins the tests of a branch into one `#if` expression. */
export function joinTests(tests: readonly string[]): string {
  return tests.join(" && ");
}
