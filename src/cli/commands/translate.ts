import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { type DclLimits, DEFAULT_LIMITS } from "../../dcl/index.js";
import { type DescriptionHeader, renderDescription } from "../../emit/description.js";
import type { ExportList, TranslateOptions } from "../../emit/options.js";
import { anchorStartDirectory, inferSourceRoot } from "../../emit/paths.js";
import type { BuildPlan, GeneratedFile } from "../../emit/plan.js";
import { ProcedureBody, type ProcedureHeader } from "../../emit/procedure.js";
import { checkExportListIsText, parseExportList } from "../../emit/symbols.js";
import { MAX_COMMAND_LIMIT, Translator } from "../../emit/translate.js";
import { StagedOutput } from "../../emit/write.js";
import { parseLogText } from "../../log/index.js";
import type { BuildStep } from "../../model/steps.js";
import { loadTranslateRulesCached } from "../../rules/translate/cache.js";
import type { TargetName } from "../../rules/translate/types.js";
import { ExitCode, UserError } from "../../util/errors.js";
import { readInput, STDIO_NAME } from "../../util/io.js";
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

/**
 * Smallest `--max-command` the option parser accepts. The target's shared qualifiers usually need more, which
 * the translator checks once the target is known.
 */
const MIN_COMMAND_LIMIT = 256;

