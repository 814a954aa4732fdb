/**
 * Classification of a compiler driver's arguments (gcc and clang syntax) into compile and link steps.
 * Option spellings follow the GCC manual, chapters "Options Controlling the Preprocessor" and "Options for
 * Directory Search".
 */
import type { CompileStep, Define, IncludeDirectory, Language, LinkStep } from "../model/steps.js";
import {
  baseName,
  type CompilerName,
  isCommandName,
  joinedCommandsReason,
  languageOfFile,
  languageOfOption,
} from "./tools.js";

/** Options whose value may be the next word when it is not glued to the option. */
const TAKES_VALUE = new Set([
  "-o",
  "-I",
  "-D",
  "-U",
  "-include",
  "-imacros",
  "-isystem",
  "-idirafter",
  "-iquote",
  "-iprefix",
  "-iwithprefix",
  "-iwithprefixbefore",
  "-isysroot",
  "-imultilib",
  "-x",
  "-MF",
  "-MT",
  "-MQ",
  "-L",
  "-l",
  "-Xlinker",
  "-Xassembler",
  "-Xpreprocessor",
  "-Xclang",
  "-aux-info",
  "--param",
  "-T",
  "-u",
  "-z",
  "-target",
  "-arch",
  "--sysroot",
  "-dumpbase",
  "-dumpdir",
  "-B",
  "-G",
]);

/** libtool's own link options, which it removes before running the compiler; the value ones take a word. */
const LIBTOOL_LINK_VALUE = new Set([
  "-rpath",
  "-version-info",
  "-version-number",
  "-release",
  "-export-symbols",
  "-export-symbols-regex",
  "-precious-files-regex",
  "-dlopen",
  "-dlpreopen",
  "-R",
]);
const LIBTOOL_LINK_FLAGS = new Set([
  "-no-undefined",
  "-module",
  "-avoid-version",
  "-static",
  "-all-static",
  "-static-libtool-libs",
  "-no-install",
  "-no-fast-install",
  "-export-dynamic",
  "-shared",
  "-prefer-pic",
  "-prefer-non-pic",
  "-shrext",
]);

const INCLUDE_OPTIONS: Record<string, IncludeDirectory["kind"]> = {
  "-I": "I",
  "-iquote": "iquote",
  "-isystem": "isystem",
  "-idirafter": "idirafter",
};

/** Objects, archives and shared libraries, including libtool's `.lo`/`.la` and versioned `.so.1.2`. */
const OBJECT_FILE = /\.(?:o|obj|a|lo|la|so|dylib)(?:\.\d+)*$/;

const DEPENDENCY_FLAGS = new Set(["-M", "-MM", "-MD", "-MMD", "-MP", "-MG", "-MF", "-MT", "-MQ"]);

/** Source file with the language it is compiled as. */
interface SourceOperand {
  file: string;
  language: Language;
}

/** Classification of one compiler run's arguments, before the common step fields are added. */
export type CompilerRun =
  | {
      kind: "build";
      compiles: CompileFields[];
      link: LinkFields | undefined;
    }
  | { kind: "other"; reason: string };

export type CompileFields = Pick<
  CompileStep,
  | "source"
  | "output"
  | "outputImplied"
  | "language"
  | "includes"
  | "defines"
  | "undefines"
  | "forcedIncludes"
  | "optimization"
  | "debug"
  | "standard"
  | "warnings"
  | "dependencyFlags"
  | "pic"
  | "otherFlags"
>;

export type LinkFields = Pick<
  LinkStep,
  | "product"
  | "output"
  | "inputs"
  | "libraryDirectories"
  | "libraries"
  | "linkerOptions"
  | "soname"
  | "versionScript"
  | "threads"
  | "otherFlags"
  | "language"
>;

function parseDefine(text: string): Define {
  const equals = text.indexOf("=");
  if (equals < 0) return { name: text };
  return { name: text.slice(0, equals), value: text.slice(equals + 1) };
}

function replaceExtension(file: string, extension: string): string {
  const name = baseName(file);
  const dot = name.lastIndexOf(".");
  return `${dot > 0 ? name.slice(0, dot) : name}${extension}`;
}

/**
 * Classifies the words of a compiler run (the driver name first). `libtoolMode` is set when libtool ran the
 * command, so libtool's link options are recognised and `.lo` inputs are objects.
 */
