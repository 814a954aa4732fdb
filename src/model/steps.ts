/**
 * The typed build-step model that sits between the log reader and the emitters. The log reader produces
 * `BuildStep` values; the DCL and MMS emitters, the compile_commands.json writer and `vmsport setup` consume
 * them. Paths are kept as they appear in the log, in Unix syntax, and are relative to `directory.path`.
 * The reader never resolves them in a step. Derived outputs such as compile_commands.json join a relative
 * path to `directory.path`, which is itself relative only when the log never named an absolute directory.
 */

/** Version of the JSON document written by `vmsport parse --format json`. Bump on incompatible changes. */
export const STEP_SCHEMA_VERSION = 1;

/** Lines of the log a step came from; 1-based and inclusive, so a continued command spans several lines. */
export interface Origin {
  /** Log file name as given on the command line, or `-` for standard input. */
  file: string;
  startLine: number;
  endLine: number;
}

/** Source of a step's working directory. */
export type DirectorySource =
  /** `make[N]: Entering directory '…'` or a localised form of it. */
  | "make-enter"
  /** `ninja: Entering directory '…'`. */
  | "ninja-enter"
  /** `cd DIR && …`, `cd DIR; …` or `(cd DIR && …)` on the same command line. */
  | "cd"
  /** `make -C DIR` seen on an earlier line without an Entering message. */
  | "make-c"
  /** automake's `Making all in DIR`. */
  | "automake"
  /** The `--directory` option or the default starting directory. */
  | "initial";

export interface WorkingDirectory {
  /** Absolute or relative Unix path; relative only when the log never named an absolute one. */
  path: string;
  source: DirectorySource;
  /**
   * Set when several directories were active at once (interleaved `make -j` output) and the reader could
   * not tell which one the step ran in. `path` is then the most recent candidate, and `candidates` lists all.
   */
  ambiguous?: { candidates: string[] };
}

export type DiagnosticSeverity = "error" | "warning" | "note";

/** A compiler or make message that the log attaches to a step. */
export interface StepDiagnostic {
  severity: DiagnosticSeverity;
  message: string;
  /** Source position the compiler reported, when it gave one. */
  file?: string;
  line?: number;
  column?: number;
  /** Log line where the message starts. */
  logLine: number;
}

/** Outcome of a step as far as the log shows it. */
export interface StepStatus {
  /** `failed` when make reported `*** [target] Error N` for this step's target, or ninja printed `FAILED:`. */
  result: "ok" | "failed" | "failed-ignored" | "unknown";
  /** The exit status make reported, when it did. */
  exitStatus?: number;
  /** Log line of make's failure message. */
  logLine?: number;
}

/** Fields every step has. */
export interface StepBase {
  /** Position of the step in the log, starting at 0; stable across formats. */
  index: number;
  origin: Origin;
  directory: WorkingDirectory;
  /** The command as the log shows it, with continuations joined and colour sequences removed. */
  command: string;
  /** The command split into words after unquoting, wrappers and environment prefixes removed. */
  argv: string[];
  /** Wrappers removed in front of the tool: ccache, distcc, libtool and similar. */
  wrappers?: string[];
  /** `VAR=value` assignments that prefixed the command. */
  environment?: Record<string, string>;
  diagnostics: StepDiagnostic[];
  status: StepStatus;
  /**
   * `latin1` when the log line was not valid UTF-8. Every string of the step was then decoded one character
   * per byte, so `Buffer.from(text, "latin1")` returns the bytes of the log unchanged. Absent for UTF-8.
   */
  encoding?: "latin1";
}

export type Language = "c" | "c++" | "assembler" | "assembler-with-cpp" | "objective-c" | "unknown";

export type IncludeKind = "I" | "iquote" | "isystem" | "idirafter";

export interface IncludeDirectory {
  path: string;
  kind: IncludeKind;
}

/** A `-D` option. `value` is exactly what the compiler receives after shell unquoting; absent for `-DNAME`. */
export interface Define {
  name: string;
  value?: string;
}

export interface CompileStep extends StepBase {
  kind: "compile";
  /** Compiler program as invoked, for example `gcc`, `x86_64-linux-gnu-g++-12` or `/usr/bin/cc`. */
  tool: string;
  /** Compiler family inferred from the tool name. */
  compiler: "gcc" | "clang" | "cc" | "unknown";
  language: Language;
  /** The one source this step compiles; a command with several sources gives one step per source. */
  source: string;
  /** Object file produced; derived from the source name when `-o` was absent. */
  output: string;
  /** True when the object name was derived rather than given with `-o`. */
  outputImplied: boolean;
  includes: IncludeDirectory[];
  /** In command-line order; a later definition of the same name overrides an earlier one. */
  defines: Define[];
  undefines: string[];
  /** `-include FILE` options in order. */
  forcedIncludes: string[];
  /** `-O` level as written after `-O` (`0`, `2`, `s`, `g`, ``); the last one wins. */
  optimization?: string;
  /** Debug options such as `-g`, `-g3`, `-ggdb`. */
  debug: string[];
  /** `-std=` value; the last one wins. */
  standard?: string;
  /** `-W…` options, `-w`, `-pedantic`, `-pedantic-errors`. */
  warnings: string[];
  /** `-MD`, `-MMD`, `-MF file`, `-MT target`, `-MP` and similar, kept as words. */
  dependencyFlags: string[];
  /** `-fPIC` or `-fpic` was given. */
  pic: boolean;
  /** Every other option word, kept verbatim and in order. */
  otherFlags: string[];
  /** Response files named with `@file`, and whether their words could be read. */
  responseFiles?: { path: string; resolved: boolean }[];
  /**
   * For a libtool compile (`output` is the `.lo`): the objects libtool's `libtool: compile:` echo lines
   * show it building, usually a PIC object in `.libs/` and a non-PIC one beside the `.lo`.
   */
  objects?: { output: string; pic: boolean; logLine: number }[];
}

