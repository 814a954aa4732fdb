import { type DclCommand, type DclParameter, type DclWord, raw } from "../dcl/index.js";

/**
 * Indentation after the tab of a continued action record; with the tab it is as long as the procedure's
 * four blanks.
 */
export const MMS_CONTINUATION_INDENT = "   ";

/** Replace symbol references (`'CC_QUALIFIERS'`) by the MMS macro of the same name (`$(CC_QUALIFIERS)`). */
export function withMacros(command: DclCommand): DclCommand {
  if (command.parameters === undefined) return command;
  const parameters = command.parameters.map((parameter): DclWord | DclParameter => {
    if (typeof parameter !== "string" && "kind" in parameter && parameter.kind === "symbol")
      return raw(`$(${parameter.name})`);
    return parameter;
  });
  return { ...command, parameters };
}
