/**
 * The heading comment of each step in a procedure: the step's number, log lines and command. It depends on
 * the step alone, so the parser thread of `vmsport translate` can render it ahead of the translation.
 */
import { type RenderOptions, renderComment } from "../dcl/index.js";
import type { StepSummary } from "./plan.js";

/** Characters of a translated step's log line shown in its heading comment. */
const HEADING_COMMAND_LENGTH = 240;

/**
 * Heading text of a step. A translated step shows its command in the DCL that follows, so with `shortened`
 * a long log line is cut to its first 240 characters. A step left for the porter keeps the whole command.
 */
export function headingText(step: StepSummary, shortened: boolean): string {
  const origin = step.origin;
  const lines =
    origin.startLine === origin.endLine
      ? `line ${origin.startLine}`
      : `lines ${origin.startLine}-${origin.endLine}`;
  const command =
    shortened && step.command.length > HEADING_COMMAND_LENGTH
      ? `${step.command.slice(0, HEADING_COMMAND_LENGTH)} ...`
      : step.command;
  return `[${step.index + 1}] ${lines}: ${command}`;
}

/**
 * Render the shortened heading of a step as comment records, or return undefined when they cannot be
 * rendered apart from the notes that follow them. The procedure renders the heading and the notes as one
 * text joined by line ends, and a heading ending in a carriage return would merge with that line end.
 */
export function headingRecords(step: StepSummary, options: RenderOptions): string[] | undefined {
  const text = headingText(step, true);
  if (text.endsWith("\r")) return undefined;
  return renderComment(text, options);
}
