import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { type DclLimits, DEFAULT_LIMITS } from "../../dcl/index.js";
import { type DescriptionHeader, renderDescription } from "../../emit/description.js";
import type { ExportList, TranslateOptions } from "../../emit/options.js";
import { inferSourceRoot } from "../../emit/paths.js";
import type { BuildPlan } from "../../emit/plan.js";
import { ProcedureBody, type ProcedureHeader } from "../../emit/procedure.js";
import { parseExportList } from "../../emit/symbols.js";
import { Translator } from "../../emit/translate.js";
import { parseLogText } from "../../log/index.js";
import type { BuildStep } from "../../model/steps.js";
import { loadTranslateRules } from "../../rules/translate/index.js";
import type { TargetName } from "../../rules/translate/types.js";
import { ExitCode, UserError } from "../../util/errors.js";
import { type OutputFile, readInput, STDIO_NAME, writeFilesAtomically, writeOutput } from "../../util/io.js";
import { type CommandContext, layeredRuleFiles, resolveSetting } from "../context.js";
import type { Wrap } from "./index.js";

const require = createRequire(import.meta.url);
const { version } = require("../../../package.json") as { version: string };

interface TranslateCliOptions {
  output?: string;
  format?: "dcl" | "mms";
  rules?: string[];
  target?: TargetName;
  pointerSize?: "32" | "64";
  rootLogical?: string;
  sourceRoot?: string;
  exports?: string;
  maxCommand?: number;
  strict?: boolean;
  force?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseMaxCommand(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 256 || number > 8192) {
    throw new InvalidArgumentError(
      "give a whole number of bytes from 256 to 8192 (1024 before OpenVMS 7.3-2, up to 4096 after)",
    );
  }
  return number;
}

export function registerTranslateCommand(program: Command, wrap: Wrap): void {
  program
    .command("translate")
    .description("translate a Unix build log into an OpenVMS DCL command procedure or MMS description file")
    .argument("<log>", 'build log to translate, or "-" for standard input')
    .option(
      "-o, --output <file>",
      "write the procedure here; options files and headers go beside it (default: standard output, with generated files in the current directory)",
    )
    .addOption(
      new Option(
        "--format <format>",
        "output format: dcl (command procedure) or mms (description file); default dcl",
      ).choices(["dcl", "mms"]),
    )
    .option(
      "--rules <file>",
      "translation rule file layered over the built-in rules; repeatable, later files win",
      collect,
    )
    .addOption(
      new Option("--target <arch>", "OpenVMS architecture; default x86_64").choices([
        "alpha",
        "ia64",
        "x86_64",
      ]),
    )
    .addOption(
      new Option(
        "--pointer-size <bits>",
        "C pointer size in bits; 64 adds /POINTER_SIZE=64=ARGV; default 32",
      ).choices(["32", "64"]),
    )
    .option(
      "--root-logical <name>",
      "logical name for the source root, used for absolute paths inside it (default BUILD$ROOT)",
    )
    .option(
      "--source-root <dir>",
      "Unix directory the root logical stands for (default: the deepest directory containing every step directory, or every absolute source)",
    )
    .option("--exports <file>", "names a shareable image exports: one per line, or nm -g output")
    .option(
      "--max-command <bytes>",
      "longest DCL command in bytes after symbol substitution; default 1024, 4096 from OpenVMS 7.3-2",
      parseMaxCommand,
    )
    .option("--strict", "exit with status 1 when any step is not translated")
    .option("--force", "overwrite existing output files")
    .action(
      wrap((context: CommandContext, log: string, options: TranslateCliOptions) =>
        runTranslate(context, log, options),
      ),
    );
}

/** Resolve a path from the configuration file against the configuration file's directory. */
function fromConfig(context: CommandContext, file: string | undefined): string | undefined {
  return file === undefined ? undefined : path.resolve(context.config.directory, file);
}

