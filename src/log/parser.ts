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
import { DirectoryTracker, parseDirectoryMessage, resolvePath } from "./directory.js";
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
import { baseName, recognizeCompiler } from "./tools.js";

/** Use of a log line in the summary's line accounting. The counts add up to `ParseSummary.lines`. */
export type LineCategory = "step" | "directory" | "diagnostic" | "chatter" | "blank" | "merged" | "noOp";

export interface ParserSettings {
  file: string;
  initialDirectory: string;
  readResponseFile: ResponseFileReader | undefined;
  responseFileRoots: readonly string[];
}

/**
 * Number of recent steps kept open for late diagnostics and failure reports. Under `make -j2` a compiler's
 * messages follow its command within a few steps, and 64 leaves room for higher job counts while keeping
 * memory bounded.
 */
const WINDOW_SIZE = 64;

const LINKER_PROGRAM = /(?:^|\/)(?:ld|collect2|ld\.\w+)$/;
const NINJA_PROGRESS = /^\[\d+\/\d+\] /;
const LIBTOOL_ECHO = /^libtool: (compile|link|install|relink|finish|uninstall|clean): {1,2}/;

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
  private pendingNinjaFailure: string[] | undefined;
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
  /** Directories whose names came from log lines that were not UTF-8. */
  private readonly latin1Directories = new Set<string>();

  constructor(private readonly settings: ParserSettings) {
    this.tracker = new DirectoryTracker(settings.initialDirectory);
  }

  /** Reads one logical line and returns the steps that left the window. */
  push(line: LogicalLine): BuildStep[] {
    this.lastLine = line.endLine;
    const category = this.classifyLine(line);
    this.lineCounts[category] += line.endLine - line.startLine + 1;
    return this.drain(WINDOW_SIZE);
  }

  /** Returns the steps still in the window, and the summary and log diagnostics. */
  finish(): { steps: BuildStep[]; summary: ParseSummary; diagnostics: LogDiagnostic[] } {
    const steps = this.drain(0);
    return { steps, summary: this.summary(), diagnostics: this.logDiagnostics() };
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
      if (line.latin1) this.latin1Directories.add(this.tracker.current().path);
      return "directory";
    }
    const failure = parseMakeFailure(text);
    if (failure) {
      this.attachFailure(failure.target, failure.exitStatus, failure.ignored, line.startLine);
      return "chatter";
    }
    const ninjaFailure = parseNinjaFailure(text);
    if (ninjaFailure) {
      this.pendingNinjaFailure = ninjaFailure;
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
        this.diagnosticContextFile = context.file;
      return "diagnostic";
    }
    const silent = parseSilentRule(text);
    if (silent) {
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
      // Only compiler drivers read `@file`; elsewhere a word such as `@CODE_MODEL@` is plain text.
      const responseFiles = recognizeCompiler(unwrapped.argv[0] ?? "")
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
    }
    const producedSteps = this.nextIndex > indexBefore;
    if (unknown.length > 0) {
      if (!producedSteps && !merged) {
        const first = unknown[0] as { command: SimpleCommand; reason: string };
        this.addUnknown(line, first.reason, text, first.command.words);
      } else {
        for (const entry of unknown) this.addUnknown(line, entry.reason, text, entry.command.words);
      }
    }
    this.pendingNinjaFailure = undefined;
    if (this.nextIndex > indexBefore) return "step";
    return merged ? "merged" : "noOp";
  }

  private directoryFor(
    command: SimpleCommand,
    cdDirectories: Map<number, WorkingDirectory>,
  ): WorkingDirectory {
    for (let k = command.scope.length - 1; k >= 0; k--) {
      const found = cdDirectories.get(command.scope[k] as number);
      if (found) return found;
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
    const fields: Omit<CompileStep, keyof StepBase> = { kind: "compile", tool, compiler: family, ...compile };
    if (responseFiles.length > 0) fields.responseFiles = responseFiles;
    return fields;
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
    if (
      this.pendingNinjaFailure &&
      productsOf(ordered).some((product) => this.pendingNinjaFailure?.includes(product))
    ) {
      ordered.status = { result: "failed" };
    }
    this.window.push(ordered);
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
    const echoedSource = resolvePath(directory.path, echoed.source);
    const stem = stemOf(echoed.output);
    for (let k = this.window.length - 1; k >= this.windowStart; k--) {
      const step = this.window[k] as BuildStep;
      if (step.kind !== "compile" || !step.wrappers?.includes("libtool") || !step.output.endsWith(".lo"))
        continue;
      if (baseName(step.source) !== baseName(echoed.source)) continue;
      if (resolvePath(step.directory.path, step.source) !== echoedSource || stemOf(step.output) !== stem)
        continue;
      const objects = (step as CompileStep & { objects?: LibtoolObject[] }).objects ?? [];
      objects.push({ output: echoed.output, pic: echoed.pic, logLine });
      (step as CompileStep & { objects?: LibtoolObject[] }).objects = objects;
      return true;
    }
    return false;
  }

  private attachDiagnostic(diagnostic: ReturnType<typeof parseDiagnostic> & object, logLine: number): void {
    // Linker messages name an object or no file at all, so they go to the most recent link.
    if (diagnostic.file && LINKER_PROGRAM.test(diagnostic.file)) {
      const link = this.findStep((candidate) => candidate.kind === "link");
      if (link) link.diagnostics.push({ ...diagnostic, logLine });
      else this.unattachedDiagnostics++;
      return;
    }
    // A message about a header belongs to the source that included it. A message about another source
    // file that no step compiled is not guessed at.
    const useContext =
      diagnostic.file === undefined || isHeader(diagnostic.file) || !/\.[A-Za-z+]+$/.test(diagnostic.file);
    const candidates = [diagnostic.file, useContext ? this.diagnosticContextFile : undefined].filter(
      (file): file is string => file !== undefined,
    );
    for (const file of candidates) {
      const sameName = this.compilesBySourceName.get(baseName(file)) ?? [];
      const step = findLast(
        sameName,
        (candidate) => candidate.kind === "compile" && sameFile(candidate, candidate.source, file),
      );
      if (step) {
        step.diagnostics.push({ ...diagnostic, logLine });
        this.diagnosticContextFile = file;
        return;
      }
    }
    this.unattachedDiagnostics++;
  }

  private attachFailure(target: string, exitStatus: number, ignored: boolean, logLine: number): void {
    const makeDirectory = this.tracker.current().path;
    const resolvedTarget = resolvePath(makeDirectory, target);
    const targetName = baseName(target);
    const names = (file: string, directory: string) =>
      file === target || (baseName(file) === targetName && resolvePath(directory, file) === resolvedTarget);
    // A recipe may end in a command that names its target without producing it, such as `rm TARGET` or
    // `touch TARGET`, so shell operands are tried after products.
    const step =
      this.findStep((candidate) =>
        productsOf(candidate).some((product) => names(product, candidate.directory.path)),
      ) ??
      this.findStep(
        (candidate) =>
          candidate.kind === "shell" &&
          candidate.sources.some((source) => names(source, candidate.directory.path)),
      );
    if (!step) return;
    step.status = { result: ignored ? "failed-ignored" : "failed", exitStatus, logLine };
  }

  private findStep(predicate: (step: BuildStep) => boolean): BuildStep | undefined {
    for (let k = this.window.length - 1; k >= this.windowStart; k--) {
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

  private logDiagnostics(): LogDiagnostic[] {
    const diagnostics: LogDiagnostic[] = [];
    if (this.silentTargets > 0) {
      diagnostics.push({
        severity: "warning",
        message: `${plural(this.silentTargets, "target was", "targets were")} built by silent rules, so the log names them without their commands`,
        ...(this.firstSilentLine === undefined ? {} : { line: this.firstSilentLine }),
        hint: "Rebuild with V=1 (automake, Erlang/OTP), VERBOSE=1 (CMake Makefiles) or ninja -v, and parse that log.",
      });
    }
    if (this.unresolvedResponseFiles > 0) {
      diagnostics.push({
        severity: "warning",
        message: `${plural(this.unresolvedResponseFiles, "response file (@file)", "response files (@file)")} could not be read, so the steps that name them lack those options`,
        hint: "Run the parser in the build tree (or pass --directory), and keep the files with `ninja -d keeprsp`.",
      });
    }
    if (this.ambiguous > 0) {
      diagnostics.push({
        severity: "warning",
        message: `${plural(this.ambiguous, "step", "steps")} ran while several directories were active, so the directory is ambiguous`,
        hint: "Capture the build with `make -O` (GNU make 4.0 or later) so each job's output stays together.",
      });
    }
    return diagnostics;
  }
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
  return { ...command, words: command.words.slice(k), rawWords: command.rawWords.slice(k) };
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

function sameFile(step: BuildStep, stepPath: string, reported: string): boolean {
  if (stepPath === reported) return true;
  // Comparing the last components first avoids resolving paths for the many steps that cannot match.
  if (baseName(stepPath) !== baseName(reported)) return false;
  return resolvePath(step.directory.path, stepPath) === resolvePath(step.directory.path, reported);
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
