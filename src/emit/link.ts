import path from "node:path/posix";
import { type DclCommand, type DclQualifier, symbol } from "../dcl/index.js";
import type { LinkStep } from "../model/steps.js";
import type { LibraryRule, Located, TargetRule } from "../rules/translate/types.js";
import type { ExportList } from "./options.js";
import type { PathContext } from "./paths.js";
import { productPath } from "./paths.js";
import { gsmatch, parseVersionScript, symbolVector } from "./symbols.js";

/** A library the log itself builds, found again when a later link names it with `-l`. */
export interface BuiltLibrary {
  kind: "library" | "shareable";
  /** Absolute specification under the root logical. */
  rooted: string;
}

export interface LinkContext {
  paths: PathContext;
  target: TargetRule;
  pointerSize: 32 | 64;
  libraryRules: ReadonlyMap<string, Located<LibraryRule>>;
  /** Libraries built earlier in the log, by the name `-l` uses (`z` for libz.a). */
  built: ReadonlyMap<string, BuiltLibrary>;
  /** Libraries whose link in this log was not translated, by name → the log line of that link. */
  untranslatedLibraries?: ReadonlyMap<string, number>;
  exports: ExportList | undefined;
  readVersionScript: ((file: string, sourceRoot: string | undefined) => string | undefined) | undefined;
  /**
   * Version scripts parsed earlier in the translation, by file, with the text they were parsed from. A library
   * linked again and again (once per build variant) would otherwise parse the same script each time.
   */
  versionScripts?: Map<string, { text: string; parsed: ReturnType<typeof parseVersionScript> }>;
  /** Name the options file will have beside the procedure, unique within the build. */
  optionsFileName(image: string): string;
  rootLogical: string;
}

export type LinkOutcome =
  | {
      kind: "command";
      command: DclCommand;
      optionsFile: { name: string; content: string };
      notes: string[];
      unresolvedLibraries: number;
      droppedLibraries: number;
      /** The exports came from a version script, which does not tell variables from functions. */
      untypedExports: boolean;
      /** Specification of the image, in the step's directory and under the root logical. */
      image: string;
      rooted: string;
      dependencies: string[];
    }
  | { kind: "not-translated"; reason: string; unresolvedLibraries?: number };

/** The name `-l` uses for a library file: `libz.a` → `z`, `libz.so.1.2` → `z`. */
export function libraryName(file: string): string | undefined {
  const match = /^lib(.+?)\.(a|la|so(\.[0-9][0-9A-Za-z.-]*)?|dylib)$/.exec(path.basename(file));
  return match?.[1];
}

/**
 * Find the shareable image or object library that an earlier step of the log built for the libtool library
 * `input` (`../lib/libx.la`), found by its library name.
 * NOTE: two libtool libraries of one name in different directories are taken for one.
 */
function builtLibtoolLibrary(input: string, context: LinkContext): BuiltLibrary | undefined {
  const name = libraryName(input);
  return name === undefined ? undefined : context.built.get(name);
}

/**
 * Translate a link into an options file and a LINK (or CXXLINK) command. The options file lists objects,
 * object libraries and shareable images in command-line order, each with an explicit directory because
 * every options-file line inherits the previous line's defaults.
 */
