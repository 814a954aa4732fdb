/**
 * The step builder: a state machine fed one logical line at a time. It keeps the directory state and a
 * bounded window of recent steps, because compiler diagnostics, make's failure reports and libtool's echo
 * lines arrive after the command they belong to, sometimes with other jobs' lines in between.
 */
import type {
  BuildStep,
  CompileStep,
  LinkStep,
  LogDiagnostic,
  ParseSummary,
  StepBase,
  StepKind,
  WorkingDirectory,
} from "../model/steps.js";
import { type CommandClass, classifyCommand, unwrapCommand } from "./commands.js";
import type { CompileFields } from "./compiler.js";
import { DirectoryTracker, parseDirectoryMessage, resolvePath, type TrackerSnapshot } from "./directory.js";
import type { LogicalLine } from "./lines.js";
import {
  isChatter,
  parseDiagnostic,
  parseDiagnosticContext,
  parseMakeFailure,
  parseMakingIn,
  parseNinjaFailure,
  parseSilentRule,
} from "./messages.js";
import { expandResponseFiles, type ResponseFileReader } from "./response.js";
import { type SimpleCommand, splitCommandLine } from "./shell.js";
import { createStep, type StepFields } from "./step-object.js";
import { baseName, recognizeArchiver, recognizeCompiler } from "./tools.js";

/** Use of a log line in the summary's line accounting. The counts add up to `ParseSummary.lines`. */
export type LineCategory = "step" | "directory" | "diagnostic" | "chatter" | "blank" | "merged" | "noOp";

export interface ParserSettings {
  file: string;
  initialDirectory: string;
  readResponseFile: ResponseFileReader | undefined;
  responseFileRoots: readonly string[];
  /**
   * Directory state to start from instead of `initialDirectory`, for a parser that starts in the middle of
   * a log on a guess of that state. Such a parser records in `dependencies()` what it used of the state
   * before its first line, so the guess can be checked once the real state is known.
   */
  start?: TrackerSnapshot;
}

/** The state a parser carries from one line to the next, apart from its window of recent steps. */
export interface BoundaryState {
  tracker: TrackerSnapshot;
  diagnosticContextFile: string | undefined;
  pendingNinjaFailure: string[] | undefined;
  latin1Directories: string[];
  /** The directory of the last `cmake -E cmake_link_script`, whose link commands follow on their own lines. */
  linkScriptDirectory: WorkingDirectory | undefined;
}

/**
 * The uses a parser that started mid-log made of the state before its first line. Its steps equal those of
 * a parser that read the log from the start under three conditions. Its start guess equals the real state.
 * No listed miss matches the real window. No flag is set for a part of the real state that is set.
 */
export interface StartDependencies {
  /**
   * Lookups of a recent step that found nothing while steps from before the start would still have been in
   * the window. The guess holds only if none of them matches a step of the real window before the start.
   */
  windowMisses: WindowQuery[];
  /** The diagnostic context file was read before this parser set it. */
  readDiagnosticContext: boolean;
  /** The pending ninja failure was read before this parser set or cleared it. */
  readPendingNinjaFailure: boolean;
  /** The parser has set the diagnostic context file, so its value no longer comes from before the start. */
  wroteDiagnosticContext: boolean;
  /** The parser has set or cleared the pending ninja failure. */
  wrotePendingNinjaFailure: boolean;
  /** The link-script directory was read before this parser set or cleared it. */
  readLinkScriptDirectory: boolean;
  /** The parser has set or cleared the link-script directory. */
  wroteLinkScriptDirectory: boolean;
}

/** A lookup of a recent step, as data, so that it can be asked again of another parser's window. */
export type WindowQuery =
  /** The most recent link, for a linker message. */
  | { kind: "link" }
  /** A compile of this source file, for a compiler diagnostic. */
  | { kind: "compile"; file: string }
  /** A step that produces the target, or a shell step that names it, for make's failure report. */
  | { kind: "product" | "shell-source"; target: string; resolvedTarget: string }
  /**
   * A compile, archive, link or shell step that writes the file, or a silent-rule line that names it, for
   * pairing a silent-rule line with the command that `make --trace` prints for the same target.
   */
  | { kind: "builder" | "silent-rule"; target: string; resolvedTarget: string }
  /** The libtool compile that a `libtool: compile:` echo belongs to. */
  | { kind: "libtool"; source: string; resolvedSource: string; stem: string }
  /** The `libtool --mode=link` command whose product a `libtool: link:` echo builds. */
  | { kind: "libtool-link"; directory: string; product: string }
  /** Any step at all; stands for more misses than are worth listing. */
  | { kind: "any" };

/** Misses listed per parser before they are replaced by one `any` query. */
const MAX_LISTED_MISSES = 256;

/** Counts of a parse that add up over consecutive parts of a log. */
export interface ParseTotals {
  summary: ParseSummary;
  firstSilentLine: number | undefined;
  /** make's reports of a failed recipe that was not ignored (`*** [target] Error N`), and the first one. */
  failureReports?: number;
  firstFailure?: { line: number; text: string };
}

/**
 * Number of recent steps kept open for late diagnostics and failure reports. Under `make -j2` a compiler's
 * messages follow its command within a few steps, and 64 leaves room for higher job counts while keeping
 * memory bounded.
 */
export const WINDOW_SIZE = 64;

const LINKER_PROGRAM = /(?:^|\/)(?:ld|collect2|ld\.\w+)$/;
const NINJA_PROGRESS = /^\[\d+\/\d+\] /;
const LIBTOOL_ECHO = /^libtool: (compile|link|install|relink|finish|uninstall|clean): {1,2}/;
/** A command that runs libtool itself, as opposed to one that libtool printed as it ran it. */
const LIBTOOL_COMMAND = /(?:^|[\s/])libtool\s/;

