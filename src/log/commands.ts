/**
 * Turning one simple command into step fields: wrapper and libtool unwrapping, then classification as a
 * compile, link, archive, shell operation, or nothing known.
 */
import type { ArchiveStep, ShellStep } from "../model/steps.js";
import { type CompilerRun, classifyCompilerRun } from "./compiler.js";
import type { SimpleCommand } from "./shell.js";
import {
  baseName,
  COMPILER_WRAPPERS,
  DRIVER_INTERNALS,
  isCommandName,
  joinedCommandsReason,
  MASQUERADE_DIRECTORIES,
  recognizeArchiver,
  recognizeCompiler,
  recognizeShellTool,
  STRUCTURAL_COMMANDS,
  TEXT_WRITERS,
} from "./tools.js";

/** The outcome of classifying one simple command. */
export type CommandClass =
  | {
      kind: "compiler";
      tool: string;
      compiler: NonNullable<ReturnType<typeof recognizeCompiler>>;
      run: CompilerRun;
    }
  | {
      kind: "archive";
      fields: Pick<ArchiveStep, "tool" | "operation" | "operationLetters" | "library" | "members">;
    }
  | {
      kind: "shell";
      fields: Pick<ShellStep, "operation" | "tool" | "options" | "sources" | "destination" | "script">;
    }
  | { kind: "no-op" }
  | { kind: "unknown"; reason: string };

export interface Unwrapped {
  argv: string[];
  wrappers: string[];
  libtoolMode?: string;
  /** ylwrap's arguments before `--`: the grammar file, then pairs of produced and renamed files. */
  ylwrap?: string[];
}

const SHELLS = new Set(["sh", "bash", "dash", "ksh", "zsh"]);

/**
 * Removes wrapper programs in front of the real tool: compiler caches and distributors, `libtool` with its
 * options (also when started through `/bin/bash ./libtool`), and `ylwrap`.
 */
export function unwrapCommand(words: readonly string[]): Unwrapped {
  let argv = [...words];
  const wrappers: string[] = [];
  let libtoolMode: string | undefined;
  let ylwrap: string[] | undefined;
  for (let guard = 0; guard < 8 && argv.length > 0; guard++) {
    const first = argv[0] as string;
    const name = baseName(first);
    if (SHELLS.has(name) && argv[1] !== undefined && /(?:^|\/)(?:libtool|ylwrap)$/.test(argv[1])) {
      argv = argv.slice(1);
      continue;
    }
    if (COMPILER_WRAPPERS.has(name)) {
      wrappers.push(name);
      argv = argv.slice(1);
      // distcc and icecc accept their own options before the compiler; they all start with `-`.
      while (argv.length > 0 && (argv[0] as string).startsWith("-")) argv = argv.slice(1);
      continue;
    }
    if (name === "libtool") {
      wrappers.push("libtool");
      let k = 1;
      while (k < argv.length && (argv[k] as string).startsWith("-")) {
        const option = argv[k] as string;
        if (option.startsWith("--mode=")) libtoolMode = option.slice(7);
        else if (option === "--mode") libtoolMode = argv[++k];
        else if (option === "--tag") k++;
        k++;
      }
      // libtool also accepts the mode as a bare word: `libtool compile gcc …`.
      if (
        libtoolMode === undefined &&
        /^(?:compile|link|install|execute|finish|uninstall|clean)$/.test(argv[k] ?? "")
      ) {
        libtoolMode = argv[k];
        k++;
      }
      argv = argv.slice(k);
      continue;
    }
    if (name === "ylwrap") {
      const separator = argv.indexOf("--");
      if (separator < 0) break;
      wrappers.push("ylwrap");
      ylwrap = argv.slice(1, separator);
      argv = argv.slice(separator + 1);
      continue;
    }
    break;
  }
  const tool = argv[0];
  if (tool !== undefined) {
    for (const [directory, wrapper] of MASQUERADE_DIRECTORIES) {
      if (tool.startsWith(directory)) wrappers.push(wrapper);
    }
  }
  return {
    argv,
    wrappers,
    ...(libtoolMode === undefined ? {} : { libtoolMode }),
    ...(ylwrap ? { ylwrap } : {}),
  };
}

