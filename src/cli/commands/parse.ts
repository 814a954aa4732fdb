import type { Command } from "commander";
import { UserError } from "../../util/errors.js";
import type { Wrap } from "./index.js";

export function registerParseCommand(program: Command, wrap: Wrap): void {
  program
    .command("parse")
    .description("parse")
    .action(
      wrap(async () => {
        throw new UserError("the parse command is not available yet");
      }),
    );
}