export function translateLink(step: LinkStep, context: LinkContext): LinkOutcome {
  const directory = step.directory.path;
  const notes: string[] = [];
  const lines: string[] = [];
  const dependencies: string[] = [];
  let unresolvedLibraries = 0;
  let droppedLibraries = 0;
  const missing: string[] = [];
  let threads = step.threads;

  const exportList = step.product === "shared" ? exportsFor(step, context, notes) : undefined;
  if (step.product === "shared" && exportList === undefined) {
    return {
      kind: "not-translated",
      reason:
        "a shareable image exports only the names in its SYMBOL_VECTOR, and this link gives no export list: " +
        "pass --exports FILE (one name per line, or nm -g output of the library) or link with -Wl,--version-script",
    };
  }

  for (const input of step.inputs) {
    // A libtool library given by its `.la` is whichever image or object library this log built from it.
    const built = input.endsWith(".la") ? builtLibtoolLibrary(input, context) : undefined;
    if (built !== undefined) {
      lines.push(`${built.rooted}/${built.kind === "library" ? "LIBRARY" : "SHAREABLE"}`);
      dependencies.push(built.rooted);
      continue;
    }
    const mapped = productPath(input, "input");
    const spec = context.paths.file(mapped, directory, step.index, true);
    dependencies.push(context.paths.rooted(mapped, directory, step.index));
    if (/\.(o|lo|obj)$/.test(input)) lines.push(spec);
    else if (/\.(a|la)$/.test(input)) lines.push(`${spec}/LIBRARY`);
    else if (/\.(so(\.[0-9][0-9A-Za-z.-]*)?|dylib)$/.test(input)) lines.push(`${spec}/SHAREABLE`);
    else {
      dependencies.pop();
      notes.push(`NOTE: input ${input} is neither an object nor a library and was left out`);
    }
  }

  for (const name of step.libraries) {
    const built = context.built.get(name);
    if (built) {
      lines.push(`${built.rooted}/${built.kind === "library" ? "LIBRARY" : "SHAREABLE"}`);
      dependencies.push(built.rooted);
      continue;
    }
    const rule = findLibraryRule(context.libraryRules, name);
    const untranslatedAt = context.untranslatedLibraries?.get(name);
    if (rule === undefined && untranslatedAt !== undefined) {
      missing.push(
        `-l${name} is the library this log links at line ${untranslatedAt}, and that link was not translated; translate it first (see its NOT TRANSLATED block)`,
      );
      continue;
    }
    if (rule === undefined) {
      unresolvedLibraries++;
      missing.push(
        `-l${name} has no library rule and is not built by this log; add a library rule with --rules FILE`,
      );
      continue;
    }
    if (rule.threads) threads = true;
    switch (rule.action) {
      case "crtl":
        break;
      case "untranslatable":
        // The link is still written: the calls into such a library have to be ported away (vmsport scan
        // reports them), after which the image links without it. The drop is counted so --strict fails.
        droppedLibraries++;
        notes.push(`-l${name} left out, it has no OpenVMS equivalent (${rule.id}): ${rule.reason ?? ""}`);
        break;
      case "object-library":
        lines.push(`${libraryFile(rule, context.pointerSize)}/LIBRARY`);
        break;
      case "shareable":
        lines.push(`${libraryFile(rule, context.pointerSize)}/SHAREABLE`);
        break;
    }
  }

  // A LINK without a library the program needs fails or, worse, links an image that fails at run time, so
  // the step is reported instead of written.
  if (missing.length > 0) return { kind: "not-translated", reason: missing.join("; "), unresolvedLibraries };

  const ignoredOptions = unhandledLinkerOptions(step.linkerOptions);
  if (ignoredOptions.length > 0)
    notes.push(`linker options with no OpenVMS counterpart: ${ignoredOptions.join(" ")}`);
  if (step.linkerOptions.some((option) => option.startsWith("-rpath") || option === "-R")) {
    notes.push(
      "run-time library paths become logical names: define one per shareable image before running the program",
    );
  }

  if (exportList !== undefined) {
    lines.push("CASE_SENSITIVE=YES");
    lines.push(...symbolVector(exportList.symbols));
    lines.push("CASE_SENSITIVE=NO");
    const match = gsmatch(step.soname, step.output);
    if (match) lines.push(match);
  }

  const role = step.product === "shared" ? "shared" : "executable";
  const imageUnix = productPath(step.output, role);
  const image = context.paths.file(imageUnix, directory, step.index);
  const rooted = context.paths.rooted(imageUnix, directory, step.index);
  const optionsName = context.optionsFileName(path.basename(imageUnix).replace(/\.exe$/i, ""));
  const optionsSpec = `${context.rootLogical}:[000000]${optionsName.toUpperCase()}`;
  dependencies.push(optionsSpec);

  const qualifiers: DclQualifier[] = [
    { name: step.product === "shared" ? "SHAREABLE" : "EXECUTABLE", value: image },
  ];
  if (threads) qualifiers.push({ name: "THREADS_ENABLE" });
  const verb = step.language === "c++" ? (context.target.cxxLinkVerb ?? "LINK") : "LINK";
  const command: DclCommand = {
    verb,
    qualifiers,
    parameters: [
      symbol("LINK_QUALIFIERS"),
      { elements: [{ value: optionsSpec, qualifiers: [{ name: "OPTIONS" }] }] },
    ],
  };

  const header = [
    `! Linker options for ${path.basename(step.output)}, from log line ${step.origin.startLine}.`,
    "! Generated by vmsport translate. Each line names its directory, because options-file lines",
    "! inherit the previous line's defaults.",
  ];
  return {
    kind: "command",
    command,
    optionsFile: { name: optionsName, content: `${[...header, ...lines].join("\n")}\n` },
    notes,
    unresolvedLibraries,
    droppedLibraries,
    untypedExports: exportList !== undefined && context.exports === undefined,
    image,
    rooted,
    dependencies,
  };
}

