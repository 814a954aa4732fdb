/**
 * Tables of the programs a build log names: compilers, archivers, wrappers and shell file operations.
 * Names are matched on the last path component, after any cross-compilation prefix (`x86_64-linux-gnu-`)
 * and before any version suffix (`-12`, `-17.0`).
 */
import type { CompileStep, Language, ShellOperation } from "../model/steps.js";

export function baseName(word: string): string {
  const slash = word.lastIndexOf("/");
  return slash < 0 ? word : word.slice(slash + 1);
}

const COMPILER = /^(?:[A-Za-z0-9_.]+-)*?(gcc|g\+\+|cc|c\+\+|clang|clang\+\+)(?:-\d+(?:\.\d+)*)?$/;
// gcc's own back ends and the programs the driver runs are never compile steps of the build.
export const DRIVER_INTERNALS = new Set(["cc1", "cc1plus", "cc1obj", "collect2", "lto1", "lto-wrapper"]);

export interface CompilerName {
  family: CompileStep["compiler"];
  /** Language implied by the driver name: `g++` compiles `.c` files as C++. */
  cplusplus: boolean;
}

/**
 * Returns a copy of `text` that shares no memory with a longer string. V8 represents a slice of 13 or more
 * characters as a view into the string it was cut from. A cache key cut from a log line would so keep the
 * whole decoded read chunk of that line alive for as long as the cache lives.
 */
export function detachString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/**
 * Caches a recogniser's results by program word. A log names a handful of programs many thousands of
 * times, so the name patterns run once per distinct word. The cache is emptied when full.
 */
function memoize<T>(recognize: (word: string) => T): (word: string) => T {
  const results = new Map<string, T>();
  return (word) => {
    let result = results.get(word);
    if (result === undefined && !results.has(word)) {
      if (results.size >= 4096) results.clear();
      result = recognize(word);
      results.set(detachString(word), result);
    }
    return result as T;
  };
}

/**
 * Recognises a compiler driver by name; returns undefined for anything else. The result is shared between
 * calls, so callers must not change it.
 */
export const recognizeCompiler: (word: string) => CompilerName | undefined = memoize(compilerOf);

function compilerOf(word: string): CompilerName | undefined {
  const name = baseName(word);
  if (DRIVER_INTERNALS.has(name)) return undefined;
  const match = COMPILER.exec(name);
  if (!match) return undefined;
  const core = match[1] as string;
  // `distcc` and `icecc` end in `cc` but are wrappers, handled before this table.
  if (name === "distcc" || name === "icecc" || name === "sccache" || name === "ccache") return undefined;
  const cplusplus = core === "g++" || core === "c++" || core === "clang++";
  let family: CompileStep["compiler"] = "cc";
  if (core.startsWith("clang")) family = "clang";
  else if (core === "gcc" || core === "g++") family = "gcc";
  return { family, cplusplus };
}

const ARCHIVER =
  /^(?:[A-Za-z0-9_.]+-)*?(ar|gcc-ar|llvm-ar|ranlib|gcc-ranlib|llvm-ranlib)(?:-\d+(?:\.\d+)*)?$/;

/** Recognises `ar` and `ranlib` in their prefixed and versioned forms. */
export const recognizeArchiver: (word: string) => "ar" | "ranlib" | undefined = memoize(archiverOf);

function archiverOf(word: string): "ar" | "ranlib" | undefined {
  const match = ARCHIVER.exec(baseName(word));
  if (!match) return undefined;
  return (match[1] as string).endsWith("ranlib") ? "ranlib" : "ar";
}

/** Compiler wrappers that take the real compiler command as their arguments. */
export const COMPILER_WRAPPERS = new Set(["ccache", "sccache", "distcc", "icecc", "buildcache"]);

/** Directories whose `cc`/`gcc` entries are symbolic links to a compiler cache. */
export const MASQUERADE_DIRECTORIES: readonly [string, string][] = [
  ["/usr/lib/ccache/", "ccache"],
  ["/usr/lib64/ccache/", "ccache"],
  ["/usr/local/lib/ccache/", "ccache"],
  ["/usr/lib/distcc/", "distcc"],
  ["/usr/lib/icecc/bin/", "icecc"],
];

