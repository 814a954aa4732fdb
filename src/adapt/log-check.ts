import type { ParsedLog } from "../model/steps.js";
import { UserError } from "../util/errors.js";

/**
 * Rejects a log in which the parser found no build output, with the same test and message as
 * `vmsport parse`: no classified step, no silent-rule target and no make directory message. Without this,
 * a prose file or an empty file would yield a setup procedure that defines only the CRTL feature logicals.
 * NOTE: the test repeats the one inside the parse command. Both should call one function of the log reader
 * once it exports one.
 */
export function assertBuildOutput(parsed: ParsedLog, file: string): void {
  const { steps, silentRuleTargets, lineCounts } = parsed.summary;
  const classifiedSteps = steps.compile + steps.archive + steps.link + steps.shell;
  if (classifiedSteps > 0 || silentRuleTargets > 0 || (lineCounts?.directory ?? 0) > 0) return;
  throw new UserError("the file contains no recognisable build output", {
    location: { file },
    hint: "Give the log of a make, cmake or ninja build, captured with its commands shown (V=1, VERBOSE=1 or ninja -v).",
  });
}
