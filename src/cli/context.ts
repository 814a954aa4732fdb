import type { ChalkInstance } from "chalk";
import type { Logger } from "../util/terminal.js";
import type { LoadedConfig } from "./config-file.js";

/** Streams and settings handed to every command; tests replace the streams. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * What a command's action receives: the global options already applied. `logger` writes diagnostics to
 * standard error; results go to `io.stdout` or to the `-o` file.
 */
export interface CommandContext {
  io: CliIo;
  logger: Logger;
  /** Colours for results written to standard output; level 0 when stdout is not a terminal. */
  stdoutColor: ChalkInstance;
  config: LoadedConfig;
}

/** Pick the command-line value, else the configuration file's, else the default. */
export function resolveSetting<T>(cli: T | undefined, config: T | undefined, fallback: T): T {
  if (cli !== undefined) return cli;
  if (config !== undefined) return config;
  return fallback;
}