function parseMaxCommand(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < MIN_COMMAND_LIMIT || number > MAX_COMMAND_LIMIT) {
    throw new InvalidArgumentError(
      `give a whole number of bytes from ${MIN_COMMAND_LIMIT} to ${MAX_COMMAND_LIMIT} (at most 1024 before OpenVMS 7.3-2)`,
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
      "write the procedure here; options files and headers go beside it (default: standard output, where a procedure creates them itself with CREATE)",
    )
    .addOption(
      new Option(
        "-f, --format <format>",
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
      "logical name for the source root, used for absolute paths inside it; quote it in the shell (default SRC$ROOT)",
    )
    .option(
      "--source-root <dir>",
      "Unix directory the root logical stands for (default: the deepest directory containing every step directory, or every absolute source)",
    )
    .option("--exports <file>", "names a shareable image exports: one per line, or nm -g output")
    .option(
      "--max-command <bytes>",
      "longest DCL command in bytes after symbol substitution, up to 4096 (OpenVMS 7.3-2 and later); default 1024",
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
  if (rootLogical !== undefined && !rootLogical.includes("$")) {
    // An unquoted SRC$ROOT reaches us as SRC when the shell expands $ROOT to nothing.
    context.logger.warn(
      `the root logical name "${rootLogical}" contains no "$"; if you meant a name such as ${rootLogical.replace(/:$/, "")}$ROOT, the shell expanded the part from "$": quote it, as in --root-logical 'SRC$ROOT'`,
    );
  }
  if (sourceRoot !== undefined && !sourceRoot.startsWith("/")) {
    throw new UserError(`the source root "${sourceRoot}" is not an absolute Unix directory`, {
      hint: "Give the directory as the log names it, for example /home/user/src/zlib.",
    });
  }

  const rules = await loadTranslateRulesCached(ruleFiles);
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
  rejectUnrecognisedLog(parsed, log);
  const rootGuessed = sourceRoot === undefined && placeStartDirectory(parsed.steps, log, context.logger);
  const logDirectory = log === STDIO_NAME ? context.io.cwd : path.dirname(path.resolve(context.io.cwd, log));
  const versionScripts = new Map<string, string | undefined>();
  const options: TranslateOptions = {
    rules,
    target,
    pointerSize,
    ...(rootLogical === undefined ? {} : { rootLogical }),
    ...(sourceRoot === undefined ? {} : { sourceRoot }),
    ...(exports === undefined ? {} : { exports }),
    limits,
    fileStem,
    readVersionScript: (file, root) => {
      // A log may link the same library many times, and the script does not change during one run.
      const key = `${root ?? ""}\0${file}`;
      if (!versionScripts.has(key)) versionScripts.set(key, readVersionScript(file, root, logDirectory));
      return versionScripts.get(key);
    },
  };
  const header = {
    log: log === STDIO_NAME ? "standard input" : path.basename(log),
    generatedAt: new Date().toISOString(),
    target,
    pointerSize,
    version,
    rootGuessed,
  };
  const force = cli.force === true;
  // Options files and headers are written while the translation runs (see StagedOutput).
  const staging = output === undefined ? undefined : new StagedOutput(output, force);
  const stage = (files: readonly GeneratedFile[], from: number): number => {
    if (staging === undefined) return files.length;
    for (let index = from; index < files.length; index++) {
      const file = files[index] as GeneratedFile;
      staging.stage(path.join(outputDirectory, file.name), file.content);
    }
    return files.length;
  };
  let plan: BuildPlan;
  try {
    let content: string | readonly string[];
    ({ plan, content } =
      format === "mms"
        ? describe(parsed.steps, options, header, stage)
        : procedure(
            parsed.steps,
            options,
            { ...header, procedureName, embedFiles: output === undefined },
            stage,
          ));

    if (staging === undefined) {
      // A procedure on standard output creates its options files and headers itself. MMS has no inline data,
      // so a description file that needs them must be written to a file they can sit beside.
      if (format === "mms" && plan.files.length > 0) {
        throw new UserError(
          `the description file needs ${plan.files.length === 1 ? "1 options file or header" : `${plan.files.length} options files and headers`} beside it, which standard output cannot carry`,
          {
            hint: "Write it to a file with -o, for example -o DESCRIP.MMS; the generated files go into the same directory.",
          },
        );
      }
      await writeChunks(context.io.stdout, content);
    } else {
      await staging.commit(content);
    }
  } catch (error) {
    await staging?.abort();
    throw error;
  }

  reportSummary(context, plan, output);
  if (strict && (plan.summary.notTranslated > 0 || plan.summary.droppedLibraries > 0))
    return ExitCode.problems;
  return ExitCode.ok;
}

/**
 * Receives the files a translator has generated so far and the number already handed over; returns the new
 * number handed over.
 */
type FileSink = (files: readonly GeneratedFile[], from: number) => number;

/** Translate and render a procedure, rendering each step as soon as it is translated and then dropping it. */
function procedure(
  steps: BuildStep[],
  options: TranslateOptions,
  header: ProcedureHeader,
  stage: FileSink,
): { plan: BuildPlan; content: readonly string[] } {
  const root = options.sourceRoot ?? inferSourceRoot(steps);
  const translator = new Translator(options, root, false);
  const body = new ProcedureBody({ limits: options.limits, symbolValues: { ...translator.symbols } });
  let staged = 0;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    if (step === undefined) continue;
    body.add(translator.add(step));
    // Releasing each step keeps the live heap small on logs of many megabytes.
    steps[index] = undefined as unknown as BuildStep;
    const files = translator.generatedFiles();
    if (files.length > staged) staged = stage(files, staged);
  }
  const plan = translator.finish();
  return { plan, content: body.finishChunks(plan, header) };
}

/**
 * Translate and render a description file, which needs every planned step before its rules can be written.
 * Each planned step keeps only the step fields that the description shows, so the parsed steps can go.
 */
function describe(
  steps: BuildStep[],
  options: TranslateOptions,
  header: DescriptionHeader,
  stage: FileSink,
): { plan: BuildPlan; content: string } {
  const root = options.sourceRoot ?? inferSourceRoot(steps);
  const translator = new Translator(options, root);
  let staged = 0;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    if (step === undefined) continue;
    const planned = translator.add(step);
    planned.step = { kind: step.kind, index: step.index, origin: step.origin, command: step.command };
    steps[index] = undefined as unknown as BuildStep;
    const files = translator.generatedFiles();
    if (files.length > staged) staged = stage(files, staged);
  }
  const plan = translator.finish();
  return {
    plan,
    content: renderDescription(plan, header, { limits: options.limits, symbolValues: plan.symbols }),
  };
}

