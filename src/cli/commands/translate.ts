import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { type Command, InvalidArgumentError, Option } from "commander";
import { type DclLimits, DEFAULT_LIMITS } from "../../dcl/index.js";
import { noCommandReason } from "../../emit/no-command.js";
import type { ExportList, TranslateOptions } from "../../emit/options.js";
import { anchorStartDirectory, inferSourceRoot } from "../../emit/paths.js";
import type { BuildPlan, GeneratedFile } from "../../emit/plan.js";
import {
  type FileSink,
  StepTranslation,
  StreamingAbandoned,
  type StreamingResult,
  StreamingTranslation,
  type Translation,
  type TranslationFormat,
} from "../../emit/stream.js";
import { checkExportListIsText, parseExportList } from "../../emit/symbols.js";
import { MAX_COMMAND_LIMIT } from "../../emit/translate.js";
import { type OutputContent, StagedOutput } from "../../emit/write.js";
import { enteredDirectories } from "../../log/entered-directories.js";
import { parseLogText } from "../../log/index.js";
import { createResponseFileReader } from "../../log/response-reader.js";
import { ParserThreadFailed, sharedBuffer, streamSteps } from "../../log/step-stream.js";
import type { BuildStep, LogDiagnostic, ParseSummary } from "../../model/steps.js";
import { loadTranslateRulesCached } from "../../rules/translate/cache.js";
import type { TargetName } from "../../rules/translate/types.js";
import { ExitCode, UserError } from "../../util/errors.js";
import { isWrittenInPlace, readInput, STDIO_NAME } from "../../util/io.js";
import type { Logger } from "../../util/terminal.js";
import {
  checkOds2Name,
  checkOds5Name,
  escapeOds5Name,
  typeDotIndex,
  upperAscii,
} from "../../vms/ods-names.js";
import { type CommandContext, layeredRuleFiles, resolveSetting } from "../context.js";
import { reportLogDiagnostics } from "../log-diagnostics.js";
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
  directory?: string;
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
    .option(
      "--directory <dir>",
      "absolute Unix directory the build ran in, for the steps before the log names one (a log of ninja -v run in its build directory names none)",
    )
    .option("--exports <file>", "names a shareable image exports: one per line, or nm -g output")
    .option(
      "--max-command <bytes>",
      "longest DCL command in bytes after symbol substitution, up to 4096 (OpenVMS 7.3-2 and later); default 1024",
      parseMaxCommand,
    )
    .option(
      "--strict",
      "exit with status 1 when a step is not translated, a link leaves out a library or a response file cannot be read",
    )
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

/**
 * Return the output's name on OpenVMS, as the procedure names itself in its comments and messages. The file
 * is copied there under its Unix name, so a name that ODS-5 cannot hold is refused before anything is
 * written, and one that needs ODS-5 is written with its caret escapes and reported.
 */
