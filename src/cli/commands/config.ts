import path from "node:path";
import { type Command, Option } from "commander";
import type { PointerSize, TargetSettings, VmsTarget } from "../../adapt/index.js";
import {
  adjustHeader,
  checkTargetVersion,
  checkVmsVersion,
  configReportJson,
  configReportText,
  decodeConfigHeader,
  loadCrtlKnowledgeBase,
} from "../../adapt/index.js";
import { plural } from "../../report/common.js";
import { ExitCode } from "../../util/errors.js";
import { readInput, STDIO_NAME, writeOutput } from "../../util/io.js";
import { type CommandContext, resolveSetting, targetVersionOrigins } from "../context.js";
import type { Wrap } from "./index.js";

interface ConfigOptions {
  output?: string;
  force?: boolean;
  vmsVersion?: string;
  target?: VmsTarget;
  pointerSize?: string;
  format?: "header" | "json" | "text";
}

export function registerConfigCommand(program: Command, wrap: Wrap): void {
  program
    .command("config")
    .description("adjust a Unix config.h (autoconf or cmake) to the OpenVMS C run-time library")
    .argument(
      "<config-h>",
      'config.h written by configure or cmake, or a cmake template; "-" reads standard input',
    )
    .option("-o, --output <file>", "write the result to this file instead of standard output")
    .option("--force", "replace an existing output file")
    .option(
      "--vms-version <version>",
      "oldest OpenVMS version to support, for example 8.4; without it, version-dependent macros become #if __CRTL_VER tests",
    )
    .addOption(
      new Option(
        "--target <arch>",
        "processor architecture; without it, target-dependent macros become #if tests",
      ).choices(["alpha", "ia64", "x86_64"]),
    )
    .addOption(
      new Option(
        "--pointer-size <bits>",
        "C pointer size in bits (CC /POINTER_SIZE); without it, pointer sizes become #if tests",
      ).choices(["32", "64"]),
    )
    .addOption(
      new Option(
        "--format <format>",
        "header: the adjusted config.h; json or text: the report of changes",
      ).choices(["header", "json", "text"]),
    )
    .action(
      wrap(async (context: CommandContext, file: string, options: ConfigOptions) =>
        runConfig(context, file, options),
      ),
    );
}

async function runConfig(context: CommandContext, file: string, options: ConfigOptions): Promise<number> {
  const { settings, directory } = context.config;
  const format = resolveSetting(options.format, settings.config?.format, "header");
  const target: TargetSettings = {};
  const version = resolveSetting(options.vmsVersion, settings.vmsVersion, undefined);
  if (version !== undefined)
    target.vmsVersion = checkVmsVersion(
      version,
      options.vmsVersion !== undefined ? "--vms-version" : "the configuration file",
    );
  const pointerSize = resolveSetting(
    options.pointerSize === undefined ? undefined : (Number(options.pointerSize) as PointerSize),
    settings.pointerSize,
    undefined,
  );
  if (pointerSize !== undefined) target.pointerSize = pointerSize;
  const arch = resolveSetting(options.target, settings.target, undefined);
  if (arch !== undefined) target.target = arch;
  if (target.target !== undefined && target.vmsVersion !== undefined) {
    checkTargetVersion(target.target, target.vmsVersion, targetVersionOrigins(context, options));
  }

  const ruleFiles = (settings.rules ?? []).map((rule) => path.resolve(directory, rule));
  const knowledge = loadCrtlKnowledgeBase(ruleFiles);
  context.logger.debug("config", `${knowledge.rules.length} CRTL rules loaded`);

  const input = decodeConfigHeader(
    await readInput(file, "config.h"),
    file === STDIO_NAME ? "standard input" : file,
  );
  const result = adjustHeader(input, knowledge, target, { file });
  const content =
    format === "json"
      ? configReportJson(result.report)
      : format === "text"
        ? configReportText(result.report)
        : result.text;
  await writeOutput(options.output, content, { force: options.force === true }, context.io.stdout);

  if (format === "header") {
    const tests = result.report.review.filter((item) => item.category === "platform-test").length;
    context.logger.info(
      `${file}: ${plural(result.report.changes.length, "change")}; ${plural(tests, "configure result")} the knowledge base does not decide ${tests === 1 ? "was" : "were"} kept for review (run with --format text to list ${tests === 1 ? "it" : "them"})`,
    );
  }
  return ExitCode.ok;
}
