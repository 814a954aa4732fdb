import type { Command } from "commander";
import { UserError } from "../../util/errors.js";
import type { Wrap } from "./index.js";

export function registerScanCommand(program: Command, wrap: Wrap): void {
  program
    .command("scan")
    .description("scan")
    .action(
      wrap(async () => {
        throw new UserError("the scan command is not available yet");
      }),
    );
}
