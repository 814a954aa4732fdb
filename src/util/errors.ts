/**
 * Exit codes shared by every command. They are part of the CLI contract and documented in the README.
 */
export const ExitCode = {
  /** The command worked and found nothing to report. */
  ok: 0,
  /** The command worked and found problems (findings at or above --fail-on, untranslated steps under --strict). */
  problems: 1,
  /** Invalid usage, an unreadable or invalid input, rule or configuration file, or a skipped input. */
  usage: 2,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Location of a problem in a user's file; line and column are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/**
 * An error caused by the user's input, options or files. The CLI prints it as one message without a stack
 * trace and exits with code 2. `hint` says what to do next.
 */
export class UserError extends Error {
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;

  constructor(message: string, options: { location?: SourceLocation; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "UserError";
    this.location = options.location;
    this.hint = options.hint;
  }
}

/** Render a location as `file:line:column`, leaving out the parts that are unknown. */
export function formatLocation(location: SourceLocation): string {
  // `-` names standard input on the command line, where a message would read as a stray dash.
  let text = location.file === "-" ? "standard input" : location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}

/** Render a user error as the single message the CLI prints. */
export function formatUserError(error: UserError): string {
  const where = error.location ? `${formatLocation(error.location)}: ` : "";
  const hint = error.hint ? `\n  ${error.hint}` : "";
  return `${where}${error.message}${hint}`;
}