function vmsProcedureName(name: string, format: "dcl" | "mms", logger: Logger): string {
  const example = format === "mms" ? "DESCRIP.MMS" : "BUILD.COM";
  const problems = checkOds5Name(name);
  if (problems.length > 0 || name.includes("'")) {
    const why = problems[0]?.message ?? "an apostrophe would start symbol substitution in DCL";
    throw new UserError(`the output name "${name}" cannot be an OpenVMS file name: ${why}`, {
      hint: `Choose a name of letters, digits, $, _ and - with one dot, such as ${example}.`,
    });
  }
  // Without a type, @NAME would look for NAME.COM; the trailing dot names the file itself.
  const escaped = escapeOds5Name(upperAscii(name));
  const vmsName = typeDotIndex(name) < 0 ? `${escaped}.` : escaped;
  const ods2 = checkOds2Name(name);
  if (ods2.length > 0)
    logger.warn(
      `the output name "${name}" needs an ODS-5 disk on OpenVMS (${ods2[0]?.message}), where it is written ${vmsName}; a name such as ${example} works on any disk`,
    );
  return vmsName;
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
  const buildDirectory = resolveSetting(cli.directory, section.directory, undefined);
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
  if (buildDirectory !== undefined && !buildDirectory.startsWith("/")) {
    throw new UserError(`the build directory "${buildDirectory}" is not an absolute Unix directory`, {
      hint: "Give the directory the build ran in as the build machine names it, for example /home/user/src/zlib/build.",
    });
  }
  if (sourceRoot !== undefined && !sourceRoot.startsWith("/")) {
    throw new UserError(`the source root "${sourceRoot}" is not an absolute Unix directory`, {
      hint: "Give the directory as the log names it, for example /home/user/src/zlib.",
    });
  }

  const rules = await loadTranslateRulesCached(ruleFiles);
  const exports = exportsFile === undefined ? undefined : readExports(exportsFile);
  const limits: DclLimits = { ...DEFAULT_LIMITS, maxCommand };
  const requested = cli.output === STDIO_NAME ? undefined : cli.output;
  // A character device or FIFO (/dev/null, a named pipe) takes the procedure as standard output does, with
  // the options files inside it: files written beside /dev/null would land in /dev.
  const device =
    requested !== undefined && isWrittenInPlace(path.resolve(context.io.cwd, requested))
      ? requested
      : undefined;
  const output = device === undefined ? requested : undefined;
  const outputDirectory =
    output === undefined ? context.io.cwd : path.dirname(path.resolve(context.io.cwd, output));
  const procedureName =
    output === undefined
      ? format === "mms"
        ? "DESCRIP.MMS"
        : "BUILD.COM"
      : vmsProcedureName(path.basename(output), format, context.logger);
  const fileStem = (
    output === undefined
      ? format === "mms"
        ? "descrip"
        : "build"
      : path.basename(output).replace(/\.[^.]*$/, "")
  ).toLowerCase();

  let text = await readInput(log, "build log");
  const threaded = text.length >= threadThreshold(context);
  // The worker thread reads the log in shared memory, and the copy replaces the original here.
  if (threaded) text = sharedBuffer(text);
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
    ...(format === "mms" ? { descriptionFile: true } : {}),
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
  };
  const force = cli.force === true;
  const run: TranslationRun = {
    text,
    log,
    options,
    outputFor: (rootGuessed) =>
      format === "mms"
        ? { format, header: { ...header, rootGuessed } }
        : {
            format,
            header: { ...header, rootGuessed, procedureName, embedFiles: output === undefined },
          },
    // Options files and headers are written while the translation runs (see StagedOutput).
    staging: () => (output === undefined ? undefined : new StagedOutput(output, force)),
    outputDirectory,
    initialDirectory: buildDirectory ?? ".",
    // The same places as `vmsport parse` looks in, so both commands see the same options.
    responseFileRoots: [...new Set([logDirectory, context.io.cwd])],
  };

  let translated: StagedTranslation | undefined;
  if (threaded) translated = await translateThreaded(run, context.logger);
  translated ??= await translateInThisThread(run, context.logger);
  const { plan, content } = translated.translation;
  const unreadResponseFiles = translated.parseSummary.unresolvedResponseFiles;
  const namesDirectories = (translated.parseSummary.lineCounts?.directory ?? 0) > 0;
  const staging = translated.staging;
  try {
    if (staging === undefined) {
      // A procedure on standard output creates its options files and headers itself. MMS has no inline data,
      // so a description file that needs them must be written to a file they can sit beside.
      if (format === "mms" && plan.files.length > 0) {
        throw new UserError(
          `the description file needs ${plan.files.length === 1 ? "1 options file or header" : `${plan.files.length} options files and headers`} beside it, which ${device === undefined ? "standard output" : "a device or pipe"} cannot carry`,
          {
            ...(device === undefined ? {} : { location: { file: device } }),
            hint: "Write it to a regular file with -o, for example -o DESCRIP.MMS; the generated files go into the same directory.",
          },
        );
      }
      if (device === undefined) await writeChunks(context.io.stdout, content);
      else await writeToDevice(path.resolve(context.io.cwd, device), device, content);
    } else {
      await staging.commit(content);
    }
  } catch (error) {
    await staging?.abort();
    throw error;
  }

  reportLogDiagnostics(context.logger, log, translated.diagnostics);
  if (!namesDirectories && buildDirectory === undefined && sourceRoot === undefined && plan.sourceRoot) {
    // A log of `ninja -v` taken in a CMake build directory names no directory, so its steps land in the
    // directory of the sources. Only the porter can tell where the build really ran.
    context.logger.warn(
      `${log}: the log names no directory, so its steps were placed in ${plan.sourceRoot}, the directory that contains its sources`,
    );
    context.logger.info(
      "  If the build ran elsewhere (a CMake build directory), give that directory with --directory and the top of the source tree with --source-root.",
    );
  }
  reportSummary(context, plan, output, device);
  if (
    strict &&
    (plan.summary.notTranslated > 0 ||
      plan.summary.droppedLibraries > 0 ||
      plan.summary.pathsAboveRoot.length > 0 ||
      unreadResponseFiles > 0)
  )
    return ExitCode.problems;
  return ExitCode.ok;
}

