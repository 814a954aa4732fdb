import { existsSync, promises as fs, lstatSync } from "node:fs";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { type Command, Option } from "commander";
import { COMMENT_MARKER } from "../../adapt/marker.js";
import { checkTargetVersion } from "../../adapt/version.js";
import type { Finding, Severity, SkippedFile } from "../../model/finding.js";
import { loadFormatter } from "../../report/load.js";
import { formatTextSummary } from "../../report/text.js";
import { REPORT_FORMATS, type ReportFormat } from "../../report/types.js";
import { loadScanRulesCached, prepareScanRuleLoading } from "../../rules/scan/cache.js";
import type { Ods, PointerSize, Target } from "../../rules/scan/model.js";
import { parseBaseline, serializeBaseline } from "../../scan/baseline.js";
import {
  baseFacts,
  type HeaderMacro,
  headerMacroFact,
  type MacroFact,
  mergeMacroOptions,
  parseConfigHeader,
} from "../../scan/conditions.js";
import { DEFAULT_MAX_FILE_SIZE } from "../../scan/read.js";
import { filterListedPaths, gitRoot, mayBeGlob, unquoteGitPath } from "../../scan/select.js";
import { scanTree } from "../../scan/tree.js";
import type { ScanResult } from "../../scan/types.js";
import { ExitCode, UserError } from "../../util/errors.js";
import {
  checkOutputPaths,
  inputError,
  readStdin,
  STDIO_NAME,
  writeFilesAtomically,
  writeOutput,
} from "../../util/io.js";
import { makeChalk } from "../../util/terminal.js";
import {
  type CommandContext,
  layeredRuleFiles,
  limitJobs,
  resolveSetting,
  targetVersionOrigins,
} from "../context.js";
import { VERSION } from "../program.js";
import type { Wrap } from "./index.js";

const SEVERITIES = ["error", "warning", "info"] as const;
const FAIL_ON = ["error", "warning", "info", "none"] as const;
const TARGETS = ["alpha", "ia64", "x86_64"] as const;
const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