const ARCHIVE_OPERATIONS: Record<string, ArchiveStep["operation"]> = {
  r: "replace",
  q: "append",
  d: "delete",
  x: "extract",
  t: "list",
  s: "index",
};

function classifyArchive(argv: readonly string[], program: "ar" | "ranlib"): CommandClass {
  const tool = argv[0] as string;
  const operands = argv.slice(1).filter((word) => !word.startsWith("-") || word.length === 1);
  if (program === "ranlib") {
    return {
      kind: "archive",
      fields: { tool, operation: "index", operationLetters: "", library: operands[0] ?? "", members: [] },
    };
  }
  // ar's first argument contains the operation letter and its modifiers, with or without a leading dash.
  let k = 1;
  while (k < argv.length && /^--/.test(argv[k] as string)) k++;
  const letters = (argv[k] ?? "").replace(/^-/, "");
  const operationLetter = [...letters].find((letter) => "rqdxtms".includes(letter));
  if (operationLetter === undefined || operationLetter === "m")
    return { kind: "unknown", reason: `ar operation '${letters}' not recognised` };
  let rest = argv.slice(k + 1);
  // The positioning modifiers a, b and i take a member name before the archive; N takes a count.
  if (/[abi]/.test(letters)) rest = rest.slice(1);
  if (letters.includes("N")) rest = rest.slice(1);
  const joined = rest
    .slice(1)
    .find((word) => (word.startsWith("-") && word.length > 1) || isCommandName(word));
  if (joined !== undefined) return { kind: "unknown", reason: joinedCommandsReason(joined) };
  return {
    kind: "archive",
    fields: {
      tool,
      operation: ARCHIVE_OPERATIONS[operationLetter] ?? "replace",
      operationLetters: letters,
      library: rest[0] ?? "",
      members: rest.slice(1),
    },
  };
}

/** Options that take the next word as their value, per operation. */
const SHELL_VALUE_OPTIONS: Record<string, ReadonlySet<string>> = {
  install: new Set([
    "-m",
    "-o",
    "-g",
    "-t",
    "-S",
    "--mode",
    "--owner",
    "--group",
    "--target-directory",
    "--suffix",
  ]),
  mkdir: new Set(["-m", "--mode"]),
  cp: new Set(["-t", "-S", "--target-directory", "--suffix"]),
  mv: new Set(["-t", "-S", "--target-directory", "--suffix"]),
  ln: new Set(["-t", "-S", "--target-directory", "--suffix"]),
  touch: new Set(["-r", "-d", "-t", "--reference", "--date"]),
  sed: new Set(["-e", "-f", "--expression", "--file"]),
  cmake: new Set(["-S", "-B", "-G", "-D", "-C", "-T", "-A", "-P", "--build", "--target", "--config"]),
  make: new Set(["-C", "-f", "-I", "-j", "-l", "-o", "-W", "--directory", "--file", "--makefile"]),
  ninja: new Set(["-C", "-f", "-j", "-k", "-l", "-d", "-t", "-w"]),
  flex: new Set(["-o", "-P", "-S"]),
  lex: new Set(["-o", "-P", "-S"]),
  bison: new Set(["-o", "-b", "-p", "-D", "-W", "-L"]),
  yacc: new Set(["-o", "-b", "-p"]),
  byacc: new Set(["-o", "-b", "-p"]),
  erlc: new Set(["-o", "-I", "-D", "-pa", "-pz", "-W"]),
  m4: new Set(["-D", "-U", "-I"]),
  gperf: new Set(["-L", "-K", "-N", "-H", "--output-file"]),
};

