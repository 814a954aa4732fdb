import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { registerConfigCommand } from "./config.js";
import { registerParseCommand } from "./parse.js";
import { registerPathCommand } from "./path.js";
import { registerRulesCommand } from "./rules.js";
import { registerScanCommand } from "./scan.js";
import { registerSetupCommand } from "./setup.js";
import { registerTranslateCommand } from "./translate.js";

/**
 * Turns a command's action into a commander action: the wrapper prepares the context (configuration file,
 * logger, colours) and records the exit code the action returns.
 */
export type Wrap = <A extends unknown[]>(
  action: (context: CommandContext, ...args: A) => Promise<number>,
) => (...args: A) => Promise<void>;

export function registerCommands(program: Command, wrap: Wrap): void {
  registerParseCommand(program, wrap);
  registerTranslateCommand(program, wrap);
  registerScanCommand(program, wrap);
  registerConfigCommand(program, wrap);
  registerSetupCommand(program, wrap);
  registerRulesCommand(program, wrap);
  registerPathCommand(program, wrap);
}