interface ScanCommandOptions {
  format?: ReportFormat;
  output?: string;
  force?: boolean;
  target?: Target;
  vmsVersion?: string;
  ods?: string;
  pointerSize?: string;
  define?: string[];
  undefine?: string[];
  configHeader?: string[];
  include?: string[];
  exclude?: string[];
  filesFrom?: string;
  stdinFilename?: string;
  followSymlinks?: boolean;
  gitignore?: boolean;
  maxFileSize?: string;
  jobs?: string;
  rules?: string[];
  disable?: string[];
  includeInactive?: boolean;
  inlineSuppressions?: boolean;
  baseline?: string;
  writeBaseline?: string;
  minSeverity?: Severity;
  failOn?: (typeof FAIL_ON)[number];
  allowSkips?: boolean;
  progress?: boolean;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const collectList = (value: string, previous: string[] | undefined) => [
  ...(previous ?? []),
  ...value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
];

export function registerScanCommand(program: Command, wrap: Wrap): void {
  program
    .command("scan")
    .summary("scan C/C++ sources for constructs that do not work on OpenVMS")
    .description(
      "Scan C and C++ sources for calls, headers, types, names and file names that are missing or behave differently on OpenVMS, and say what to use instead. Code in branches that are dead on OpenVMS (#if 0, #ifdef __linux__) is not reported. Directories are walked for C/C++ files; .gitignore is honoured inside a git work tree.",
    )
    .argument("[paths...]", "files, directories or globs to scan, or - for standard input (default: .)")
    .addOption(
      new Option(
        "-f, --format <format>",
        "output format (default: text on a terminal, gcc otherwise)",
      ).choices([...REPORT_FORMATS]),
    )
    .option("-o, --output <file>", "write the report to this file instead of standard output")
    .option("--force", "replace existing output and baseline files")
    .addOption(
      new Option("--target <arch>", "OpenVMS architecture whose predefined macros are set").choices([
        ...TARGETS,
      ]),
    )
    .option("--vms-version <version>", "oldest OpenVMS version the port must run on, e.g. 8.4 or 9.2-2")
    .addOption(new Option("--ods <level>", "on-disk structure of the target volume").choices(["2", "5"]))
    .addOption(new Option("--pointer-size <bits>", "C pointer size (/POINTER_SIZE)").choices(["32", "64"]))
    .option(
      "-D, --define <name[=value]>",
      "treat a macro as defined in #if expressions (repeatable)",
      collect,
    )
    .option("-U, --undefine <name>", "treat a macro as not defined (repeatable)", collect)
    .option(
      "--config-header <file>",
      "take macro facts from the #define and #undef lines of this config.h, such as one adapted by `vmsport config`; --define and --undefine win (repeatable)",
      collect,
    )
    .option(
      "--include <glob>",
      "scan only files matching this glob when walking directories (repeatable)",
      collect,
    )
    .option("--exclude <glob>", "skip files and directories matching this glob (repeatable)", collect)
    .option(
      "--files-from <file>",
      "read more paths from this file, or - for standard input: one per line (# starts a comment) or NUL-separated; listed files pass --include and --exclude",
    )
    .option(
      "--stdin-filename <name>",
      "file name used for source read from standard input (default: stdin.c)",
    )
    .option("--follow-symlinks", "follow symbolic links; each real file is scanned once")
    .option("--no-gitignore", "scan files that .gitignore excludes too")
    .option(
      "--max-file-size <bytes>",
      `skip files larger than this many bytes (default: ${DEFAULT_MAX_FILE_SIZE})`,
    )
    .option("-j, --jobs <n>", "number of threads (default: the number of CPUs)")
    .option("--rules <file>", "rule file layered over the built-in rules (repeatable)", collect)
    .option("--disable <ids>", "comma-separated rule ids not to report (repeatable)", collectList)
    .option("--include-inactive", "also report findings in branches that are dead on OpenVMS, as info")
    .option("--no-inline-suppressions", "ignore vmsport-ignore comments (audit mode)")
    .option("--baseline <file>", "mark findings listed in this baseline file as suppressed")
    .option("--write-baseline <file>", "write the current findings to this baseline file")
    .addOption(
      new Option("--min-severity <level>", "report findings of this severity and above").choices([
        ...SEVERITIES,
      ]),
    )
    .addOption(
      new Option(
        "--fail-on <level>",
        "exit with status 1 when an unsuppressed finding has this severity or above (default: warning)",
      ).choices([...FAIL_ON]),
    )
    .option("--allow-skips", "do not exit with status 2 because files were skipped")
    .option("--no-progress", "never show the progress bar")
    .addHelpText(
      "after",
      `
Exit status: 0 no finding at or above --fail-on; 1 such findings, also when --min-severity hides them; 2
invalid usage, no file scanned, or files skipped (binary, unreadable, too large) without --allow-skips.

Suppress a finding with a comment: // vmsport-ignore[VMS1001]: reason  (also -next-line, -begin/-end, -file).
Run "vmsport rules explain VMS1001" for what a rule means and what to do instead.`,
    )
    .action(
      wrap(async (context, paths: string[], options: ScanCommandOptions) => runScan(context, paths, options)),
    );
}

function parsePositiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number.parseInt(value, 10) < 1) {
    throw new UserError(`invalid value for ${option}: "${value}"`, {
      hint: `${option} takes a whole number of 1 or more.`,
    });
  }
  return Number.parseInt(value, 10);
}

function checkVersion(version: string | undefined): string | undefined {
  if (version !== undefined && !/^[Vv]?[0-9]+\.[0-9]+(-[0-9A-Za-z]+)?$/.test(version)) {
    throw new UserError(`invalid OpenVMS version "${version}"`, {
      hint: "Write it like 8.4, 8.4-2L1 or 9.2-2.",
    });
  }
  return version;
}

function checkRuleIds(ids: readonly string[]): void {
  const bad = ids.find((id) => !/^VMS[0-9]{4}$/.test(id));
  if (bad !== undefined)
    throw new UserError(`invalid rule id "${bad}" in --disable`, { hint: "Rule ids look like VMS1001." });
}

/**
 * Read --files-from. A list that contains a NUL byte is NUL-separated, as `git diff -z` and `find -print0`
 * write it, and each entry is a path as written, because such a path may contain spaces, newlines or `#`.
 * Otherwise the list has one path per line, trimmed, and blank lines and lines starting with # are ignored.
 * A line in double quotes is decoded as git quotes unusual names, so output of git without -z works too.
 */