const SHELL_OPERATIONS: Record<string, ShellOperation> = {
  mkdir: "mkdir",
  cp: "cp",
  mv: "mv",
  rm: "rm",
  ln: "ln",
  install: "install",
  touch: "touch",
  chmod: "chmod",
  make: "submake",
  gmake: "submake",
  ninja: "submake",
};

// Code generators and interpreters whose runs create sources; the first operand is the script or input.
const GENERATORS = new Set([
  "perl",
  "python",
  "python2",
  "python3",
  "yacc",
  "byacc",
  "bison",
  "lex",
  "flex",
  "erlc",
  "m4",
  "gperf",
  "ylwrap",
  "awk",
  "gawk",
  "mawk",
  "escript",
  "erl",
  "tclsh",
  "ruby",
  "rpcgen",
  "swig",
  "glib-genmarshal",
  "glib-mkenums",
  "xsltproc",
]);

/** Programs that copy text, and so write a file when their output is redirected. */
export const TEXT_WRITERS = new Set(["sed", "echo", "cat", "printf", "tr", "head", "tail", "sort", "grep"]);

/**
 * Classifies a program name as a shell operation. `make` is matched after a cross prefix too
 * (`mingw32-make`), and versioned interpreters (`python3.11`, `perl5.36`) count as generators.
 */
export const recognizeShellTool: (word: string) => ShellOperation | undefined = memoize(shellToolOf);

function shellToolOf(word: string): ShellOperation | undefined {
  const name = baseName(word);
  const direct = SHELL_OPERATIONS[name];
  if (direct) return direct;
  if (/^[A-Za-z0-9_.+-]*-make$/.test(name)) return "submake";
  if (name === "cmake") return "cmake-helper";
  const unversioned = name.replace(/[0-9.]+$/, "");
  if (GENERATORS.has(name) || GENERATORS.has(unversioned)) return "generate";
  return undefined;
}

/**
 * Commands that only steer the shell (`:`, `true`, `test`, `cd`, `exit`, `set`) and so create no build step
 * of their own. `cd` is handled by the directory tracker before this check.
 */
export const STRUCTURAL_COMMANDS = new Set([
  ":",
  "true",
  "false",
  "test",
  "[",
  "cd",
  "exit",
  "set",
  "export",
  "unset",
  "wait",
]);

const SOURCE_LANGUAGES: Record<string, Language> = {
  c: "c",
  i: "c",
  cc: "c++",
  cp: "c++",
  cpp: "c++",
  cxx: "c++",
  "c++": "c++",
  C: "c++",
  CC: "c++",
  CPP: "c++",
  ii: "c++",
  s: "assembler",
  S: "assembler-with-cpp",
  sx: "assembler-with-cpp",
  m: "objective-c",
  // Headers compiled on their own make precompiled headers (`-c x.hpp -o x.hpp.gch`).
  h: "c",
  hh: "c++",
  hpp: "c++",
  hxx: "c++",
  H: "c++",
  mi: "objective-c",
};

/** Returns the language gcc infers from a file name, or undefined for a file that is not a source. */
export function languageOfFile(file: string): Language | undefined {
  const dot = file.lastIndexOf(".");
  if (dot < 0 || dot < file.lastIndexOf("/")) return undefined;
  return SOURCE_LANGUAGES[file.slice(dot + 1)];
}

/** Maps a `-x` argument to a language; `none` returns undefined so extensions apply again. */
export function languageOfOption(value: string): Language | undefined {
  switch (value) {
    case "c":
    case "c-header":
    case "cpp-output":
      return "c";
    case "c++":
    case "c++-header":
    case "c++-cpp-output":
      return "c++";
    case "assembler":
      return "assembler";
    case "assembler-with-cpp":
      return "assembler-with-cpp";
    case "objective-c":
    case "objective-c-header":
      return "objective-c";
    case "none":
      return undefined;
    default:
      return "unknown";
  }
}

/**
 * Tell whether an operand is the name of a compiler or archiver rather than a file: a word without a file
 * type whose last component is such a program.
 */
export function isCommandName(word: string): boolean {
  if (word.lastIndexOf(".") > word.lastIndexOf("/")) return false;
  const name = baseName(word);
  return name === "ar" || recognizeCompiler(name) !== undefined;
}

/** Build the reason for a line that contains the start of another command among its operands. */
export function joinedCommandsReason(word: string): string {
  return `the line runs two commands into each other (the operands hold "${word}"), as the output of make -j jobs can when they write at once; capture the build with make -O, or translate this command by hand`;
}
