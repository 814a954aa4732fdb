import type { Command } from "commander";
import { UserError } from "../../util/errors.js";
import type { Wrap } from "./index.js";

export function registerRulesCommand(program: Command, wrap: Wrap): void {
  program
    .command("rules")
    .description("rules")
    .action(
      wrap(async () => {
        throw new UserError("the rules command is not available yet");
      }),
    );
}
