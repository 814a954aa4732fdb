import type { Command } from "commander";
import { UserError } from "../../util/errors.js";
import type { Wrap } from "./index.js";

export function registerSetupCommand(program: Command, wrap: Wrap): void {
  program
    .command("setup")
    .description("setup")
    .action(
      wrap(async () => {
        throw new UserError("the setup command is not available yet");
      }),
    );
}