async function runTranslate(context: CommandContext, log: string, cli: TranslateCliOptions): Promise<number> {
  const settings = context.config.settings;
  const section = settings.translate ?? {};
  const format = resolveSetting(cli.format, section.format, "dcl");
  const target = resolveSetting(cli.target, settings.target, "x86_64");
  const pointerSize = resolveSetting(
    cli.pointerSize === undefined ? undefined : (Number(cli.pointerSize) as 32 | 64),
    settings.pointerSize,
    32,
  );
  const rootLogical = resolveSetting(cli.rootLogical, section.rootLogical, undefined);
  const sourceRoot = resolveSetting(cli.sourceRoot, section.sourceRoot, undefined);
  const exportsFile = resolveSetting(cli.exports, fromConfig(context, section.exports), undefined);
  const maxCommand = resolveSetting(cli.maxCommand, section.maxCommand, DEFAULT_LIMITS.maxCommand);
  const strict = resolveSetting(cli.strict, section.strict, false);
  // Configuration-file rules of other families (scan, crtl) are skipped; a --rules file of another family is an error.
  const ruleFiles = layeredRuleFiles(context, cli.rules, "translate");

  if (rootLogical !== undefined && !/^[A-Za-z0-9$_-]{1,255}:?$/.test(rootLogical)) {
    throw new UserError(`invalid logical name "${rootLogical}" for --root-logical`, {
      hint: "Use letters, digits, $, _ and -, for example SRC$ROOT.",
    });
  }
  if (sourceRoot !== undefined && !sourceRoot.startsWith("/")) {
    throw new UserError(`the source root "${sourceRoot}" is not an absolute Unix directory`, {
      hint: "Give the directory as the log names it, for example /home/user/src/zlib.",
    });
  }

  const rules = loadTranslateRules(ruleFiles);
  const exports = exportsFile === undefined ? undefined : readExports(exportsFile);
  const limits: DclLimits = { ...DEFAULT_LIMITS, maxCommand };
  const output = cli.output === STDIO_NAME ? undefined : cli.output;
  const outputDirectory =
    output === undefined ? context.io.cwd : path.dirname(path.resolve(context.io.cwd, output));
  const procedureName =
    output === undefined
      ? format === "mms"
        ? "DESCRIP.MMS"
        : "BUILD.COM"
      : path.basename(output).toUpperCase();
  const fileStem = (
    output === undefined
      ? format === "mms"
        ? "descrip"
        : "build"
      : path.basename(output).replace(/\.[^.]*$/, "")
  ).toLowerCase();

  const text = await readInput(log, "build log");
  const parsed = parseLogText(text, { file: log });
  const logDirectory = log === STDIO_NAME ? context.io.cwd : path.dirname(path.resolve(context.io.cwd, log));
  const options: TranslateOptions = {
    rules,
    target,
    pointerSize,
    ...(rootLogical === undefined ? {} : { rootLogical }),
    ...(sourceRoot === undefined ? {} : { sourceRoot }),
    ...(exports === undefined ? {} : { exports }),
    limits,
    fileStem,
    readVersionScript: (file, root) => readVersionScript(file, root, logDirectory),
  };
  const header = {
    log: log === STDIO_NAME ? "standard input" : path.basename(log),
    generatedAt: new Date().toISOString(),
    target,
    pointerSize,
    version,
  };
  const { plan, content } =
    format === "mms"
      ? describe(parsed.steps, options, header)
      : procedure(parsed.steps, options, { ...header, procedureName });

  const files: OutputFile[] = plan.files.map((file) => ({
    path: path.join(outputDirectory, file.name),
    content: file.content,
  }));
  const force = cli.force === true;
  if (output === undefined) {
    if (files.length > 0) await writeFilesAtomically(files, { force });
    await writeOutput(undefined, content, { force }, context.io.stdout);
  } else {
    await writeFilesAtomically([{ path: output, content }, ...files], { force });
  }

  reportSummary(context, plan, output, files.length);
  if (strict && plan.summary.notTranslated > 0) return ExitCode.problems;
  return ExitCode.ok;
}

