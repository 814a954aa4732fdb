import type { Command } from "commander";
import { UserError } from "../../util/errors.js";
import type { Wrap } from "./index.js";

export function registerTranslateCommand(program: Command, wrap: Wrap): void {
  program
    .command("translate")
    .description("translate")
    .action(
      wrap(async () => {
        throw new UserError("the translate command is not available yet");
      }),
    );
}
