import type { Command } from "commander";
import { UserError } from "../../util/errors.js";
import type { Wrap } from "./index.js";

export function registerConfigCommand(program: Command, wrap: Wrap): void {
  program
    .command("config")
    .description("config")
    .action(
      wrap(async () => {
        throw new UserError("the config command is not available yet");
      }),
    );
}