function readExports(file: string): ExportList {
  let content: Buffer;
  try {
    content = readFileSync(file);
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
  checkExportListIsText(content, file);
  return parseExportList(content.toString("utf8"), file);
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

/**
 * Reject a log in which the reader found no compile, link, file operation, silent-rule line or directory
 * change, as `parse` does, so that an empty file or prose never becomes an empty procedure with exit status 0.
 */
function rejectUnrecognisedLog(parsed: ReturnType<typeof parseLogText>, log: string): void {
  const recognised = parsed.steps.some((step) => step.kind !== "unknown");
  const summary = parsed.summary;
  if (recognised || summary.silentRuleTargets > 0 || (summary.lineCounts?.directory ?? 0) > 0) return;
  throw new UserError("the file contains no recognisable build output", {
    location: { file: log },
    hint: "Give the log of a make, cmake or ninja build, captured with its commands shown (V=1, VERBOSE=1 or ninja -v).",
  });
}

function reportSummary(context: CommandContext, plan: BuildPlan, output: string | undefined): void {
  const summary = plan.summary;
  const where = output === undefined ? "standard output" : output;
  const generated = count(plan.files.length, "options file or header", "options files and headers");
  let files = "";
  if (plan.files.length > 0)
    files = output === undefined ? `, which creates ${generated}` : ` with ${generated}`;
  context.logger.info(
    `${count(summary.steps, "step")}: ${summary.translated} translated, ${summary.commented} need no command, ${summary.notTranslated} not translated; written to ${where}${files}`,
  );
  if (summary.unknownFlags > 0)
    context.logger.warn(
      `${count(summary.unknownFlags, "compiler option")} left out because no rule matched (see the NOTE comments)`,
    );
  if (summary.untranslatableFlags > 0)
    context.logger.warn(
      `${count(summary.untranslatableFlags, "compiler option")} without an OpenVMS equivalent; the compiles that use them are not translated`,
    );
  if (summary.unresolvedLibraries > 0)
    context.logger.warn(
      `${count(summary.unresolvedLibraries, "-l library", "-l libraries")} without an OpenVMS library; the links that use them are not translated until a library rule names one`,
    );
  if (summary.droppedLibraries > 0)
    context.logger.warn(
      `${count(summary.droppedLibraries, "-l library", "-l libraries")} with no OpenVMS equivalent left out of links; port the calls into them away (vmsport scan finds them)`,
    );
  if (summary.outsidePaths.length > 0) {
    const shown = summary.outsidePaths.slice(0, 5).join(", ");
    const more = summary.outsidePaths.length > 5 ? ` and ${summary.outsidePaths.length - 5} more` : "";
    // Outside paths are files or directories. Each counts as a whole, which is safe because the source root
    // is among the inputs, so the common prefix is one of its parent directories.
    const containing =
      plan.sourceRoot === undefined ? undefined : commonDirectory([plan.sourceRoot, ...summary.outsidePaths]);
    const suggestion =
      containing === undefined || containing === "/"
        ? ""
        : `; pass --source-root ${containing} to put them under the root logical`;
    context.logger.warn(
      `${count(summary.outsidePaths.length, "absolute path")} outside the source root: ${shown}${more}${suggestion}`,
    );
  }
  if (summary.notTranslated > 0)
    context.logger.warn(
      `${count(summary.notTranslated, "step")} not translated; search the output for NOT TRANSLATED`,
    );
}

/** Return the deepest directory that contains every given absolute Unix path, or undefined for none. */
function commonDirectory(directories: readonly string[]): string | undefined {
  const [first, ...rest] = directories.map((directory) => directory.split("/").filter((part) => part !== ""));
  if (first === undefined) return undefined;
  let length = first.length;
  for (const parts of rest) {
    let index = 0;
    while (index < length && parts[index] === first[index]) index++;
    length = index;
  }
  return `/${first.slice(0, length).join("/")}`;
}

/** Write chunks to a stream in order, each after the previous one was handed on. */
async function writeChunks(stream: NodeJS.WritableStream, chunks: string | readonly string[]): Promise<void> {
  for (const chunk of typeof chunks === "string" ? [chunks] : chunks) {
    await new Promise<void>((resolve, reject) => {
      stream.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  }
}

/** Format a count with the singular or plural form of its noun. */
function count(value: number, singular: string, plural = `${singular}s`): string {
  return `${value} ${value === 1 ? singular : plural}`;
}

/**
 * Place the steps that ran in the log's unnamed starting directory, which a sub-make can show, so that the
 * inferred source root contains them. Without such a sub-make, warn and return true: the root is a guess.
 */
function placeStartDirectory(
  steps: BuildStep[],
  log: string,
  logger: import("../../util/terminal.js").Logger,
): boolean {
  const relative = steps.filter((step) => !path.posix.isAbsolute(step.directory.path));
  if (relative.length === 0 || relative.length === steps.length) return false;
  const anchor = anchorStartDirectory(steps);
  if (anchor === undefined) {
    // Sub-makes and unrecognised lines become no DCL command, so their directory does not matter.
    const placed = relative.filter(
      (step) => step.kind !== "unknown" && !(step.kind === "shell" && step.operation === "submake"),
    );
    if (placed.length === 0) return false;
    logger.warn(
      `${log}: ${count(placed.length, "step")} ran in the directory the build started in, which the log does not name, so the source root was taken from the other steps`,
    );
    logger.info(
      "  Give --source-root with the directory make started in, or capture the build with make -w so that the log names it.",
    );
    return true;
  }
  for (const step of relative)
    step.directory = { ...step.directory, path: path.posix.join(anchor.directory, step.directory.path) };
  logger.verbose(
    `${log}:${anchor.step.origin.startLine}: the build started in ${anchor.directory}, as the sub-make on this line and the directory it entered show`,
  );
  return false;
}