export class LogParser {
  private readonly tracker: DirectoryTracker;
  /** Recent steps, oldest first, from `windowStart` on. The array is compacted now and then. */
  private window: BuildStep[] = [];
  private windowStart = 0;
  /** Compile steps in the window by the last component of their source, for attaching diagnostics. */
  private readonly compilesBySourceName = new Map<string, BuildStep[]>();
  private nextIndex = 0;
  private lastLine = 0;
  private diagnosticContextFile: string | undefined;
  private diagnosticContextSet = false;
  private pendingNinjaFailure: string[] | undefined;
  private pendingNinjaFailureSet = false;
  /**
   * CMake's Makefile generator runs `cd lib && cmake -E cmake_link_script … --verbose=1`, and the script
   * prints its link commands on the lines that follow. They ran in `lib`, but no line after the script names it.
   */
  private linkScriptDirectory: WorkingDirectory | undefined;
  private linkScriptDirectorySet = false;
  /** Steps created before the current line began. */
  private stepsBeforeLine = 0;
  /** Keys of the queries in `startDependencies.windowMisses`, so that each is listed once. */
  private readonly listedMisses = new Set<string>();
  private readonly startDependencies: StartDependencies = {
    windowMisses: [],
    readDiagnosticContext: false,
    readPendingNinjaFailure: false,
    wroteDiagnosticContext: false,
    wrotePendingNinjaFailure: false,
    readLinkScriptDirectory: false,
    wroteLinkScriptDirectory: false,
  };
  readonly lineCounts: Record<LineCategory, number> = {
    step: 0,
    directory: 0,
    diagnostic: 0,
    chatter: 0,
    blank: 0,
    merged: 0,
    noOp: 0,
  };
  private readonly stepCounts: Record<StepKind, number> = {
    compile: 0,
    archive: 0,
    link: 0,
    shell: 0,
    unknown: 0,
  };
  private ambiguous = 0;
  private silentTargets = 0;
  private unresolvedResponseFiles = 0;
  private unattachedDiagnostics = 0;
  private firstSilentLine: number | undefined;
  private failureReports = 0;
  private firstFailure: { line: number; text: string } | undefined;
  /**
   * Steps already paired with a silent-rule line, so that each command absorbs at most one. A second
   * `CC main.o` belongs to another build of `main.o`.
   */
  private readonly pairedSteps = new WeakSet<BuildStep>();
  /** Silent-rule steps in the window, so that most command lines skip the search for one. */
  private silentStepsInWindow = 0;

  /** Directories whose names came from log lines that were not UTF-8. */
  private readonly latin1Directories = new Set<string>();

  constructor(private readonly settings: ParserSettings) {
    this.tracker = new DirectoryTracker(settings.initialDirectory, settings.start);
  }

  /** Reads one logical line and returns the steps that left the window. */
  push(line: LogicalLine): BuildStep[] {
    this.lastLine = line.endLine;
    this.stepsBeforeLine = this.nextIndex;
    const category = this.classifyLine(line);
    this.lineCounts[category] += line.endLine - line.startLine + 1;
    if (category === "step") this.absorbEarlierSilentRules();
    return this.drain(WINDOW_SIZE);
  }

  /** Returns the steps still in the window, and the summary and log diagnostics. */
  finish(): { steps: BuildStep[]; summary: ParseSummary; diagnostics: LogDiagnostic[] } {
    const steps = this.drain(0);
    const totals = this.totals();
    return { steps, summary: totals.summary, diagnostics: summaryDiagnostics(totals) };
  }

  /** Returns the counts so far, for adding up the parts of a log parsed by several parsers. */
  totals(): ParseTotals {
    return {
      summary: this.summary(),
      firstSilentLine: this.firstSilentLine,
      ...(this.failureReports > 0 ? { failureReports: this.failureReports } : {}),
      ...(this.firstFailure === undefined ? {} : { firstFailure: this.firstFailure }),
    };
  }

  /** Returns the state that the next line would start from. */
  boundaryState(): BoundaryState {
    return {
      tracker: this.tracker.snapshot(),
      diagnosticContextFile: this.diagnosticContextFile,
      pendingNinjaFailure: this.pendingNinjaFailure,
      latin1Directories: [...this.latin1Directories],
      linkScriptDirectory: this.linkScriptDirectory,
    };
  }

  /** Returns what the parser read of the state before its first line; see `ParserSettings.start`. */
  dependencies(): StartDependencies {
    return {
      ...this.startDependencies,
      windowMisses: [...this.startDependencies.windowMisses],
      wroteDiagnosticContext: this.diagnosticContextSet,
      wrotePendingNinjaFailure: this.pendingNinjaFailureSet,
      wroteLinkScriptDirectory: this.linkScriptDirectorySet,
    };
  }

  /**
   * Takes over the values of the real state before the parser's start that it has not replaced itself,
   * once its start guess has proved right, so that the lines after its block see them.
   */
  inherit(before: BoundaryState): void {
    if (!this.diagnosticContextSet) this.diagnosticContextFile = before.diagnosticContextFile;
    if (!this.pendingNinjaFailureSet) this.pendingNinjaFailure = before.pendingNinjaFailure;
    if (!this.linkScriptDirectorySet) this.linkScriptDirectory = before.linkScriptDirectory;
  }

  /** Tells whether any of the queries matches a step in the window. */
  windowMatches(queries: readonly WindowQuery[]): boolean {
    for (let k = this.window.length - 1; k >= this.windowStart; k--) {
      const step = this.window[k] as BuildStep;
      if (queries.some((query) => matchesQuery(step, query))) return true;
    }
    return false;
  }

  /** Number of steps created so far, which is also the index the next step gets. */
  get stepCount(): number {
    return this.nextIndex;
  }

  private setDiagnosticContext(file: string): void {
    this.diagnosticContextFile = file;
    this.diagnosticContextSet = true;
  }

  private readDiagnosticContext(): string | undefined {
    if (!this.diagnosticContextSet) this.startDependencies.readDiagnosticContext = true;
    return this.diagnosticContextFile;
  }

