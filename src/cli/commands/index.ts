import type { Command } from "commander";
import type { CommandContext } from "../context.js";

/**
 * Turns a command's action into a commander action: the wrapper prepares the context (configuration file,
 * logger, colours) and records the exit code the action returns.
 */
export type Wrap = <A extends unknown[]>(
  action: (context: CommandContext, ...args: A) => Promise<number>,
) => (...args: A) => Promise<void>;

type Register = (program: Command, wrap: Wrap) => void;

/**
 * Command modules by name, in the order `--help` lists them. Each is imported only when it is registered,
 * because importing all of them (and the report formatters, log parser and scanner behind them) costs more
 * start-up time than most runs spend on their work.
 */
const COMMAND_MODULES: Record<string, () => Promise<Register>> = {
  parse: async () => (await import("./parse.js")).registerParseCommand,
  translate: async () => (await import("./translate.js")).registerTranslateCommand,
  scan: async () => (await import("./scan.js")).registerScanCommand,
  config: async () => (await import("./config.js")).registerConfigCommand,
  setup: async () => (await import("./setup.js")).registerSetupCommand,
  rules: async () => (await import("./rules.js")).registerRulesCommand,
  path: async () => (await import("./path.js")).registerPathCommand,
};

export const COMMAND_NAMES: readonly string[] = Object.keys(COMMAND_MODULES);

/**
 * Register the named commands, or all of them when `names` is omitted. Registering only the command a run
 * uses keeps the other modules unloaded; the top-level help and "unknown command" suggestions need all.
 */
export async function registerCommands(
  program: Command,
  wrap: Wrap,
  names: readonly string[] = COMMAND_NAMES,
): Promise<void> {
  const wanted = COMMAND_NAMES.filter((name) => names.includes(name));
  const registers = await Promise.all(
    wanted.map((name) => (COMMAND_MODULES[name] as () => Promise<Register>)()),
  );
  for (const register of registers) register(program, wrap);
}