/** Inputs of both ways of translating a log: the log, the options and how to make the output. */
interface TranslationRun {
  text: Buffer;
  log: string;
  options: TranslateOptions;
  outputFor: (rootGuessed: boolean) => TranslationFormat;
  /** Starts the staging of the output files, or returns undefined for standard output. */
  staging: () => StagedOutput | undefined;
  outputDirectory: string;
  /** Directories against which the log's `@file` response files are read. */
  responseFileRoots: string[];
  /** Working directory of the steps before the log names one (`--directory`), or `.`. */
  initialDirectory: string;
}

interface StagedTranslation {
  translation: Translation;
  staging: StagedOutput | undefined;
  /** Warnings of the log parser about the log as a whole (silent rules, unread response files). */
  diagnostics: LogDiagnostic[];
  /** Totals of the log parser (unread response files, directory lines). */
  parseSummary: ParseSummary;
}

/**
 * Bytes of log from which the log is parsed in a worker thread while this thread translates. Starting the
 * worker costs about 30 ms, so smaller logs are translated in one thread. The VMSPORT_TRANSLATE_THREAD_BYTES
 * environment variable sets another threshold, 0 for every log.
 */
const THREAD_THRESHOLD = 4 * 1024 * 1024;

/** Leading bytes of a log checked for NUL, as the log reader does to reject a binary file. */
const BINARY_PROBE_BYTES = 8000;

function threadThreshold(context: CommandContext): number {
  const setting = context.io.env.VMSPORT_TRANSLATE_THREAD_BYTES;
  if (setting === undefined || setting === "") return THREAD_THRESHOLD;
  const bytes = Number(setting);
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new UserError(`invalid VMSPORT_TRANSLATE_THREAD_BYTES "${setting}"`, {
      hint: "Give a whole number of bytes, or unset the variable to use the default of 4 MiB.",
    });
  }
  return bytes;
}

/** Returns a `FileSink` that stages each new file in `staging`, or only counts them for standard output. */
function stageInto(staging: StagedOutput | undefined, outputDirectory: string): FileSink {
  return (files, from) => {
    if (staging === undefined) return files.length;
    for (let index = from; index < files.length; index++) {
      const file = files[index] as GeneratedFile;
      staging.stage(path.join(outputDirectory, file.name), file.content);
    }
    return files.length;
  };
}