  private setPendingNinjaFailure(products: string[] | undefined): void {
    this.pendingNinjaFailure = products;
    this.pendingNinjaFailureSet = true;
  }

  /**
   * Notes a lookup in the window that found nothing. Before the first WINDOW_SIZE steps of a parser that
   * started mid-log, the steps before its start could have matched.
   */
  private lookupMissed(query: WindowQuery): void {
    if (this.stepsBeforeLine >= WINDOW_SIZE) return;
    const misses = this.startDependencies.windowMisses;
    if (misses[0]?.kind === "any") return;
    // A block of compiler messages repeats the same few lookups many times, and one `any` in place of
    // the whole list would make the block be parsed again without need.
    const key = queryKey(query);
    if (this.listedMisses.has(key)) return;
    this.listedMisses.add(key);
    if (misses.length < MAX_LISTED_MISSES) misses.push(query);
    else this.startDependencies.windowMisses = [{ kind: "any" }];
  }

  private drain(keep: number): BuildStep[] {
    const open = this.window.length - this.windowStart;
    if (open <= keep) return [];
    const end = this.window.length - keep;
    const drained = this.window.slice(this.windowStart, end);
    this.windowStart = end;
    if (this.windowStart > 4 * WINDOW_SIZE || keep === 0) {
      this.window = this.window.slice(this.windowStart);
      this.windowStart = 0;
    }
    for (const step of drained) {
      if (step.kind === "unknown" && step.silentRule !== undefined) this.silentStepsInWindow--;
      if (step.kind !== "compile") continue;
      const name = baseName(step.source);
      const list = this.compilesBySourceName.get(name);
      if (list?.[0] === step) list.shift();
      if (list?.length === 0) this.compilesBySourceName.delete(name);
    }
    return drained;
  }

  private classifyLine(line: LogicalLine): LineCategory {
    const text = line.text;
    if (text.trim() === "") return "blank";

    const directoryMessage = parseDirectoryMessage(text);
    if (directoryMessage) {
      this.tracker.apply(directoryMessage);
      this.setLinkScriptDirectory(undefined);
      if (line.latin1) this.latin1Directories.add(this.tracker.current().path);
      return "directory";
    }
    const failure = parseMakeFailure(text);
    if (failure) {
      this.attachFailure(failure.target, failure.exitStatus, failure.ignored, line.startLine);
      if (!failure.ignored) {
        this.failureReports++;
        this.firstFailure ??= { line: line.startLine, text: text.trim() };
      }
      return "chatter";
    }
    const ninjaFailure = parseNinjaFailure(text);
    if (ninjaFailure) {
      this.setPendingNinjaFailure(ninjaFailure);
      return "chatter";
    }
    const makingIn = parseMakingIn(text);
    if (makingIn !== undefined) {
      this.tracker.infer(makingIn, "automake");
      return "directory";
    }
    const diagnostic = parseDiagnostic(text);
    if (diagnostic) {
      this.attachDiagnostic(diagnostic, line.startLine);
      return "diagnostic";
    }
    const context = parseDiagnosticContext(text);
    if (context) {
      // `header.h: In function` inside an include chain must not replace the source that the chain named.
      if (context.file !== undefined && !(context.header && isHeader(context.file)))
        this.setDiagnosticContext(context.file);
      return "diagnostic";
    }
    const silent = parseSilentRule(text);
    if (silent) {
      // Under `make --trace` the tag follows the command that builds the target, so the line is progress
      // output like CMake's `[ 50%] Building C object`.
      if (this.pairWithEarlierBuilder(silent.target)) return "chatter";
      this.silentTargets++;
      this.firstSilentLine ??= line.startLine;
      this.addStep(
        line,
        this.tracker.current(),
        {
          kind: "unknown",
          reason: "silent rule: the log names the target but not the command",
          silentRule: silent,
        },
        text,
        [],
      );
      return "step";
    }
    if (isChatter(text) && !LIBTOOL_ECHO.test(text)) return "chatter";
    return this.classifyCommandLine(line);
  }