async function readFileList(source: string, context: CommandContext): Promise<string[]> {
  let text: string;
  if (source === STDIO_NAME) text = (await readStdin(context.io.stdin)).toString("utf8");
  else {
    try {
      text = await fs.readFile(path.resolve(context.io.cwd, source), "utf8");
    } catch (error) {
      throw inputError(error, source, "file list");
    }
  }
  if (text.includes("\0")) return text.split("\0").filter((entry) => entry.length > 0);
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"))
    .map((line) => unquoteGitPath(line) ?? line);
}

/** Join the first five names with commas and count the rest, so a long list stays one short line. */
function listNames(names: readonly string[]): string {
  const firstNames = names.slice(0, 5).join(", ");
  return names.length > 5 ? `${firstNames} and ${names.length - 5} more` : firstNames;
}

/**
 * Read the --files-from list and keep the entries that pass the same filters as files found in a directory.
 * Entries that do not exist, and symbolic links not followed, are named in one note per kind.
 */
async function readListedPaths(
  source: string,
  context: CommandContext,
  options: ScanCommandOptions,
): Promise<string[]> {
  const scanSettings = context.config.settings.scan ?? {};
  const listed = filterListedPaths(await readFileList(source, context), {
    cwd: context.io.cwd,
    include: options.include ?? configGlobs(scanSettings.include, context.config.directory, context.io.cwd),
    exclude: options.exclude ?? configGlobs(scanSettings.exclude, context.config.directory, context.io.cwd),
    followSymlinks: resolveSetting(options.followSymlinks, scanSettings.followSymlinks, false),
  });
  if (listed.missing.length > 0) {
    context.logger.info(
      `note: not found in the --files-from list, so not scanned: ${listNames(listed.missing)}`,
    );
  }
  if (listed.symlinksNotFollowed.length > 0) {
    context.logger.info(
      `note: symbolic links in the --files-from list, not followed without --follow-symlinks: ${listNames(listed.symlinksNotFollowed)}`,
    );
  }
  return listed.paths;
}

/** Unsuppressed findings at or above --fail-on; none for `none`. */
function failingFindings(findings: readonly Finding[], failOn: (typeof FAIL_ON)[number]): Finding[] {
  if (failOn === "none") return [];
  const threshold = SEVERITY_RANK[failOn];
  return findings.filter((finding) => !finding.suppression && SEVERITY_RANK[finding.severity] >= threshold);
}

function exitCodeOf(result: ScanResult, failOn: (typeof FAIL_ON)[number], allowSkips: boolean): number {
  if (result.summary.filesScanned === 0) return ExitCode.usage;
  if (result.skipped.length > 0 && !allowSkips) return ExitCode.usage;
  return failingFindings(result.findings, failOn).length > 0 ? ExitCode.problems : ExitCode.ok;
}

/**
 * Read the macro facts of the --config-header files in order, so a later file wins. A missing, unreadable
 * or invalid file is a `UserError` naming it.
 */
async function readConfigHeaders(
  files: readonly string[],
  facts: ReadonlyMap<string, MacroFact>,
  logger: import("../../util/terminal.js").Logger,
): Promise<HeaderMacro[]> {
  const macros: HeaderMacro[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(file, "latin1");
    } catch (error) {
      throw inputError(error, file, "configuration header");
    }
    // vmsport config marks every change it makes. A header without a mark is most likely the one configure
    // wrote on Unix, whose HAVE_ macros describe Unix.
    if (!text.includes(COMMENT_MARKER)) {
      logger.warn(
        `${file}: the configuration header was not adapted by vmsport config, so its HAVE_ macros describe the Unix build`,
      );
      logger.info(`  Run vmsport config ${file} -o vms/config.h, and give --config-header vms/config.h.`);
    }
    // A later header is read with the macros of the earlier ones, as after them in one compilation.
    const known = new Map(facts);
    for (const macro of macros) {
      const fact = headerMacroFact(macro);
      if (fact === undefined) known.delete(macro.name);
      else known.set(macro.name, fact);
    }
    macros.push(...parseConfigHeader(text, file, known));
  }
  return macros;
}

