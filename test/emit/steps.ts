import { DEFAULT_LIMITS } from "../../src/dcl/index.js";
import type { TranslateOptions } from "../../src/emit/options.js";
import type { ArchiveStep, CompileStep, LinkStep, ShellStep, UnknownStep } from "../../src/model/steps.js";
import { loadTranslateRules } from "../../src/rules/translate/index.js";

/** Root directory the hand-built steps run in. */
export const ROOT = "/home/user/src/proj";

const base = (index: number, command: string, directory = ROOT) => ({
  index,
  origin: { file: "build.log", startLine: index + 1, endLine: index + 1 },
  directory: { path: directory, source: "make-enter" as const },
  command,
  argv: command.split(" "),
  diagnostics: [],
  status: { result: "ok" as const },
});

export function compileStep(overrides: Partial<CompileStep> = {}, index = 0): CompileStep {
  return {
    ...base(index, "gcc -c -o a.o a.c", overrides.directory?.path),
    kind: "compile",
    tool: "gcc",
    compiler: "gcc",
    language: "c",
    source: "a.c",
    output: "a.o",
    outputImplied: false,
    includes: [],
    defines: [],
    undefines: [],
    forcedIncludes: [],
    debug: [],
    warnings: [],
    dependencyFlags: [],
    pic: false,
    otherFlags: [],
    ...overrides,
  };
}

export function archiveStep(overrides: Partial<ArchiveStep> = {}, index = 0): ArchiveStep {
  return {
    ...base(index, "ar rcs libx.a a.o", overrides.directory?.path),
    kind: "archive",
    tool: "ar",
    operation: "replace",
    operationLetters: "rcs",
    library: "libx.a",
    members: ["a.o"],
    ...overrides,
  };
}

export function linkStep(overrides: Partial<LinkStep> = {}, index = 0): LinkStep {
  return {
    ...base(index, "gcc -o prog a.o", overrides.directory?.path),
    kind: "link",
    tool: "gcc",
    language: "c",
    product: "executable",
    output: "prog",
    inputs: ["a.o"],
    libraryDirectories: [],
    libraries: [],
    linkerOptions: [],
    threads: false,
    otherFlags: [],
    ...overrides,
  };
}

export function shellStep(
  overrides: Partial<ShellStep> & Pick<ShellStep, "operation" | "tool">,
  index = 0,
): ShellStep {
  return {
    ...base(index, overrides.command ?? overrides.tool, overrides.directory?.path),
    kind: "shell",
    options: [],
    sources: [],
    ...overrides,
  };
}

export function unknownStep(overrides: Partial<UnknownStep> = {}, index = 0): UnknownStep {
  return { ...base(index, "./configure"), kind: "unknown", reason: "unrecognised command", ...overrides };
}

const rules = loadTranslateRules();

/** Translation options with the built-in rules; override what a test needs. */
export function options(overrides: Partial<TranslateOptions> = {}): TranslateOptions {
  return { rules, target: "x86_64", pointerSize: 32, limits: DEFAULT_LIMITS, sourceRoot: ROOT, ...overrides };
}