/** Translate and render a procedure, rendering each step as soon as it is translated and then dropping it. */
function procedure(
  steps: BuildStep[],
  options: TranslateOptions,
  header: ProcedureHeader,
): { plan: BuildPlan; content: string } {
  const root = options.sourceRoot ?? inferSourceRoot(steps);
  const translator = new Translator(options, root, false);
  const body = new ProcedureBody({ limits: options.limits, symbolValues: { ...translator.symbols } });
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    if (step === undefined) continue;
    body.add(translator.add(step));
    // Releasing each step keeps the live heap small on logs of many megabytes.
    steps[index] = undefined as unknown as BuildStep;
  }
  const plan = translator.finish();
  return { plan, content: body.finish(plan, header) };
}

/** Translate and render a description file, which needs every step before its rules can be written. */
function describe(
  steps: BuildStep[],
  options: TranslateOptions,
  header: DescriptionHeader,
): { plan: BuildPlan; content: string } {
  const plan = Translator.translate(steps, options);
  return {
    plan,
    content: renderDescription(plan, header, { limits: options.limits, symbolValues: plan.symbols }),
  };
}

function readExports(file: string): ExportList {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === "ENOENT" ? "export list not found" : `export list cannot be read: ${(error as Error).message}`,
      {
        location: { file },
        hint: "Give a file with one exported name per line, or the output of nm -g.",
      },
    );
  }
  return parseExportList(text, file);
}

/**
 * Read a version script named in the log. The log's absolute path usually belongs to the machine that ran
 * the build, so the same path is also tried below the log file's own directory.
 */
function readVersionScript(
  file: string,
  sourceRoot: string | undefined,
  logDirectory: string,
): string | undefined {
  const candidates = [file];
  if (sourceRoot !== undefined && file.startsWith(`${sourceRoot}/`))
    candidates.push(path.join(logDirectory, file.slice(sourceRoot.length + 1)));
  candidates.push(path.join(logDirectory, path.basename(file)));
  for (const candidate of candidates) {
    if (existsSync(candidate)) {
      try {
        return readFileSync(candidate, "utf8");
      } catch {
        // An unreadable candidate is treated like a missing one; the link step then names what to provide.
      }
    }
  }
  return undefined;
}

function reportSummary(
  context: CommandContext,
  plan: BuildPlan,
  output: string | undefined,
  generated: number,
): void {
  const summary = plan.summary;
  const where = output === undefined ? "standard output" : output;
  context.logger.info(
    `${summary.steps} steps: ${summary.translated} translated, ${summary.commented} need no command, ${summary.notTranslated} not translated; written to ${where}${generated > 0 ? ` with ${generated} options files and headers` : ""}`,
  );
  if (summary.unknownFlags > 0)
    context.logger.warn(
      `${summary.unknownFlags} compiler options matched no rule and were left out (see the NOTE comments)`,
    );
  if (summary.untranslatableFlags > 0)
    context.logger.warn(
      `${summary.untranslatableFlags} compiler options have no OpenVMS equivalent (see the NOTE comments)`,
    );
  if (summary.unresolvedLibraries > 0)
    context.logger.warn(
      `${summary.unresolvedLibraries} -l libraries need a library rule or a file name in the options file`,
    );
  if (summary.outsidePaths.length > 0) {
    const shown = summary.outsidePaths.slice(0, 5).join(", ");
    const more = summary.outsidePaths.length > 5 ? ` and ${summary.outsidePaths.length - 5} more` : "";
    context.logger.warn(
      `${summary.outsidePaths.length} absolute paths lie outside the source root: ${shown}${more}`,
    );
  }
  if (summary.notTranslated > 0)
    context.logger.warn(
      `${summary.notTranslated} steps were not translated; search the output for NOT TRANSLATED`,
    );
}