export function classifyCompilerRun(
  argv: readonly string[],
  compiler: CompilerName,
  libtoolMode?: string,
): CompilerRun {
  const includes: IncludeDirectory[] = [];
  const defines: Define[] = [];
  const undefines: string[] = [];
  const forcedIncludes: string[] = [];
  const debug: string[] = [];
  const warnings: string[] = [];
  const dependencyFlags: string[] = [];
  const compileOther: string[] = [];
  const linkOther: string[] = [];
  const sources: SourceOperand[] = [];
  // Every link input has both fields, so that all of them share one V8 hidden class.
  const linkInputs: { file: string; sourceIndex: number | undefined }[] = [];
  const libraryDirectories: string[] = [];
  const libraries: string[] = [];
  const linkerOptions: string[] = [];
  let optimization: string | undefined;
  let standard: string | undefined;
  let output: string | undefined;
  let forcedLanguage: Language | undefined;
  let stopAfter: "c" | "S" | "E" | undefined;
  let dependencyOnly = false;
  let dependencyWithCompile = false;
  let pic = false;
  let shared = false;
  let threads = false;
  let rpath = false;

  for (let i = 1; i < argv.length; i++) {
    const word = argv[i] as string;
    if (!word.startsWith("-") || word === "-") {
      if (word === "-") {
        sources.push({ file: "-", language: forcedLanguage ?? "unknown" });
        continue;
      }
      const language = forcedLanguage ?? languageOfFile(word);
      if (language !== undefined) {
        linkInputs.push({ file: word, sourceIndex: sources.length });
        sources.push({ file: word, language });
      } else {
        if (isCommandName(word)) return { kind: "other", reason: joinedCommandsReason(word) };
        linkInputs.push({ file: word, sourceIndex: undefined });
      }
      continue;
    }

    // Split a value-taking option from its value, whether glued (`-Iinc`) or separate (`-I inc`).
    let option = word;
    let value: string | undefined;
    const takes = findValueOption(word);
    if (takes) {
      option = takes;
      if (word.length > takes.length) value = word.slice(takes.length);
      else {
        value = argv[i + 1];
        i++;
      }
      value ??= "";
    }

    // libtool's own options never take the place of a value-taking compiler option.
    if (!takes && libtoolMode === "link") {
      if (LIBTOOL_LINK_VALUE.has(word)) {
        if (word === "-rpath") rpath = true;
        linkOther.push(word, argv[i + 1] ?? "");
        i++;
        continue;
      }
      if (LIBTOOL_LINK_FLAGS.has(word) && word !== "-shared") {
        linkOther.push(word);
        continue;
      }
    }

    // Only value-taking options are looked up by name; the other words go straight to the flag checks.
    const includeKind = takes ? INCLUDE_OPTIONS[option] : undefined;
    if (includeKind && value !== undefined) {
      includes.push({ path: value, kind: includeKind });
      continue;
    }
    if (takes) {
      switch (option) {
        case "-o":
          output = value;
          continue;
        case "-D":
          defines.push(parseDefine(value ?? ""));
          continue;
        case "-U":
          undefines.push(value ?? "");
          continue;
        case "-include":
          forcedIncludes.push(value ?? "");
          continue;
        case "-x":
          forcedLanguage = languageOfOption(value ?? "");
          continue;
        case "-MF":
        case "-MT":
        case "-MQ":
          dependencyFlags.push(option, value ?? "");
          continue;
        case "-L":
          libraryDirectories.push(value ?? "");
          continue;
        case "-l":
          libraries.push(value ?? "");
          if (value === "pthread") threads = true;
          linkInputs.push({ file: `-l${value}`, sourceIndex: undefined });
          continue;
        case "-Xlinker":
          linkerOptions.push(value ?? "");
          continue;
      }
      if (word === option) {
        compileOther.push(option, value ?? "");
        linkOther.push(option, value ?? "");
      } else {
        compileOther.push(word);
        linkOther.push(word);
      }
      continue;
    }

    if (word === "-c" || word === "-S" || word === "-E") {
      stopAfter = word.slice(1) as "c" | "S" | "E";
      continue;
    }
    // Every dependency flag starts with `-M`, so other words skip the set lookup and its hashing.
    if (word.charCodeAt(1) === 77 && DEPENDENCY_FLAGS.has(word)) {
      dependencyFlags.push(word);
      if (word === "-M" || word === "-MM") dependencyOnly = true;
      if (word === "-MD" || word === "-MMD") dependencyWithCompile = true;
      continue;
    }
    if (word.startsWith("-O")) {
      optimization = word.slice(2);
      continue;
    }
    if (word.startsWith("-g") && !word.startsWith("-gcc")) {
      debug.push(word);
      continue;
    }
    if (word.startsWith("-std=") || word.startsWith("--std=")) {
      standard = word.slice(word.indexOf("=") + 1);
      continue;
    }
    if (word.startsWith("-Wl,")) {
      linkerOptions.push(...word.slice(4).split(","));
      continue;
    }
    if (word.startsWith("-Wp,") || word.startsWith("-Wa,")) {
      compileOther.push(word);
      if (/^-Wp,-M/.test(word)) dependencyWithCompile = true;
      continue;
    }
    if (word.startsWith("-W") || word === "-w" || word === "-pedantic" || word === "-pedantic-errors") {
      warnings.push(word);
      continue;
    }
    if (word === "-fPIC" || word === "-fpic") pic = true;
    if (word === "-shared") shared = true;
    if (word === "-pthread") threads = true;
    compileOther.push(word);
    linkOther.push(word);
  }

  if (stopAfter === "E") return { kind: "other", reason: "preprocessor-only run (-E)" };
  if (dependencyOnly && !dependencyWithCompile)
    return { kind: "other", reason: "dependency-only run (-M or -MM)" };

  // A loop fills an array literal here instead of `sources.map`. V8 tracks the elements kind of the arrays
  // that one literal creates, so empty and full lists share a hidden class. An empty `map` result has
  // another one, and each site that read both kinds was deoptimized when the second kind first arrived.
  const compiles: CompileFields[] = [];
  let extension = ".o";
  if (stopAfter === "S") extension = ".s";
  else if (libtoolMode === "compile") extension = ".lo";
  const explicit = stopAfter !== undefined && output !== undefined && sources.length === 1;
  for (const source of sources) {
    const language: Language =
      compiler.cplusplus && source.language === "c" && forcedLanguage === undefined ? "c++" : source.language;
    // Unset optional fields contain `undefined` rather than being left out, so that every such object has
    // the same V8 hidden class. JSON output leaves them out all the same.
    compiles.push({
      source: source.file,
      output: explicit ? (output as string) : replaceExtension(source.file, extension),
      outputImplied: !explicit,
      language,
      includes,
      defines,
      undefines,
      forcedIncludes,
      optimization,
      debug,
      standard,
      warnings,
      dependencyFlags,
      pic,
      otherFlags: compileOther,
    });
  }

  if (stopAfter !== undefined) {
    if (sources.length === 0) return { kind: "other", reason: "compiler run without a source file" };
    return { kind: "build", compiles, link: undefined };
  }
  // Without a source or `-o`, a link needs an object or library among its operands. This also keeps
  // configure's summary lines such as `prof-gcc : 0` from reading as a link by a cross compiler.
  const hasLinkInput = linkInputs.some((input) => OBJECT_FILE.test(input.file));
  if (sources.length === 0 && output === undefined && !hasLinkInput) {
    return { kind: "other", reason: "compiler run that builds nothing (no source, object or -o)" };
  }
  let soname: string | undefined;
  let versionScript: string | undefined;
  for (let k = 0; k < linkerOptions.length; k++) {
    const option = linkerOptions[k] as string;
    if (option === "-soname" || option === "-h" || option === "--soname") soname = linkerOptions[k + 1];
    else if (option.startsWith("-soname=") || option.startsWith("--soname="))
      soname = option.slice(option.indexOf("=") + 1);
    else if (option === "--version-script") versionScript = linkerOptions[k + 1];
    else if (option.startsWith("--version-script=")) versionScript = option.slice(17);
  }
  const linkOutput = output ?? "a.out";
  const language: Language = compiler.cplusplus
    ? "c++"
    : (sources.find((source) => source.language === "c++")?.language ?? "c");
  const link: LinkFields = {
    product:
      shared || (libtoolMode === "link" && rpath && linkOutput.endsWith(".la")) ? "shared" : "executable",
    output: linkOutput,
    inputs: linkInputs
      .filter((input) => !input.file.startsWith("-l"))
      .map((input) =>
        input.sourceIndex === undefined ? input.file : (compiles[input.sourceIndex] as CompileFields).output,
      ),
    libraryDirectories,
    libraries,
    linkerOptions,
    soname,
    versionScript,
    threads,
    otherFlags: linkOther,
    language,
  };
  return { kind: "build", compiles, link };
}