/** Parse the whole log, then translate it step by step in this thread, dropping each step once rendered. */
function translateInThisThread(run: TranslationRun, logger: Logger): Promise<StagedTranslation> {
  const parsed = parseLogText(run.text, {
    file: run.log,
    initialDirectory: run.initialDirectory,
    responseFileRoots: run.responseFileRoots,
    readResponseFile: createResponseFileReader(),
  });
  return translateParsed(parsed.steps, parsed.summary, parsed.diagnostics, run, logger);
}

/** Translate the steps of a whole parsed log. */
async function translateParsed(
  steps: BuildStep[],
  summary: ParseSummary,
  diagnostics: LogDiagnostic[],
  run: TranslationRun,
  logger: Logger,
): Promise<StagedTranslation> {
  rejectUnrecognisedLog(
    steps.some((step) => step.kind !== "unknown"),
    summary,
    run.log,
  );
  rejectMakefile(steps, run.text, run.log);
  const rootGuessed =
    run.options.sourceRoot === undefined &&
    placeStartDirectory(steps, run.log, logger, run.options.rules.tools);
  const root = run.options.sourceRoot ?? inferSourceRoot(steps);
  const staging = run.staging();
  try {
    const translation = new StepTranslation(
      run.outputFor(rootGuessed),
      run.options,
      root,
      stageInto(staging, run.outputDirectory),
    );
    for (let index = 0; index < steps.length; index++) {
      translation.add(steps[index] as BuildStep);
      // Releasing each step keeps the live heap small on logs of many megabytes.
      steps[index] = undefined as unknown as BuildStep;
    }
    return {
      translation: translation.finish(),
      staging,
      diagnostics,
      parseSummary: summary,
    };
  } catch (error) {
    await staging?.abort();
    throw error;
  }
}

/**
 * Maximum size, in bytes of V8 bytecode, of a function that V8's optimizing compiler inlines in a threaded
 * translation; V8 11 (Node.js 20) inlines up to 460 by default. Both threads run each hot function over tens of
 * thousands of steps, but much of a run's CPU time is V8 compiling them in background threads. On a 32 MB
 * V=1 log (49,551 steps) with a limit of 100, all threads together took about 0.17 s less CPU time (3.61 s
 * against 3.78 s, the mean of four alternating runs on a shared 2-core machine), and the translating thread
 * took the same time.
 */
const THREADED_INLINING_LIMIT = "--max-inlined-bytecode-size=100";

/**
 * Apply THREADED_INLINING_LIMIT to this process and so to the parser thread, unless the user chose a value in
 * the Node.js options.
 * NOTE: V8 flags are process-wide, and Node.js warns that changing them after start-up may misbehave. This
 * flag only steers an inlining heuristic that V8 reads at each compilation.
 */
function limitInlining(): void {
  const nodeOptions = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  if (nodeOptions.some((option) => option.startsWith("--max-inlined-bytecode-size"))) return;
  setFlagsFromString(THREADED_INLINING_LIMIT);
}

/** Steps held back before a threaded translation starts without knowing where the log started. */
const MAX_HELD_STEPS = 2048;

/**
 * Translate the log while a worker thread parses it (see `StreamingTranslation`). Returns undefined when the
 * streaming translation was abandoned, the translator rejected the options or the parser thread failed. The
 * caller then translates in one thread, which gives the same output and messages. A log that ends before the translation could
 * start is translated here from its parsed steps.
 */