  private classifyCommandLine(line: LogicalLine): LineCategory {
    let text = line.text;
    let libtoolEcho: string | undefined;
    const progress = NINJA_PROGRESS.exec(text);
    if (progress) text = text.slice(progress[0].length);
    const echo = LIBTOOL_ECHO.exec(text);
    if (echo) {
      libtoolEcho = echo[1];
      text = text.slice(echo[0].length);
    }
    const parsed = splitCommandLine(text);
    const indexBefore = this.nextIndex;
    if (parsed.incomplete || parsed.commands.length === 0) {
      if (parsed.commands.length === 0 && !parsed.incomplete) return "noOp";
      this.addUnknown(line, "not a complete shell command (unbalanced quotes or parentheses)", text);
      return "step";
    }
    if (!/^[A-Za-z0-9_./$({"'`[:!-]/.test(text.trimStart())) {
      this.addUnknown(line, "unrecognised line", text);
      return "step";
    }

    const cdDirectories = new Map<number, WorkingDirectory>();
    const unknown: { command: SimpleCommand; reason: string }[] = [];
    let merged = false;
    for (const original of parsed.commands) {
      const command = withoutReservedWords(original);
      if (command === undefined) continue;
      const directory = this.directoryFor(command, cdDirectories);
      const program = command.words[0];
      if (program === "cd") {
        const target = command.words[1];
        if (target !== undefined && target !== "-" && !command.unexpanded) {
          cdDirectories.set(command.scope[command.scope.length - 1] ?? 0, {
            path: resolvePath(directory.path, target),
            source: "cd",
          });
        }
        continue;
      }
      if (program === undefined) continue;
      const unwrapped = unwrapCommand(command.words);
      if (libtoolEcho !== undefined) unwrapped.wrappers.unshift("libtool");
      // Only compiler drivers and GNU ar read `@file` (CMake with Ninja passes an archive's members that way);
      // elsewhere a word such as `@CODE_MODEL@` is plain text.
      const tool = unwrapped.argv[0] ?? "";
      const responseFiles =
        recognizeCompiler(tool) !== undefined || recognizeArchiver(tool) === "ar"
          ? this.expandResponse(unwrapped.argv, directory.path)
          : { argv: unwrapped.argv, files: [] };
      const classified = classifyCommand(command, { ...unwrapped, argv: responseFiles.argv });
      if (classified.kind === "no-op") continue;
      if (classified.kind === "unknown") {
        unknown.push({ command, reason: classified.reason });
        continue;
      }
      if (
        classified.kind === "compiler" &&
        libtoolEcho === "compile" &&
        this.mergeLibtoolEcho(classified, directory, line.startLine)
      ) {
        merged = true;
        continue;
      }
      this.addClassified(
        line,
        directory,
        text,
        command,
        unwrapped.wrappers,
        unwrapped.argv,
        classified,
        responseFiles.files,
      );
      if (libtoolEcho === "link") this.markLibtoolLink();
    }
    // A link script's own commands keep its directory for the lines after them; anything else ends it.
    // Only a state that may be set needs the test of each command, which keeps plain compile lines cheap.
    const mayBeSet = this.linkScriptMayBeOpen();
    let scriptDirectory: WorkingDirectory | undefined;
    let onlyLinkCommands = true;
    for (const command of parsed.commands) {
      const words = command.words;
      if (words[2] === "cmake_link_script" && words[1] === "-E" && baseName(words[0] as string) === "cmake")
        scriptDirectory = this.directoryFor(command, cdDirectories);
      else if (mayBeSet && onlyLinkCommands && words.length > 0 && words[0] !== "cd")
        onlyLinkCommands = isLinkScriptCommand(words);
    }
    if (scriptDirectory !== undefined) this.setLinkScriptDirectory(scriptDirectory);
    else if (mayBeSet && !onlyLinkCommands) this.setLinkScriptDirectory(undefined);
    const producedSteps = this.nextIndex > indexBefore;
    if (unknown.length > 0) {
      if (!producedSteps && !merged) {
        const first = unknown[0] as { command: SimpleCommand; reason: string };
        this.addUnknown(line, first.reason, text, first.command.words);
      } else {
        for (const entry of unknown) this.addUnknown(line, entry.reason, text, entry.command.words);
      }
    }
    this.setPendingNinjaFailure(undefined);
    if (this.nextIndex > indexBefore) return "step";
    return merged ? "merged" : "noOp";
  }

  /** Tells whether a link script's directory is set, or may be set by lines before this parser's start. */
  private linkScriptMayBeOpen(): boolean {
    return this.linkScriptDirectory !== undefined || !this.linkScriptDirectorySet;
  }

  private setLinkScriptDirectory(directory: WorkingDirectory | undefined): void {
    this.linkScriptDirectory = directory;
    this.linkScriptDirectorySet = true;
  }

  private directoryFor(
    command: SimpleCommand,
    cdDirectories: Map<number, WorkingDirectory>,
  ): WorkingDirectory {
    for (let k = command.scope.length - 1; k >= 0; k--) {
      const found = cdDirectories.get(command.scope[k] as number);
      if (found) return found;
    }
    if (this.linkScriptMayBeOpen() && command.words[0] !== "cd" && isLinkScriptCommand(command.words)) {
      if (!this.linkScriptDirectorySet) this.startDependencies.readLinkScriptDirectory = true;
      if (this.linkScriptDirectory !== undefined) return this.linkScriptDirectory;
    }
    return this.tracker.current();
  }

  private expandResponse(
    argv: string[],
    directory: string,
  ): { argv: string[]; files: { path: string; resolved: boolean }[] } {
    if (!argv.some((word) => word.startsWith("@") && word.length > 1)) return { argv, files: [] };
    const result = expandResponseFiles(
      argv,
      directory,
      this.settings.responseFileRoots,
      this.settings.readResponseFile,
    );
    for (const file of result.files) if (!file.resolved) this.unresolvedResponseFiles++;
    return result;
  }

  private addClassified(
    line: LogicalLine,
    directory: WorkingDirectory,
    text: string,
    command: SimpleCommand,
    wrappers: string[],
    argv: string[],
    classified: Exclude<CommandClass, { kind: "no-op" } | { kind: "unknown" }>,
    responseFiles: { path: string; resolved: boolean }[],
  ): void {
    const extra = { environment: command.environment, wrappers };
    if (classified.kind === "compiler") {
      const { run } = classified;
      if (run.kind === "other") {
        this.addStep(line, directory, { kind: "unknown", reason: run.reason }, text, argv, extra);
        return;
      }
      for (const compile of run.compiles) {
        const fields = this.compileFields(
          classified.tool,
          classified.compiler.family,
          compile,
          responseFiles,
        );
        this.addStep(line, directory, fields, text, argv, extra);
      }
      if (run.link) {
        const link: Omit<LinkStep, keyof StepBase> = { kind: "link", tool: classified.tool, ...run.link };
        this.addStep(line, directory, link, text, argv, extra);
      }
      return;
    }
    if (classified.kind === "archive") {
      this.addStep(line, directory, { kind: "archive", ...classified.fields }, text, argv, extra);
      return;
    }
    this.addStep(line, directory, { kind: "shell", ...classified.fields }, text, argv, extra);
    if (classified.fields.operation === "submake") this.inferSubmakeDirectory(classified.fields, directory);
  }

  /**
   * Records the directory of `make -C DIR` when that make will not announce it. GNU make prints Entering and
   * Leaving for `-C` unless `--no-print-directory` or `-s` is given, and ninja never prints them for `-C`.
   */
  private inferSubmakeDirectory(
    fields: { tool: string; options: string[] },
    directory: WorkingDirectory,
  ): void {
    const target = optionValue(fields.options, ["-C", "--directory"]);
    if (target === undefined || target.includes("$")) return;
    const isNinja = baseName(fields.tool) === "ninja";
    const silent = fields.options.some(
      (option) =>
        option === "--no-print-directory" ||
        option === "--silent" ||
        option === "--quiet" ||
        /^-[a-zA-Z]*s[a-zA-Z]*$/.test(option),
    );
    if (!isNinja && !silent) return;
    this.tracker.infer(resolvePath(directory.path, target), "make-c");
  }

  private compileFields(
    tool: string,
    family: CompileStep["compiler"],
    compile: CompileFields,
    responseFiles: { path: string; resolved: boolean }[],
  ): Omit<CompileStep, keyof StepBase> {
    // Every field is set, `undefined` when absent, so that all these objects share one V8 hidden class.
    return {
      kind: "compile",
      tool,
      compiler: family,
      source: compile.source,
      output: compile.output,
      outputImplied: compile.outputImplied,
      language: compile.language,
      includes: compile.includes,
      defines: compile.defines,
      undefines: compile.undefines,
      forcedIncludes: compile.forcedIncludes,
      optimization: compile.optimization,
      debug: compile.debug,
      standard: compile.standard,
      warnings: compile.warnings,
      dependencyFlags: compile.dependencyFlags,
      pic: compile.pic,
      otherFlags: compile.otherFlags,
      responseFiles: responseFiles.length > 0 ? responseFiles : undefined,
      objects: undefined,
    };
  }

  private addUnknown(line: LogicalLine, reason: string, text: string, argv: string[] = []): void {
    this.addStep(line, this.tracker.current(), { kind: "unknown", reason }, text, argv);
  }

  private addStep(
    line: LogicalLine,
    directory: WorkingDirectory,
    fields: StepFields,
    command: string,
    argv: string[],
    extra: { environment?: Record<string, string>; wrappers?: string[] } = {},
  ): void {
    const base: StepBase = {
      index: this.nextIndex++,
      origin: { file: this.settings.file, startLine: line.startLine, endLine: line.endLine },
      directory,
      command,
      argv,
      wrappers: extra.wrappers && extra.wrappers.length > 0 ? extra.wrappers : undefined,
      environment: extra.environment && hasKeys(extra.environment) ? extra.environment : undefined,
      diagnostics: [],
      status: { result: "unknown" },
      // NOTE: a step that mixes a Latin-1 directory with a UTF-8 command line is marked Latin-1 as a whole,
      // so re-encoding its UTF-8 characters with Latin-1 does not give the log's bytes back.
      encoding: line.latin1 || this.latin1Directories.has(directory.path) ? "latin1" : undefined,
    };
    const ordered = createStep(base, fields);
    this.stepCounts[ordered.kind]++;
    if (directory.ambiguous) this.ambiguous++;
    if (!this.pendingNinjaFailureSet) this.startDependencies.readPendingNinjaFailure = true;
    const ninjaFailure = this.pendingNinjaFailure;
    if (ninjaFailure && productsOf(ordered).some((product) => ninjaFailure.includes(product))) {
      ordered.status = { result: "failed" };
    }
    this.window.push(ordered);
    if (ordered.kind === "unknown" && ordered.silentRule !== undefined) this.silentStepsInWindow++;
    if (ordered.kind === "compile") {
      const name = baseName(ordered.source);
      const list = this.compilesBySourceName.get(name);
      if (list) list.push(ordered);
      else this.compilesBySourceName.set(name, [ordered]);
    }
  }

  /**
   * Folds a `libtool: compile:` echo into the libtool compile step it belongs to: libtool prints one echo
   * per object it builds (PIC into `.libs/`, non-PIC beside the `.lo`), which are one logical compile.
   */
  private mergeLibtoolEcho(
    classified: Extract<CommandClass, { kind: "compiler" }>,
    directory: WorkingDirectory,
    logLine: number,
  ): boolean {
    if (classified.run.kind !== "build" || classified.run.compiles.length !== 1) return false;
    const echoed = classified.run.compiles[0] as CompileFields;
    const query: WindowQuery = {
      kind: "libtool",
      source: echoed.source,
      resolvedSource: resolvePath(directory.path, echoed.source),
      stem: stemOf(echoed.output),
    };
    const step = this.findStep((candidate) => matchesQuery(candidate, query));
    if (step?.kind === "compile") {
      const objects = (step as CompileStep & { objects?: LibtoolObject[] }).objects ?? [];
      objects.push({ output: echoed.output, pic: echoed.pic, logLine });
      (step as CompileStep & { objects?: LibtoolObject[] }).objects = objects;
      return true;
    }
    this.lookupMissed(query);
    return false;
  }

  /**
   * Marks the `libtool --mode=link` command whose product the step just added from a `libtool: link:` echo
   * builds, so that translators do not run the same link twice. Echoes without a product (`ranlib`, the
   * symbolic links in `.libs`) follow one that has one.
   */
  private markLibtoolLink(): void {
    const echoed = this.window[this.window.length - 1];
    let product: string | undefined;
    if (echoed?.kind === "link") product = echoed.output;
    else if (echoed?.kind === "archive") product = echoed.library;
    if (echoed === undefined || product === undefined) return;
    const query: WindowQuery = { kind: "libtool-link", directory: echoed.directory.path, product };
    const wrapper = this.findStep((step) => step !== echoed && matchesQuery(step, query));
    if (wrapper?.kind === "link") wrapper.libtoolCommandsShown = true;
    else this.lookupMissed(query);
  }

  /**
   * Pairs a silent-rule line with the most recent unpaired step in the window that writes its target,
   * compared as resolved paths. Returns false when there is none.
   * NOTE: under `make -j` without `-O`, a line printed while a sub-make's directory is open is resolved
   * against that directory, so it can miss the command that the top make printed.
   */
  private pairWithEarlierBuilder(target: string): boolean {
    // Only a parser whose window may lack earlier steps needs the query of a miss.
    if (this.stepsBeforeLine >= WINDOW_SIZE && !this.windowBuildsName(baseName(target))) return false;
    const resolvedTarget = resolvePath(this.tracker.current().path, target);
    const query: WindowQuery = { kind: "builder", target, resolvedTarget };
    const builder = this.findStep((step) => !this.pairedSteps.has(step) && matchesQuery(step, query));
    if (!builder) {
      this.lookupMissed(query);
      return false;
    }
    this.pairedSteps.add(builder);
    return true;
  }

  /**
   * Removes from the window each silent-rule step whose target a step of the current line writes. Under
   * `make --trace` a recipe that echoes the tag in one line and runs the command in the next prints the tag
   * before the command. With `make -j` other jobs' lines can come between them, so the whole window is
   * searched. The steps after a removed one are numbered again, which is safe because none of them has left
   * the window yet.
   */
  private absorbEarlierSilentRules(): void {
    // A parser that started mid-log still notes its misses, because the log before it may hold such steps.
    if (this.silentStepsInWindow === 0 && this.stepsBeforeLine >= WINDOW_SIZE) return;
    const created = this.nextIndex - this.stepsBeforeLine;
    const newSteps = this.window.slice(this.window.length - created);
    for (const step of newSteps) {
      if (step.kind === "unknown") continue;
      for (const product of productsOf(step)) {
        if (this.stepsBeforeLine >= WINDOW_SIZE && !this.windowHasTag(baseName(product))) continue;
        const query: WindowQuery = {
          kind: "silent-rule",
          target: product,
          resolvedTarget: resolvePath(step.directory.path, product),
        };
        const position = this.findPosition(
          (candidate) => candidate.index < this.stepsBeforeLine && matchesQuery(candidate, query),
        );
        if (position === undefined) {
          this.lookupMissed(query);
          continue;
        }
        this.removeSilentStep(position);
        this.pairedSteps.add(step);
        break;
      }
    }
  }

  /** Takes the silent-rule step at `position` of the window back out of the steps and the counts. */
  /** Tells whether a step in the window other than an unknown one writes a file that ends in `name`. */
  private windowBuildsName(name: string): boolean {
    for (let k = this.window.length - 1; k >= this.windowStart; k--) {
      const file = builtFile(this.window[k] as BuildStep);
      if (file?.endsWith(name)) return true;
    }
    return false;
  }

  /** Tells whether a silent-rule step in the window names a target that ends in `name`. */
  private windowHasTag(name: string): boolean {
    for (let k = this.window.length - 1; k >= this.windowStart; k--) {
      const step = this.window[k] as BuildStep;
      if (step.kind === "unknown" && step.silentRule?.target.endsWith(name)) return true;
    }
    return false;
  }

  private removeSilentStep(position: number): void {
    const [removed] = this.window.splice(position, 1) as [BuildStep];
    for (let k = position; k < this.window.length; k++) (this.window[k] as BuildStep).index--;
    this.nextIndex--;
    this.stepsBeforeLine--;
    this.stepCounts.unknown--;
    this.silentTargets--;
    this.silentStepsInWindow--;
    if (removed.directory.ambiguous) this.ambiguous--;
    const lines = removed.origin.endLine - removed.origin.startLine + 1;
    this.lineCounts.step -= lines;
    this.lineCounts.chatter += lines;
    if (this.firstSilentLine === removed.origin.startLine) {
      // Every silent-rule step after the removed one is still in the window, and none before it is left.
      const next = this.findFirst((step) => step.kind === "unknown" && step.silentRule !== undefined);
      this.firstSilentLine = next?.origin.startLine;
    }
  }

  private attachDiagnostic(diagnostic: ReturnType<typeof parseDiagnostic> & object, logLine: number): void {
    // Linker messages name an object or no file at all, so they go to the most recent link.
    if (diagnostic.file && LINKER_PROGRAM.test(diagnostic.file)) {
      const query: WindowQuery = { kind: "link" };
      const link = this.findStep((candidate) => matchesQuery(candidate, query));
      if (link) link.diagnostics.push({ ...diagnostic, logLine });
      else {
        this.lookupMissed(query);
        this.unattachedDiagnostics++;
      }
      return;
    }
    // A message about a header belongs to the source that included it. A message about another source
    // file that no step compiled is not guessed at.
    const useContext =
      diagnostic.file === undefined || isHeader(diagnostic.file) || !/\.[A-Za-z+]+$/.test(diagnostic.file);
    const candidates = [diagnostic.file, useContext ? this.readDiagnosticContext() : undefined].filter(
      (file): file is string => file !== undefined,
    );
    for (const file of candidates) {
      // The same test as `matchesQuery` for a compile query, on the compiles with the same last component.
      const query: WindowQuery = { kind: "compile", file };
      const sameName = this.compilesBySourceName.get(baseName(file)) ?? [];
      const step = findLast(sameName, (candidate) => matchesQuery(candidate, query));
      if (step) {
        step.diagnostics.push({ ...diagnostic, logLine });
        this.setDiagnosticContext(file);
        return;
      }
      this.lookupMissed(query);
    }
    this.unattachedDiagnostics++;
  }

  private attachFailure(target: string, exitStatus: number, ignored: boolean, logLine: number): void {
    const resolvedTarget = resolvePath(this.tracker.current().path, target);
    const products: WindowQuery = { kind: "product", target, resolvedTarget };
    const operands: WindowQuery = { kind: "shell-source", target, resolvedTarget };
    // A recipe may end in a command that names its target without producing it, such as `rm TARGET` or
    // `touch TARGET`, so shell operands are tried after products.
    const producer = this.findStep((candidate) => matchesQuery(candidate, products));
    if (!producer) this.lookupMissed(products);
    const step = producer ?? this.findStep((candidate) => matchesQuery(candidate, operands));
    if (!step) {
      this.lookupMissed(operands);
      return;
    }
    step.status = { result: ignored ? "failed-ignored" : "failed", exitStatus, logLine };
  }

  private findStep(predicate: (step: BuildStep) => boolean): BuildStep | undefined {
    const position = this.findPosition(predicate);
    return position === undefined ? undefined : this.window[position];
  }

  /** Returns the position in `window` of the most recent step that matches. */
  private findPosition(predicate: (step: BuildStep) => boolean): number | undefined {
    for (let k = this.window.length - 1; k >= this.windowStart; k--) {
      if (predicate(this.window[k] as BuildStep)) return k;
    }
    return undefined;
  }

  /** Returns the oldest step in the window that matches. */
  private findFirst(predicate: (step: BuildStep) => boolean): BuildStep | undefined {
    for (let k = this.windowStart; k < this.window.length; k++) {
      const step = this.window[k] as BuildStep;
      if (predicate(step)) return step;
    }
    return undefined;
  }

  private summary(): ParseSummary {
    const summary: ParseSummary & {
      lineCounts?: Record<LineCategory, number>;
      unattachedDiagnostics?: number;
    } = {
      lines: this.lastLine,
      steps: { ...this.stepCounts },
      ambiguousDirectories: this.ambiguous,
      silentRuleTargets: this.silentTargets,
      unresolvedResponseFiles: this.unresolvedResponseFiles,
      unattachedDiagnostics: this.unattachedDiagnostics,
      lineCounts: { ...this.lineCounts },
    };
    return summary;
  }
}

/** Adds the counts of two consecutive parts of a log, `first` being the earlier part. */
export function addTotals(first: ParseTotals, second: ParseTotals): ParseTotals {
  const left = first.summary;
  const right = second.summary;
  const steps = { ...left.steps };
  for (const kind of Object.keys(steps) as StepKind[]) steps[kind] += right.steps[kind];
  const lineCounts = { ...(left.lineCounts as Record<LineCategory, number>) };
  for (const category of Object.keys(lineCounts) as LineCategory[])
    lineCounts[category] += right.lineCounts?.[category] ?? 0;
  // The same fields in the same order as `LogParser.summary`, because the order shows in JSON output.
  const summary: ParseSummary = {
    lines: Math.max(left.lines, right.lines),
    steps,
    ambiguousDirectories: left.ambiguousDirectories + right.ambiguousDirectories,
    silentRuleTargets: left.silentRuleTargets + right.silentRuleTargets,
    unresolvedResponseFiles: left.unresolvedResponseFiles + right.unresolvedResponseFiles,
    unattachedDiagnostics: (left.unattachedDiagnostics ?? 0) + (right.unattachedDiagnostics ?? 0),
    lineCounts,
  };
  const failureReports = (first.failureReports ?? 0) + (second.failureReports ?? 0);
  const firstFailure = first.firstFailure ?? second.firstFailure;
  return {
    summary,
    firstSilentLine: first.firstSilentLine ?? second.firstSilentLine,
    ...(failureReports > 0 ? { failureReports } : {}),
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}

/** Returns the warnings about the log as a whole that a parse's totals call for. */
export function summaryDiagnostics(totals: ParseTotals): LogDiagnostic[] {
  const { summary, firstSilentLine } = totals;
  const diagnostics: LogDiagnostic[] = [];
  if (summary.silentRuleTargets > 0) {
    diagnostics.push({
      severity: "warning",
      message: `${plural(summary.silentRuleTargets, "target was", "targets were")} built by silent rules, so the log names them without their commands`,
      ...(firstSilentLine === undefined ? {} : { line: firstSilentLine }),
      hint: "Rebuild with V=1 (automake, Erlang/OTP), VERBOSE=1 (CMake Makefiles) or ninja -v (or capture make -n when the Makefile hides its commands with @), and give vmsport that log.",
    });
  }
  if (summary.unresolvedResponseFiles > 0) {
    diagnostics.push({
      severity: "warning",
      message: `${plural(summary.unresolvedResponseFiles, "response file (@file)", "response files (@file)")} could not be read, so the steps that name them lack those options`,
      hint: "Keep the files with `ninja -d keeprsp`, and run vmsport in the build tree or give the directory the build ran in with --directory.",
    });
  }
  if (totals.firstFailure !== undefined) {
    const count = totals.failureReports ?? 1;
    diagnostics.push({
      severity: "warning",
      message: `make reported ${count === 1 ? "a failed recipe" : `${count} failed recipes`} (the first: ${totals.firstFailure.text}), so the build stopped or skipped targets and the log may lack steps of a complete build`,
      line: totals.firstFailure.line,
      hint: "Give vmsport the log of a build that succeeds. make -n stops where a recipe needs a file that only a real build makes (a libtool library, a generated header): run make first, then capture make -n -B.",
    });
  }
  if (summary.ambiguousDirectories > 0) {
    diagnostics.push({
      severity: "warning",
      message: `${plural(summary.ambiguousDirectories, "step", "steps")} ran while several directories were active, so the directory is ambiguous`,
      hint: "Capture the build with `make -O` (GNU make 4.0 or later) so each job's output stays together.",
    });
  }
  return diagnostics;
}

/** An object libtool built for a `.lo`, from its `libtool: compile:` echo. */
export interface LibtoolObject {
  output: string;
  pic: boolean;
  logLine: number;
}

const LEADING_RESERVED = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{"]);
const CLOSING_RESERVED = new Set(["fi", "done", "esac", "}"]);

/**
 * Drops the shell's reserved words in front of a command (`then cmd`, `do cmd`), so the command inside a
 * compound statement is classified. A `for` header and the closing words are no command at all.
 */
function withoutReservedWords(command: SimpleCommand): SimpleCommand | undefined {
  let k = 0;
  while (k < command.words.length && LEADING_RESERVED.has(command.words[k] as string)) k++;
  const first = command.words[k];
  if (first === undefined || first === "for" || first === "select" || CLOSING_RESERVED.has(first))
    return undefined;
  if (k === 0) return command;
  return { ...command, words: command.words.slice(k) };
}

function hasKeys(record: Record<string, string>): boolean {
  for (const _ in record) return true;
  return false;
}

function plural(count: number, singular: string, pluralForm: string): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function findLast<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let k = items.length - 1; k >= 0; k--) if (predicate(items[k] as T)) return items[k];
  return undefined;
}

function isHeader(file: string): boolean {
  return /\.(?:h|hh|hpp|hxx|h\+\+|H|inc|def|tab)$/.test(file);
}

function stemOf(file: string): string {
  const name = baseName(file);
  const dot = name.lastIndexOf(".");
  const directory = file.slice(0, file.length - name.length).replace(/\.libs\/$/, "");
  return `${directory}${dot > 0 ? name.slice(0, dot) : name}`;
}

/** Returns a string that equals another query's key exactly when the two queries match the same steps. */
function queryKey(query: WindowQuery): string {
  switch (query.kind) {
    case "link":
    case "any":
      return query.kind;
    case "compile":
      return `compile\0${query.file}`;
    case "product":
    case "shell-source":
    case "builder":
    case "silent-rule":
      return `${query.kind}\0${query.target}\0${query.resolvedTarget}`;
    case "libtool":
      return `libtool\0${query.source}\0${query.resolvedSource}\0${query.stem}`;
    case "libtool-link":
      return `libtool-link\0${query.directory}\0${query.product}`;
  }
}

/** Tells whether a step is one that the query looks for. */
function matchesQuery(step: BuildStep, query: WindowQuery): boolean {
  switch (query.kind) {
    case "link":
      return step.kind === "link";
    case "compile":
      return step.kind === "compile" && sameFile(step, step.source, query.file);
    case "product":
      return productsOf(step).some((product) => namesTarget(product, step.directory.path, query));
    case "shell-source":
      return (
        step.kind === "shell" &&
        step.sources.some((source) => namesTarget(source, step.directory.path, query))
      );
    case "builder":
      return (
        step.kind !== "unknown" &&
        productsOf(step).some((product) => isSameFile(product, step.directory.path, query.resolvedTarget))
      );
    case "silent-rule":
      return (
        step.kind === "unknown" &&
        step.silentRule !== undefined &&
        isSameFile(step.silentRule.target, step.directory.path, query.resolvedTarget)
      );
    case "libtool":
      return (
        step.kind === "compile" &&
        step.wrappers?.includes("libtool") === true &&
        step.output.endsWith(".lo") &&
        baseName(step.source) === baseName(query.source) &&
        resolvePath(step.directory.path, step.source) === query.resolvedSource &&
        stemOf(step.output) === query.stem
      );
    case "libtool-link":
      return (
        step.kind === "link" &&
        step.wrappers?.includes("libtool") === true &&
        LIBTOOL_COMMAND.test(step.command) &&
        step.directory.path === query.directory &&
        isLibtoolProductOf(step.output, query.product)
      );
    case "any":
      return true;
  }
}

/**
 * Tells whether `built`, a file that a `libtool: link:` echo writes, is a product of the libtool link whose
 * output is `output`. `libx.la` builds `.libs/libx.so.1.2.3`, `.libs/libx-0.so.2` (with -release) and
 * `.libs/libx.a`. A program `prog` is linked as `.libs/prog`, `.libs/lt-prog` or `prog` itself.
 */
function isLibtoolProductOf(output: string, built: string): boolean {
  const name = baseName(built);
  const stem = baseName(output).replace(/\.la$/, "");
  if (!output.endsWith(".la")) return name === stem || name === `lt-${stem}`;
  return name.startsWith(`${stem}.`) || name.startsWith(`${stem}-`);
}

/** Tells whether `file`, relative to `directory`, is the target of a make failure report. */
function namesTarget(
  file: string,
  directory: string,
  query: { target: string; resolvedTarget: string },
): boolean {
  if (file === query.target) return true;
  return baseName(file) === baseName(query.target) && resolvePath(directory, file) === query.resolvedTarget;
}

/** Tells whether `file`, relative to `directory`, resolves to `resolved`. */
function isSameFile(file: string, directory: string, resolved: string): boolean {
  // Comparing the last components first avoids resolving paths for the many steps that cannot match.
  if (baseName(file) !== baseName(resolved)) return false;
  return resolvePath(directory, file) === resolved;
}

function sameFile(step: BuildStep, stepPath: string, reported: string): boolean {
  if (stepPath === reported) return true;
  // Comparing the last components first avoids resolving paths for the many steps that cannot match.
  if (baseName(stepPath) !== baseName(reported)) return false;
  return resolvePath(step.directory.path, stepPath) === resolvePath(step.directory.path, reported);
}

/** Return the file that a step other than an unknown one writes, as `productsOf` gives it. */
function builtFile(step: BuildStep): string | undefined {
  switch (step.kind) {
    case "compile":
    case "link":
      return step.output;
    case "archive":
      return step.library;
    case "shell":
      return step.destination;
    default:
      return undefined;
  }
}

function productsOf(step: BuildStep): string[] {
  switch (step.kind) {
    case "compile":
      return [step.output];
    case "link":
      return [step.output];
    case "archive":
      return [step.library];
    case "shell":
      return step.destination === undefined ? [] : [step.destination];
    default:
      return step.silentRule ? [step.silentRule.target] : [];
  }
}

function optionValue(options: readonly string[], names: readonly string[]): string | undefined {
  for (let k = 0; k < options.length; k++) {
    const option = options[k] as string;
    if (names.includes(option)) return options[k + 1];
    if (option.startsWith("-C") && option.length > 2 && names.includes("-C")) return option.slice(2);
    if (option.startsWith("--directory=")) return option.slice(12);
  }
  return undefined;
}

/**
 * Tells whether a command is one a CMake link script runs: a compiler driver that links (no `-c`), `ar` or
 * `ranlib`. Their lines after `cmake -E cmake_link_script` ran in the script's directory.
 */
function isLinkScriptCommand(words: readonly string[]): boolean {
  const program = words[0];
  if (program === undefined) return false;
  if (recognizeArchiver(program) !== undefined) return true;
  return recognizeCompiler(program) !== undefined && !words.includes("-c");
}