/** Second characters of the options in TAKES_VALUE, so most other options skip the set lookup. */
const VALUE_OPTION_LETTERS = new Set([...TAKES_VALUE].map((option) => option.charCodeAt(1)));

function findValueOption(word: string): string | undefined {
  const letter = word.charCodeAt(1);
  if (!VALUE_OPTION_LETTERS.has(letter)) return undefined;
  // These six letters start no other option of TAKES_VALUE, so the word is the option or its glued form
  // (-Idir, -DX=1, -ofile, -lm, -Ldir) without a set lookup, which would hash the whole word.
  switch (letter) {
    case 73: // I
      return "-I";
    case 68: // D
      return "-D";
    case 85: // U
      return "-U";
    case 76: // L
      return "-L";
    case 108: // l
      return "-l";
    case 111: // o
      return "-o";
  }
  if (TAKES_VALUE.has(word)) return word;
  // Glued forms: -isystem/dir, -MFfile. Only these options are looked for glued, because other options
  // that start with the same letters (-include-pch, -iwithprefix) are rare.
  switch (letter) {
    case 105: // i
      for (const option of ["-isystem", "-idirafter", "-iquote", "-include"]) {
        if (word.startsWith(option) && word.length > option.length) return option;
      }
      return undefined;
    case 77: // M
      if (word.length > 3 && (word.startsWith("-MF") || word.startsWith("-MT") || word.startsWith("-MQ")))
        return word.slice(0, 3);
      return undefined;
    default:
      return undefined;
  }
}