function splitOptions(
  argv: readonly string[],
  valueOptions: ReadonlySet<string> | undefined,
): { options: string[]; operands: string[] } {
  const options: string[] = [];
  const operands: string[] = [];
  let afterDoubleDash = false;
  for (let k = 1; k < argv.length; k++) {
    const word = argv[k] as string;
    if (!afterDoubleDash && word === "--") {
      afterDoubleDash = true;
      continue;
    }
    if (!afterDoubleDash && word.startsWith("-") && word !== "-") {
      options.push(word);
      if (valueOptions?.has(word) && k + 1 < argv.length) options.push(argv[++k] as string);
      continue;
    }
    operands.push(word);
  }
  return { options, operands };
}

function optionValue(options: readonly string[], names: readonly string[]): string | undefined {
  for (let k = 0; k < options.length; k++) {
    const option = options[k] as string;
    if (names.includes(option)) return options[k + 1];
    for (const name of names)
      if (name.startsWith("--") && option.startsWith(`${name}=`)) return option.slice(name.length + 1);
  }
  return undefined;
}

function outputRedirection(command: SimpleCommand): string | undefined {
  for (const redirection of command.redirections) {
    if (
      /^1?>{1,2}\|?$/.test(redirection.operator) &&
      redirection.target !== "" &&
      redirection.target !== "/dev/null"
    ) {
      return redirection.target;
    }
  }
  return undefined;
}

/** Classifies one simple command after unwrapping; `argv[0]` is the program. */
export function classifyCommand(command: SimpleCommand, unwrapped: Unwrapped): CommandClass {
  const { argv } = unwrapped;
  const program = argv[0];
  if (program === undefined) return { kind: "no-op" };
  const name = baseName(program);

  if (unwrapped.ylwrap) return classifyYlwrap(unwrapped.ylwrap, argv);

  const compiler = recognizeCompiler(program);
  if (compiler) {
    const run = classifyCompilerRun(argv, compiler, unwrapped.libtoolMode);
    // `gcc -c $f.c` inside a shell loop names its file through a variable that the log never expands.
    if (
      run.kind === "build" &&
      run.compiles.some((compile) => isUnexpanded(compile.source) || isUnexpanded(compile.output))
    ) {
      return {
        kind: "unknown",
        reason: "compile whose source or object is named by an unexpanded shell expression",
      };
    }
    return { kind: "compiler", tool: program, compiler, run };
  }

  if (DRIVER_INTERNALS.has(name)) {
    return {
      kind: "unknown",
      reason: "program that the compiler driver runs internally, not a build step of its own",
    };
  }

  const archiver = recognizeArchiver(program);
  if (archiver) return classifyArchive(argv, archiver);

  if (STRUCTURAL_COMMANDS.has(name)) return { kind: "no-op" };

  const redirected = outputRedirection(command);
  if (TEXT_WRITERS.has(name)) {
    if (redirected === undefined) {
      // echo and printf to the terminal only inform the reader, and a filter into a pipe writes no file.
      if (name === "echo" || name === "printf" || command.connector === "|" || isPipedInto(command))
        return { kind: "no-op" };
      return { kind: "unknown", reason: `${name} without an output file` };
    }
    const { options, operands } = splitOptions(argv, SHELL_VALUE_OPTIONS[name]);
    if (name === "echo" || name === "printf") {
      return {
        kind: "shell",
        fields: {
          operation: "write-file",
          tool: program,
          options: [],
          sources: [],
          destination: redirected,
          script: argv.slice(1).join(" "),
        },
      };
    }
    let script: string | undefined;
    let sources = operands;
    if (
      name === "sed" &&
      optionValue(options, ["-e", "-f", "--expression", "--file"]) === undefined &&
      operands.length > 0
    ) {
      script = operands[0];
      sources = operands.slice(1);
    }
    return {
      kind: "shell",
      fields: {
        operation: "write-file",
        tool: program,
        options,
        sources,
        destination: redirected,
        ...(script === undefined ? {} : { script }),
      },
    };
  }

  const operation = recognizeShellTool(program);
  if (operation === undefined) return { kind: "unknown", reason: "unrecognised command" };
  const { options, operands } = splitOptions(argv, SHELL_VALUE_OPTIONS[name === "gmake" ? "make" : name]);

  switch (operation) {
    case "cp":
    case "mv":
    case "ln":
    case "install": {
      const target = optionValue(options, ["-t", "--target-directory"]);
      if (target !== undefined) return shell(operation, program, options, operands, target);
      if (operation === "install" && (options.includes("-d") || options.includes("--directory"))) {
        return shell(operation, program, options, operands, undefined);
      }
      if (operands.length < 2) return shell(operation, program, options, operands, undefined);
      return shell(operation, program, options, operands.slice(0, -1), operands[operands.length - 1]);
    }
    case "chmod": {
      // The mode comes first unless given with --reference.
      const [mode, ...files] = operands;
      return shell(operation, program, mode === undefined ? options : [...options, mode], files, undefined);
    }
    case "cmake-helper":
      return classifyCmake(argv, program);
    case "submake":
      return shell(operation, program, options, operands, undefined);
    case "generate":
      return classifyGenerator(program, options, operands, redirected);
    default:
      return shell(operation, program, options, operands, undefined);
  }
}

