import { availableParallelism } from "node:os";
import path from "node:path";
import type { ChalkInstance } from "chalk";
import { type RuleFamily, ruleFileFamily, ruleFilesOfFamily } from "../rules/kind.js";
import { UserError } from "../util/errors.js";
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
 * Context passed to a command's action, with the global options already applied. `logger` writes diagnostics to
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
/**
 * Limit a requested thread count to twice the CPUs. More threads than that only add memory and start-up
 * work, and a mistyped `--jobs 1000` would otherwise start a thousand V8 isolates.
 */
export function limitJobs(requested: number, logger: Logger): number {
  const cpus = availableParallelism();
  const limit = 2 * cpus;
  if (requested <= limit) return requested;
  logger.warn(
    `${requested} threads requested, ${limit} used: more than twice the ${cpus} CPUs would only add memory and start-up time`,
  );
  return limit;
}

/**
 * Name where the target and the OpenVMS version of a command come from, for `checkTargetVersion`: the
 * option, or the key and the path of the configuration file.
 */
export function targetVersionOrigins(
  context: CommandContext,
  options: { target?: unknown; vmsVersion?: unknown },
): { target: string; version: string } {
  const configFile = context.config.file ?? "the configuration file";
  return {
    target: options.target !== undefined ? "--target" : `target in ${configFile}`,
    version: options.vmsVersion !== undefined ? "--vms-version" : `vmsVersion in ${configFile}`,
  };
}

export function resolveSetting<T>(cli: T | undefined, config: T | undefined, fallback: T): T {
  if (cli !== undefined) return cli;
  if (config !== undefined) return config;
  return fallback;
}

/**
 * Rule files of one family from the configuration file (resolved against its directory) followed by the
 * `--rules` files of the command line (resolved against the current directory), in that order, so later
 * files override earlier ones by rule id.
 */
export function layeredRuleFiles(
  context: CommandContext,
  cliFiles: readonly string[] | undefined,
  family: RuleFamily,
): string[] {
  const fromConfig = (context.config.settings.rules ?? []).map((file) =>
    path.resolve(context.config.directory, file),
  );
  const fromCli = (cliFiles ?? []).map((file) => path.resolve(context.io.cwd, file));
  for (const [index, file] of fromCli.entries()) {
    const found = ruleFileFamily(file);
    if (found !== family) {
      throw new UserError(`rule file is for ${found} rules, but this command reads ${family} rules`, {
        location: { file: cliFiles?.[index] ?? file },
        hint: "List it in the configuration file's rules instead, or pass it to the command that reads it.",
      });
    }
  }
  return [...ruleFilesOfFamily(fromConfig, family), ...fromCli];
}