function exportsFor(step: LinkStep, context: LinkContext, notes: string[]): ExportList | undefined {
  if (context.exports) return context.exports;
  if (step.versionScript === undefined) return undefined;
  const file = path.isAbsolute(step.versionScript)
    ? step.versionScript
    : path.join(step.directory.path, step.versionScript);
  const text = context.readVersionScript?.(file, context.paths.sourceRoot);
  if (text === undefined) {
    notes.push(`NOTE: version script ${step.versionScript} could not be read here`);
    return undefined;
  }
  let parsed = context.versionScripts?.get(file);
  if (parsed?.text !== text) {
    parsed = { text, parsed: parseVersionScript(text, file) };
    context.versionScripts?.set(file, parsed);
  }
  const { list, patterns } = parsed.parsed;
  if (patterns.length > 0)
    notes.push(`NOTE: wildcard entries of the version script were not expanded: ${patterns.join(" ")}`);
  // NOTE: a version script does not distinguish functions from variables, so every name is exported as
  // PROCEDURE. Change exported variables to DATA in the options file, or pass nm output with --exports FILE.
  notes.push(`exports from ${step.versionScript} (${list.symbols.length} names, all as PROCEDURE)`);
  return list;
}

/** Linker options other than the soname and version script, which the options file carries. */
function unhandledLinkerOptions(options: readonly string[]): string[] {
  const rest: string[] = [];
  for (let index = 0; index < options.length; index++) {
    const option = options[index] ?? "";
    if (option === "-soname" || option === "--version-script" || option === "-h") {
      index++;
      continue;
    }
    if (/^(-soname|--version-script|-h)=/.test(option)) continue;
    rest.push(option);
  }
  return rest;
}

function findLibraryRule(
  rules: ReadonlyMap<string, Located<LibraryRule>>,
  name: string,
): Located<LibraryRule> | undefined {
  let found: Located<LibraryRule> | undefined;
  for (const rule of rules.values()) {
    if (rule.names.includes(name) && (found === undefined || rule.layer >= found.layer)) found = rule;
  }
  return found;
}

/** The library rule's file for the pointer size in use. */
export function libraryFile(rule: LibraryRule, pointerSize: 32 | 64): string {
  if (rule.file === undefined) return "";
  if (typeof rule.file === "string") return rule.file;
  return pointerSize === 64 ? rule.file["64"] : rule.file["32"];
}

/**
 * Tells whether a link is a libtool library linked without -rpath: a convenience library, which libtool
 * builds as a static archive of the objects (`.libs/libx.a`) for other libtool links to take in. A log that
 * shows libtool's own commands has that `ar` line already (`libtoolCommandsShown`).
 */
export function isLibtoolConvenienceLibrary(step: LinkStep): boolean {
  return (
    step.product === "executable" &&
    step.output.endsWith(".la") &&
    step.wrappers?.includes("libtool") === true
  );
}