function isUnexpanded(word: string): boolean {
  return word.includes("$") || word.includes("`");
}

function isPipedInto(command: SimpleCommand): boolean {
  return command.redirections.some((redirection) => redirection.operator.startsWith("<"));
}

function shell(
  operation: ShellStep["operation"],
  tool: string,
  options: string[],
  sources: string[],
  destination: string | undefined,
  script?: string,
): CommandClass {
  return {
    kind: "shell",
    fields: {
      operation,
      tool,
      options,
      sources,
      ...(destination === undefined ? {} : { destination }),
      ...(script === undefined ? {} : { script }),
    },
  };
}

const INTERPRETERS = /^(?:perl|python|python[23]|awk|gawk|mawk|escript|erl|tclsh|ruby)[0-9.]*$/;

function classifyGenerator(
  tool: string,
  options: string[],
  operands: string[],
  redirected: string | undefined,
): CommandClass {
  const name = baseName(tool);
  const output =
    optionValue(options, ["-o", "--output", "--outfile", "--output-file"]) ??
    gluedOutput(options) ??
    redirected;
  if (INTERPRETERS.test(name) && !options.includes("-e") && !options.includes("-c") && operands.length > 0) {
    return shell("generate", tool, options, operands.slice(1), output, operands[0]);
  }
  return shell("generate", tool, options, operands, output);
}

function gluedOutput(options: readonly string[]): string | undefined {
  for (const option of options) {
    if (/^-o./.test(option) && !option.startsWith("-o-")) return option.slice(2);
    if (option.startsWith("--output=")) return option.slice(9);
  }
  return undefined;
}

function classifyYlwrap(ylwrapArguments: readonly string[], argv: readonly string[]): CommandClass {
  const [grammar, ...pairs] = ylwrapArguments;
  // ylwrap's pairs name the file the generator writes and where it goes; the first target is the C file.
  const destination = pairs[1];
  const { options } = splitOptions(argv, undefined);
  return shell("generate", argv[0] ?? "ylwrap", options, grammar === undefined ? [] : [grammar], destination);
}

function classifyCmake(argv: readonly string[], tool: string): CommandClass {
  if (argv[1] === "-E") {
    const rest = argv.slice(3);
    const options = rest.filter((word) => word.startsWith("-") && word !== "-");
    const operands = rest.filter((word) => !word.startsWith("-") || word === "-");
    return shell("cmake-helper", tool, options, operands, undefined, argv[2]);
  }
  if (argv[1] === "--build") return shell("submake", tool, argv.slice(1), [], undefined);
  return shell("generate", tool, argv.slice(1), [], undefined);
}