/** Create a one-line progress bar on standard error, redrawn at most every 100 ms. */
function progressBar(stream: NodeJS.WritableStream) {
  let last = 0;
  let shown = false;
  return {
    update(done: number, total: number) {
      const now = Date.now();
      if (total < 200 || (now - last < 100 && done < total)) return;
      last = now;
      shown = true;
      const width = 30;
      const filled = Math.round((done / total) * width);
      stream.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} files`);
    },
    clear() {
      if (shown) stream.write(`\r${" ".repeat(60)}\r`);
    },
  };
}

/**
 * Maximum size, in bytes of V8 bytecode, of a function that V8's optimizing compiler inlines during a scan.
 * V8 11 (Node.js 20) inlines up to 460. A scan runs its hot loops over each file once, so JIT warm-up
 * dominates. With the default, V8 recompiled the matcher and declaration loops each time code inlined into
 * them met a case it had not seen. On the C/C++ sources of Erlang/OTP 25 (1,071 files), a limit of 100 cut
 * the CPU time of one pass by about a quarter, and a second pass in the same process was 5 % slower.
 */
const SCAN_INLINING_LIMIT = "--max-inlined-bytecode-size=100";

/**
 * Apply SCAN_INLINING_LIMIT to this process and so to the scan's worker threads, unless the user chose a
 * value in the Node.js options.
 * NOTE: V8 flags are process-wide, and Node.js warns that changing them after start-up may misbehave. This
 * flag only steers an inlining heuristic that V8 reads at each compilation.
 */
function limitInlining(): void {
  const nodeOptions = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  if (nodeOptions.some((option) => option.startsWith("--max-inlined-bytecode-size"))) return;
  setFlagsFromString(SCAN_INLINING_LIMIT);
}

/**
 * Rebase the include or exclude globs of the configuration file, which name paths from the file's
 * directory, onto the current directory, from which the scan matches paths. A glob without a slash, or
 * one that starts with two stars and a slash, matches in any directory and stays as it is.
 */
function configGlobs(globs: readonly string[] | undefined, configDirectory: string, cwd: string): string[] {
  if (path.resolve(configDirectory) === path.resolve(cwd)) return [...(globs ?? [])];
  return (globs ?? []).map((glob) =>
    !glob.includes("/") || glob.startsWith("**/")
      ? glob
      : path.relative(cwd, path.resolve(configDirectory, glob)).split(path.sep).join("/"),
  );
}

/** Tell whether a path is a symbolic link to a missing file, which the scan reports as skipped. */
function isDanglingLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Find the root that fingerprints are relative to: the directory of a configuration file found from the
 * current directory, else the top of the git work tree, else the current directory. A file named with
 * `--config` may lie outside the project, so it does not count.
 */
function fingerprintBase(config: CommandContext["config"], cwd: string): string {
  const root = config.found ? config.directory : (gitRoot(cwd) ?? cwd);
  return path.relative(root, cwd).split(path.sep).join("/");
}

/**
 * Find the current directory relative to the top of the repository that GitHub reads annotation paths
 * against: GITHUB_WORKSPACE in a workflow, else the git work tree's top. Empty when the directory lies
 * outside it.
 */
function workspaceBase(githubWorkspace: string | undefined, cwd: string): string {
  const top = githubWorkspace !== undefined && githubWorkspace !== "" ? githubWorkspace : gitRoot(cwd);
  if (top === undefined) return "";
  const relative = path.relative(path.resolve(top), cwd);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return "";
  return relative.split(path.sep).join("/");
}

async function runScan(
  context: CommandContext,
  paths: string[],
  options: ScanCommandOptions,
): Promise<number> {
  limitInlining();
  const { io, logger, config } = context;
  const settings = config.settings;
  const scanSettings = settings.scan ?? {};
  const fromConfig = (file: string) => path.resolve(config.directory, file);

  const format = resolveSetting<ReportFormat | undefined>(
    options.format,
    undefined,
    io.stdout.isTTY ? "text" : "gcc",
  ) as ReportFormat;
  const vmsVersion = checkVersion(resolveSetting(options.vmsVersion, settings.vmsVersion, undefined));
  const target = resolveSetting<Target | undefined>(options.target, settings.target, undefined);
  if (target !== undefined && vmsVersion !== undefined) {
    checkTargetVersion(target, vmsVersion, targetVersionOrigins(context, options));
  }
  const ods = resolveSetting<Ods | undefined>(
    options.ods ? (Number(options.ods) as Ods) : undefined,
    scanSettings.ods,
    undefined,
  );
  const pointerSize = resolveSetting<PointerSize | undefined>(
    options.pointerSize ? (Number(options.pointerSize) as PointerSize) : undefined,
    settings.pointerSize,
    undefined,
  );
  const disable = resolveSetting(options.disable, scanSettings.disable, []);
  checkRuleIds(disable);
  const failOn = resolveSetting(options.failOn, scanSettings.failOn, "warning");
  const minSeverity = resolveSetting(options.minSeverity, scanSettings.minSeverity, "info");
  const maxFileSize = resolveSetting(
    parsePositiveInteger(options.maxFileSize, "--max-file-size"),
    scanSettings.maxFileSize,
    DEFAULT_MAX_FILE_SIZE,
  );
  const requestedJobs = resolveSetting(
    parsePositiveInteger(options.jobs, "--jobs"),
    scanSettings.jobs,
    undefined,
  );
  const jobs = requestedJobs === undefined ? undefined : limitJobs(requestedJobs, logger);
  const ruleFiles = layeredRuleFiles(context, options.rules, "scan");
  const configHeaders =
    options.configHeader !== undefined
      ? options.configHeader.map((file) => path.resolve(io.cwd, file))
      : (scanSettings.configHeaders ?? []).map(fromConfig);
  const define = resolveSetting(options.define, scanSettings.define, []);
  const undefine = resolveSetting(options.undefine, scanSettings.undefine, []);
  // The headers' own #if groups are decided with the facts of the scan, as the compiler would decide them.
  const headerFacts = baseFacts({
    ...(vmsVersion ? { vmsVersion } : {}),
    ...(target ? { target } : {}),
    ...(pointerSize ? { pointerSize } : {}),
    define,
    undefine,
  });
  const macros = mergeMacroOptions(
    await readConfigHeaders(configHeaders, headerFacts, logger),
    define,
    undefine,
  );
  // The configured baseline is usually the file that --write-baseline is about to create, so it is
  // read only when it already exists.
  const configuredBaseline =
    scanSettings.baseline !== undefined ? fromConfig(scanSettings.baseline) : undefined;
  const baselineFile =
    options.baseline !== undefined
      ? path.resolve(io.cwd, options.baseline)
      : configuredBaseline !== undefined &&
          !(options.writeBaseline !== undefined && !existsSync(configuredBaseline))
        ? configuredBaseline
        : undefined;

  const outputs = [options.output, options.writeBaseline].filter(
    (file): file is string => file !== undefined && file !== STDIO_NAME,
  );
  if (outputs.length > 0) await checkOutputPaths(outputs, { force: options.force === true });

  await prepareScanRuleLoading(ruleFiles.length);
  const rules = loadScanRulesCached(ruleFiles);
  if (rules.length === 0) {
    throw new UserError("no scanner rules were found", {
      hint: "The package's rules/scan directory is missing; reinstall vmsport.",
    });
  }
  const knownIds = new Set(rules.map((rule) => rule.id));
  const unknownIds = disable.filter((id) => !knownIds.has(id.toUpperCase()));
  if (unknownIds.length > 0) {
    throw new UserError(`--disable names rules that do not exist: ${unknownIds.join(", ")}`, {
      hint: "Run `vmsport rules list --family scan` to see every rule id.",
    });
  }

  let baseline: import("../../scan/types.js").Baseline | undefined;
  if (baselineFile !== undefined) {
    let text: string;
    try {
      text = await fs.readFile(baselineFile, "utf8");
    } catch (error) {
      throw inputError(error, baselineFile, "baseline file");
    }
    baseline = parseBaseline(text, baselineFile);
  }

  const wantsStdin = paths.includes(STDIO_NAME);
  // Without -, standard input is not read, so the scan would run on other files than the caller meant.
  if (options.stdinFilename !== undefined && !wantsStdin) {
    throw new UserError(`--stdin-filename ${options.stdinFilename} has no effect because no path is -`, {
      hint: `Add - to the paths to scan standard input as ${options.stdinFilename}, or drop --stdin-filename.`,
    });
  }
  if (wantsStdin && options.filesFrom === STDIO_NAME) {
    throw new UserError("standard input cannot be both a source file and the --files-from list", {
      hint: "Name the list in a file, or scan files instead of standard input.",
    });
  }
  const filesFrom =
    options.filesFrom !== undefined ? await readListedPaths(options.filesFrom, context, options) : [];
  const walkPaths = paths.filter((entry) => entry !== STDIO_NAME);
  // An empty --files-from list selects no file, so only a scan given neither paths nor a list walks ".".
  if (walkPaths.length === 0 && options.filesFrom === undefined && !wantsStdin) walkPaths.push(".");
  // A path named on the command line that does not exist is a mistake in the command, not a file to skip:
  // with --allow-skips it would shrink the scan without a word.
  const missing = walkPaths.filter(
    (entry) =>
      !mayBeGlob(entry) &&
      !existsSync(path.resolve(io.cwd, entry)) &&
      !isDanglingLink(path.resolve(io.cwd, entry)),
  );
  if (missing.length > 0) {
    throw new UserError(`${missing.length === 1 ? "path" : "paths"} not found: ${missing.join(", ")}`, {
      hint: "Check the spelling; name files and directories that exist, or quote a glob.",
    });
  }
  const stdin = wantsStdin
    ? { content: await readStdin(io.stdin), fileName: options.stdinFilename ?? "stdin.c" }
    : undefined;

  const progress = progressBar(io.stderr);
  const showProgress = options.progress !== false && io.stderr.isTTY === true && logger.verbosity !== "quiet";
  const result = await scanTree({
    paths: walkPaths,
    cwd: io.cwd,
    filesFrom,
    ...(stdin ? { stdin } : {}),
    include: options.include ?? configGlobs(scanSettings.include, config.directory, io.cwd),
    exclude: options.exclude ?? configGlobs(scanSettings.exclude, config.directory, io.cwd),
    followSymlinks: resolveSetting(options.followSymlinks, scanSettings.followSymlinks, false),
    gitignore: options.gitignore !== false,
    maxFileSize,
    ...(jobs !== undefined ? { jobs } : {}),
    rules,
    ...(vmsVersion ? { vmsVersion } : {}),
    ...(target ? { target } : {}),
    ...(ods ? { ods } : {}),
    ...(pointerSize ? { pointerSize } : {}),
    define: macros.define,
    undefine: macros.undefine,
    includeInactive: resolveSetting(options.includeInactive, scanSettings.includeInactive, false),
    inlineSuppressions: resolveSetting(
      options.inlineSuppressions === false ? false : undefined,
      scanSettings.inlineSuppressions,
      true,
    ),
    disable,
    fingerprintBase: fingerprintBase(config, io.cwd),
    ...(baseline ? { baseline } : {}),
    ...(showProgress ? { onProgress: (done: number, total: number) => progress.update(done, total) } : {}),
  });
  progress.clear();

  if (
    baseline !== undefined &&
    baseline.fingerprints.length > 0 &&
    result.summary.suppressed.baseline === 0 &&
    result.findings.some((finding) => finding.suppression === undefined)
  ) {
    logger.warn(
      `${baseline.fingerprints.length === 1 ? "the one finding in the baseline does not match" : `none of the ${baseline.fingerprints.length} findings in the baseline matches`} this scan; fingerprints use paths from the project's root (the directory of the configuration file found, else the top of the git work tree, else the current directory), so run the scan from the project, or write the baseline again`,
    );
  }
  const allowSkips = resolveSetting(options.allowSkips, scanSettings.allowSkips, false);
  const exitCode = exitCodeOf(result, failOn, allowSkips);

  // Encoding fallbacks are expected in old trees, so they are notes; lexer recoveries may hide findings.
  for (const note of result.notes) {
    const where = note.path === "" ? "" : `${note.path}${note.line ? `:${note.line}` : ""}: `;
    if (note.message.includes("ISO-8859-1")) logger.info(`${where}note: ${note.message}`);
    else logger.warn(`${where}${note.message}`);
  }
  // A skip that fails the scan is an error, so --quiet still shows why the exit status is 2.
  const reportSkip = allowSkips ? logger.warn.bind(logger) : logger.error.bind(logger);
  for (const skip of result.skipped) reportSkip(`${skip.path}: skipped: ${describeSkip(skip)}`);
  if (result.summary.filesScanned === 0) {
    // An error is printed even with --quiet, so it carries the reasons that the warnings above gave.
    const reasons = result.skipped.slice(0, 3).map((skip) => `${skip.path}: ${describeSkip(skip)}`);
    const more = result.skipped.length > 3 ? `; and ${result.skipped.length - 3} more` : "";
    logger.error(`no file was scanned${reasons.length > 0 ? ` (${reasons.join("; ")}${more})` : ""}`);
    logger.info(
      options.filesFrom !== undefined && walkPaths.length === 0
        ? "  The --files-from list names no existing C/C++ file that passes --include and --exclude. A job that scans only the changed files can make the list with `git diff --name-only --diff-filter=d BASE -- '*.c' '*.h'` and skip the scan when the list is empty."
        : "  Name C/C++ files or directories that contain them, or check --include and --exclude.",
    );
  }

  const threshold = SEVERITY_RANK[minSeverity];
  const shown: ScanResult = {
    ...result,
    findings: result.findings.filter((finding: Finding) => SEVERITY_RANK[finding.severity] >= threshold),
  };
  // --fail-on counts the findings that --min-severity hides, so print why the status is 1 when none is shown.
  if (
    exitCode === ExitCode.problems &&
    options.writeBaseline === undefined &&
    failingFindings(shown.findings, failOn).length === 0
  ) {
    const hidden = failingFindings(result.findings, failOn).length;
    logger.error(
      `exit status 1: ${hidden} ${hidden === 1 ? "finding" : "findings"} at or above --fail-on ${failOn} ${hidden === 1 ? "is" : "are"} hidden by --min-severity ${minSeverity}; lower --min-severity to see ${hidden === 1 ? "it" : "them"}, or raise --fail-on`,
    );
  }
  const formatter = await loadFormatter(format);
  // A report written to a file is read later by other programs, so only standard output gets colour.
  const toFile = options.output !== undefined && options.output !== STDIO_NAME;
  const report = formatter(shown, {
    color: toFile ? makeChalk(0) : context.stdoutColor,
    toolVersion: VERSION,
    exitCode,
    commandLine: ["vmsport", "scan", ...process.argv.slice(3)].join(" "),
    ...(format === "github" || format === "sarif"
      ? { workspaceBase: workspaceBase(io.env.GITHUB_WORKSPACE, io.cwd) }
      : {}),
  });
  await writeOutput(options.output, report, { force: options.force === true }, io.stdout);

  if (options.writeBaseline !== undefined) {
    const text = serializeBaseline(result.findings);
    if (options.writeBaseline === STDIO_NAME) io.stdout.write(text);
    else
      await writeFilesAtomically([{ path: path.resolve(io.cwd, options.writeBaseline), content: text }], {
        force: options.force === true,
      });
    logger.info(
      `wrote a baseline of ${result.findings.filter((finding) => finding.suppression?.kind !== "inline").length} findings to ${options.writeBaseline}`,
    );
  }

  if (format === "text" || format === "gcc" || format === "github" || format === "csv") {
    if (logger.verbosity !== "quiet") {
      const hiddenCount = result.findings.filter(
        (finding) => finding.suppression === undefined && SEVERITY_RANK[finding.severity] < threshold,
      ).length;
      io.stderr.write(
        formatTextSummary(result, { color: logger.color, hidden: { count: hiddenCount, minSeverity } }),
      );
    }
  }
  // Writing a baseline accepts the findings it records, so they do not fail the step that writes it.
  if (options.writeBaseline !== undefined && exitCode === ExitCode.problems) return ExitCode.ok;
  return exitCode;
}

const SKIP_REASONS: Record<SkippedFile["reason"], string> = {
  binary: "binary file",
  unreadable: "cannot be read",
  "too-large": "larger than --max-file-size",
  "not-found": "not found",
  "symlink-loop": "symbolic link loop",
};

function describeSkip(skip: SkippedFile): string {
  return `${SKIP_REASONS[skip.reason] ?? skip.reason}${skip.detail ? ` (${skip.detail})` : ""}`;
}
