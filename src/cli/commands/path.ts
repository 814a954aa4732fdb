import type { Command } from "commander";
import { UserError } from "../../util/errors.js";
import type { Wrap } from "./index.js";

export function registerPathCommand(program: Command, wrap: Wrap): void {
  program
    .command("path")
    .description("translate file specifications between Unix and OpenVMS syntax")
    .argument("<path...>", "paths to translate")
    .option("--to-unix", "translate OpenVMS file specifications to Unix paths")
    .option("--ods <level>", "on-disk structure level of the target volume: 2 or 5", "5")
    .option("--format <format>", "output format: text or json", "text")
    .action(
      wrap(async () => {
        throw new UserError("the path command is not available yet");
      }),
    );
}