async function translateThreaded(
  run: TranslationRun,
  logger: Logger,
): Promise<StagedTranslation | undefined> {
  // A binary file is reported by the parser of the one-thread path.
  if (run.text.subarray(0, BINARY_PROBE_BYTES).includes(0)) return undefined;
  limitInlining();
  const knownRoot = run.options.sourceRoot;
  const staging = run.staging();
  let streaming: StreamingTranslation | undefined;
  let result: StreamingResult;
  let summary: ParseSummary;
  let diagnostics: LogDiagnostic[];
  try {
    // A procedure's step headings depend on the steps alone, so the parser thread renders them.
    const headingLimits = run.outputFor(false).format === "dcl" ? run.options.limits : undefined;
    const parsing = streamSteps(
      run.text,
      run.log,
      { steps: (steps) => (streaming as StreamingTranslation).add(steps) },
      {
        responseFileRoots: run.responseFileRoots,
        initialDirectory: run.initialDirectory,
        ...(headingLimits === undefined ? {} : { headingLimits }),
      },
    );
    // The worker thread starts up meanwhile; its first batch arrives once this function awaits.
    streaming = new StreamingTranslation({
      knownRoot,
      enteredDirectories: knownRoot === undefined ? enteredDirectories(run.text) : [],
      maxHeldSteps: MAX_HELD_STEPS,
      needsNoCommand: (step) => needsNoCommand(step, run.options.rules.tools),
      create: (root) => {
        try {
          return new StepTranslation(
            run.outputFor(false),
            run.options,
            root,
            stageInto(staging, run.outputDirectory),
          );
        } catch {
          throw new StreamingAbandoned("the translator rejected the options");
        }
      },
    });
    ({ summary, diagnostics } = await parsing);
    result = streaming.finish();
  } catch (error) {
    await staging?.abort();
    if (error instanceof StreamingAbandoned) {
      logger.verbose(`${run.log}: translating in one thread because ${error.message}`);
      return undefined;
    }
    if (error instanceof ParserThreadFailed) {
      logger.verbose(`${run.log}: translating in one thread because ${error.message}`);
      return undefined;
    }
    throw error;
  }
  if (result.kind === "held") {
    await staging?.abort();
    return translateParsed(result.steps, summary, diagnostics, run, logger);
  }
  const start = result.start;
  if (start !== undefined) {
    logger.verbose(
      `${run.log}:${start.step.origin.startLine}: the build started in ${start.directory}, as the sub-make on this line and the directory it entered show`,
    );
  }
  return {
    translation: result.translation,
    staging,
    diagnostics,
    parseSummary: summary,
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
/** A recipe line that still contains make's own variables, which a build's log shows expanded. */
const RECIPE_WITH_VARIABLES = /^\t[^\n]*(?:\$[@<^*?]|\$\([A-Za-z_][A-Za-z0-9_]*\))/m;
/** A variable assignment or a pattern rule at the start of a line, as only a Makefile has them. */
const MAKEFILE_DEFINITION = /^(?:[A-Za-z_][A-Za-z0-9_]*\s*(?::=|\+=|\?=|=)|%\.[A-Za-z0-9]+\s*:)/m;

/**
 * Reject a Makefile given in place of a log. Its recipes name $(CC) and $@, so they translate to nothing,
 * while a plain `rm -f *.o app` of its clean target translates to DELETE commands: the procedure would
 * only delete files. A log with a compile, archive or link is never rejected here.
 */
function rejectMakefile(steps: readonly BuildStep[], text: Buffer, log: string): void {
  if (steps.some((step) => step.kind === "compile" || step.kind === "archive" || step.kind === "link"))
    return;
  const head = text.toString("latin1", 0, Math.min(text.length, MAKEFILE_PROBE_BYTES));
  if (!RECIPE_WITH_VARIABLES.test(head) || !MAKEFILE_DEFINITION.test(head)) return;
  throw new UserError("the file looks like a Makefile, not the log of a build", {
    location: { file: log },
    hint: "Run the build and give vmsport what it printed, for example make -w V=1 > build.log 2>&1.",
  });
}

/** Leading bytes of a log searched for Makefile syntax. */
const MAKEFILE_PROBE_BYTES = 256 * 1024;

function rejectUnrecognisedLog(recognised: boolean, summary: ParseSummary, log: string): void {
  if (recognised || summary.silentRuleTargets > 0 || (summary.lineCounts?.directory ?? 0) > 0) return;
  throw new UserError("the file contains no recognisable build output", {
    location: { file: log },
    hint: "Give the log of a make, cmake or ninja build, captured with its commands shown (V=1, VERBOSE=1 or ninja -v).",
  });
}

function reportSummary(
  context: CommandContext,
  plan: BuildPlan,
  output: string | undefined,
  device: string | undefined,
): void {
  const summary = plan.summary;
  const where = output ?? device ?? "standard output";
  const options = plan.files.filter((file) => file.kind === "options").length;
  const headers = plan.files.length - options;
  const generated = [
    ...(options > 0 ? [count(options, "options file", "options files")] : []),
    ...(headers > 0 ? [count(headers, "header", "headers")] : []),
  ].join(" and ");
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
  if (summary.untypedExports > 0)
    context.logger.warn(
      `${count(summary.untypedExports, "shareable image exports", "shareable images export")} the names of a version script, all as PROCEDURE, because the script does not tell variables from functions; a variable needs DATA in SYMBOL_VECTOR: give nm -g output of the Unix library with --exports`,
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
        : `; pass --source-root ${containing} (or set translate.sourceRoot) to put them under the root logical`;
    context.logger.warn(
      `${count(summary.outsidePaths.length, "absolute path")} outside the source root: ${shown}${more}${suggestion}`,
    );
  }
  if (summary.pathsAboveRoot.length > 0) {
    const shown = summary.pathsAboveRoot.slice(0, 3).join(", ");
    const more = summary.pathsAboveRoot.length > 3 ? ` and ${summary.pathsAboveRoot.length - 3} more` : "";
    // Without a named directory the steps sit at the top of the root, where `[-]` leads nowhere.
    context.logger.warn(
      `${count(summary.pathsAboveRoot.length, "relative path")} ${summary.pathsAboveRoot.length === 1 ? "climbs" : "climb"} above the source root, so the procedure cannot find ${summary.pathsAboveRoot.length === 1 ? "it" : "them"}: ${shown}${more}`,
    );
    context.logger.info(
      "  Give the absolute directory the build ran in with --directory and the top of the source tree with --source-root (or translate.directory and translate.sourceRoot in the configuration file).",
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
/** Write the output into a character device or FIFO named by -o. */
async function writeToDevice(target: string, name: string, chunks: OutputContent): Promise<void> {
  const stream = createWriteStream(target, { flags: "w" });
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once("open", () => resolve());
      stream.once("error", reject);
    });
    await writeChunks(stream, chunks);
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    stream.destroy();
    throw new UserError(`cannot write output: ${(error as Error).message}`, {
      location: { file: name },
      hint: "Check that the device or pipe accepts writes, or pass another -o path.",
    });
  }
}

async function writeChunks(stream: NodeJS.WritableStream, chunks: OutputContent): Promise<void> {
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
 * inferred source root contains them. Without such a sub-make, warn and return true when a step that becomes
 * a DCL command ran there, because the root is then a guess.
 */
function placeStartDirectory(steps: BuildStep[], log: string, logger: Logger, tools: ToolRules): boolean {
  const relative = steps.filter((step) => !path.posix.isAbsolute(step.directory.path));
  if (relative.length === 0 || relative.length === steps.length) return false;
  const anchor = anchorStartDirectory(steps);
  if (anchor === undefined) {
    const placed = relative.filter((step) => !needsNoCommand(step, tools));
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

type ToolRules = TranslateOptions["rules"]["tools"];

/**
 * Check whether a step becomes no DCL command, so that the directory it ran in does not matter: sub-makes,
 * unrecognised lines, and the steps the translator comments whatever came before them (CMake bookkeeping,
 * `ranlib`, dependency listings).
 */
function needsNoCommand(step: BuildStep, tools: ToolRules): boolean {
  if (step.kind === "unknown" || (step.kind === "shell" && step.operation === "submake")) return true;
  return noCommandReason(step, tools) !== undefined;
}
