import { Chalk, type ChalkInstance, supportsColor } from "chalk";

export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * Decide the colour level for one output stream. `--no-color` and a non-empty NO_COLOR win over everything
 * (https://no-color.org). FORCE_COLOR forces colour even into a pipe, and its values `0` and `false` mean none.
 * Otherwise colour is used only when the stream is a terminal. NO_COLOR is checked here because the supports-color copy
 * bundled with chalk 5 does not read it.
 */
export function colorLevel(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  noColorFlag = false,
): ColorLevel {
  if (noColorFlag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "0" || force === "false") return 0;
    if (force === "2") return 2;
    if (force === "3") return 3;
    return 1;
  }
  if (!stream.isTTY) return 0;
  if (env.TERM === "dumb") return 0;
  const detected = supportsColor ? supportsColor.level : 1;
  return (detected === 0 ? 1 : detected) as ColorLevel;
}

export function makeChalk(level: ColorLevel): ChalkInstance {
  return new Chalk({ level });
}

export type Verbosity = "quiet" | "normal" | "verbose" | "debug";

/**
 * Writes diagnostics to standard error. Results never go through the logger, so `--quiet` silences only
 * messages and a pipe of standard output always carries results alone.
 */
export class Logger {
  constructor(
    private readonly stream: NodeJS.WritableStream,
    readonly verbosity: Verbosity,
    readonly color: ChalkInstance,
  ) {}

  /** A failure the user must act on; printed even with --quiet. */
  error(message: string): void {
    this.stream.write(`${this.color.red.bold("error")}: ${message}\n`);
  }

  warn(message: string): void {
    if (this.verbosity !== "quiet") this.stream.write(`${this.color.yellow("warning")}: ${message}\n`);
  }

  info(message: string): void {
    if (this.verbosity !== "quiet") this.stream.write(`${message}\n`);
  }

  verbose(message: string): void {
    if (this.verbosity === "verbose" || this.verbosity === "debug") this.stream.write(`${message}\n`);
  }

  /** Internal tracing under --debug, tagged with the module that wrote it, for example `parse:make`. */
  debug(namespace: string, message: string): void {
    if (this.verbosity === "debug") this.stream.write(`${this.color.dim(`[${namespace}]`)} ${message}\n`);
  }

  get isDebug(): boolean {
    return this.verbosity === "debug";
  }
}