export interface ArchiveStep extends StepBase {
  kind: "archive";
  /** `ar`, `llvm-ar`, `x86_64-linux-gnu-ar` and so on; `ranlib` steps use operation `index`. */
  tool: string;
  /** Normalised operation: `r` replace, `q` quick append, `d` delete, `x` extract, `t` list, `index` for ranlib. */
  operation: "replace" | "append" | "delete" | "extract" | "list" | "index";
  /** The operation letters and modifiers as written, for example `rcs` or `cru`. */
  operationLetters: string;
  library: string;
  members: string[];
}

export interface LinkStep extends StepBase {
  kind: "link";
  tool: string;
  language: Language;
  /** `shared` for `-shared` (a shareable image on OpenVMS), `executable` otherwise. */
  product: "executable" | "shared";
  output: string;
  /** Object files, archives and other input files in command-line order. */
  inputs: string[];
  libraryDirectories: string[];
  /** `-l` names without the `-l`, in order. */
  libraries: string[];
  /** Options passed with `-Wl,` or `-Xlinker`, split at commas. */
  linkerOptions: string[];
  soname?: string;
  versionScript?: string;
  /** `-pthread` or `-lpthread` was given. */
  threads: boolean;
  otherFlags: string[];
  /**
   * Set on a `libtool --mode=link` command when the log also shows the commands libtool ran for it
   * (`libtool: link: gcc -shared …`, `libtool: link: ar cr …`). Those are steps of their own, so this one
   * only names what libtool built.
   */
  libtoolCommandsShown?: boolean;
}

export type ShellOperation =
  | "mkdir"
  | "cp"
  | "mv"
  | "rm"
  | "ln"
  | "install"
  | "touch"
  | "chmod"
  /** `sed`, `echo`, `cat` or `printf` writing into a file. */
  | "write-file"
  /** A code generator or script interpreter: perl, python, yacc, bison, lex, flex, erlc, m4 and similar. */
  | "generate"
  /** A recursive make or ninja invocation. */
  | "submake"
  /** `cmake -E …` helper commands. */
  | "cmake-helper";

export interface ShellStep extends StepBase {
  kind: "shell";
  operation: ShellOperation;
  /** Program name as invoked. */
  tool: string;
  /** Options of the operation, such as `-p`, `-f`, `-s`, `-m 644`. */
  options: string[];
  /** Operands other than the destination, in order. */
  sources: string[];
  /** Destination file or directory for cp, mv, ln, install and write-file. */
  destination?: string;
  /** Script or sub-command of a `generate` or `cmake-helper` step, when the command names one. */
  script?: string;
}

export interface UnknownStep extends StepBase {
  kind: "unknown";
  /** Reason the line was not classified, for example `unrecognised command` or `silent rule`. */
  reason: string;
  /** For a silent-rule line such as `CC foo.o`: the tag and the target it names. */
  silentRule?: { tag: string; target: string };
}

export type BuildStep = CompileStep | ArchiveStep | LinkStep | ShellStep | UnknownStep;

export type StepKind = BuildStep["kind"];

/** Counts shown in the summary of `vmsport parse` and used by `vmsport translate`. */
export interface ParseSummary {
  lines: number;
  steps: Record<StepKind, number>;
  /** Steps whose working directory could not be decided. */
  ambiguousDirectories: number;
  /** Targets seen only through silent-rule lines; the user should rebuild with V=1 or VERBOSE=1. */
  silentRuleTargets: number;
  /** Response files named in the log that could not be read. */
  unresolvedResponseFiles: number;
  /** Compiler diagnostics that matched no step in the window of recent steps. */
  unattachedDiagnostics?: number;
  /**
   * Count of log lines by their use, adding up to `lines`. `step` lines are in some step's origin.
   * `merged` lines were folded into an earlier step (libtool's echoes). `noOp` lines are commands with no
   * build effect (`true`, `cd dir`, `echo text`). The other categories are directory messages, compiler
   * diagnostics, tool chatter and blank lines.
   */
  lineCounts?: Record<"step" | "directory" | "diagnostic" | "chatter" | "blank" | "merged" | "noOp", number>;
}

/** A problem with the log as a whole, rather than one step (for example a log with only silent rules). */
export interface LogDiagnostic {
  severity: DiagnosticSeverity;
  message: string;
  line?: number;
  hint?: string;
}

/** The document written by `vmsport parse --format json`. */
export interface ParsedLog {
  schemaVersion: typeof STEP_SCHEMA_VERSION;
  log: string;
  steps: BuildStep[];
  summary: ParseSummary;
  diagnostics: LogDiagnostic[];
}
