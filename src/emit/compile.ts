import {
  type DclCommand,
  type DclQualifier,
  defineList,
  includeDirectoryList,
  type MacroDefinition,
  quoteValue,
  raw,
  symbol,
} from "../dcl/index.js";
import type { CompileStep } from "../model/steps.js";
import { type FlagMatcher, parseRuleDefine, type RuleQualifier } from "../rules/translate/flags.js";
import type { RuleLanguage, TargetRule } from "../rules/translate/types.js";
import type { PathContext } from "./paths.js";
import { productPath } from "./paths.js";

/** Options whose following word is their argument, inside `dependencyFlags`. */
const DEPENDENCY_OPTIONS_WITH_ARGUMENT = new Set(["-MF", "-MT", "-MQ"]);

const C_SOURCE = /\.c$/;
const CXX_SOURCE = /\.(cc|cp|cpp|cxx|c\+\+|C|CPP)$/;

/** Translation of a compile step before rendering. */
export interface CompilePlan {
  kind: "command";
  command: DclCommand;
  /** Definitions that must go into a `/FIRST_INCLUDE` header because DCL would change them. */
  headerDefines: (MacroDefinition & { reason: string })[];
  /** Comment lines about unknown options and values that DCL cannot carry. */
  notes: string[];
  /** Options a rule marks as needing nothing; the procedure lists them once, in its header. */
  ignored: string[];
  unknownFlags: number;
  untranslatableFlags: number;
  language: RuleLanguage;
}

export type CompileOutcome =
  | CompilePlan
  | { kind: "commented" | "not-translated"; reason: string; untranslatableFlags?: number };

/** Everything the compile translator needs besides the step. */
export interface CompileContext {
  flags: FlagMatcher;
  target: TargetRule;
  paths: PathContext;
  /** Symbol holding the shared CC qualifiers; CXX_QUALIFIERS for C++. */
  symbolFor(language: RuleLanguage): string;
  /** Results of earlier compiles of the same translation, to reuse for compiles with the same options. */
  memo?: CompileMemo;
  /** The commands go into an MMS description file, whose continued action lines MMK strips of comments. */
  descriptionFile?: boolean;
}

/** Pick C or C++ from the step, falling back on the source's file type. */
export function compileLanguage(step: CompileStep): RuleLanguage | undefined {
  if (step.language === "c") return "c";
  if (step.language === "c++") return "c++";
  if (step.language !== "unknown") return undefined;
  if (CXX_SOURCE.test(step.source)) return "c++";
  if (C_SOURCE.test(step.source)) return "c";
  return undefined;
}

/** List the option words of a compile that flag rules decide on, in command order as far as the model keeps it. */
export function ruleWords(step: CompileStep): string[] {
  const words: string[] = [];
  if (step.optimization !== undefined) words.push(`-O${step.optimization}`);
  words.push(...step.debug);
  if (step.standard !== undefined) words.push(`-std=${step.standard}`);
  words.push(...step.warnings);
  for (let index = 0; index < step.dependencyFlags.length; index++) {
    const word = step.dependencyFlags[index] ?? "";
    if (DEPENDENCY_OPTIONS_WITH_ARGUMENT.has(word)) index++;
    if (word.startsWith("-")) words.push(word);
  }
  if (step.pic && !step.otherFlags.some((word) => /^-f(PIC|pic)$/.test(word))) words.push("-fPIC");
  words.push(...step.otherFlags);
  return words;
}

/**
 * Translate one compile into a CC or CXX command: merged `/DEFINE` and `/INCLUDE_DIRECTORY` lists, the
 * qualifiers of the flag rules, `/OBJECT`, and the shared qualifiers through a symbol. The returned command is
 * not yet checked against the length limits; the planner does that and moves definitions to a header.
 */
export function translateCompile(step: CompileStep, context: CompileContext): CompileOutcome {
  if (step.source === "-") {
    return {
      kind: "not-translated",
      reason:
        "the source is read from standard input, which the log does not contain; save it to a file and compile that",
    };
  }
  const language = compileLanguage(step);
  if (language === undefined) {
    return {
      kind: "not-translated",
      reason: `${step.language === "unknown" ? `source ${step.source}` : `${step.language} source`} has no OpenVMS compiler rule; compile it by hand (MACRO for assembler)`,
    };
  }
  if (step.dependencyFlags.some((word) => word === "-M" || word === "-MM")) {
    return {
      kind: "commented",
      reason:
        "this command only lists header dependencies for make; the MMS description file states dependencies itself",
    };
  }

  const shared =
    context.memo === undefined
      ? compileOptions(step, language, context)
      : cachedOptions(step, language, context, context.memo);
  if (shared.kind !== "options") return shared;

  const directory = step.directory.path;
  const notes = [...shared.notes];
  const dclQualifiers = [...shared.qualifiers];
  const output = context.paths.file(productPath(step.output, "object"), directory, step.index);
  if (isPrecompiledHeader(step)) {
    // gcc precompiles the header here. CC and CXX have no such file, so the header is only compiled as a check.
    notes.push("gcc precompiles this header; the compiler checks it and writes no object");
    dclQualifiers.push({ name: "OBJECT", negated: true });
  } else if (shared.preprocessOnly) {
    dclQualifiers.push({ name: "PREPROCESS_ONLY", value: step.outputImplied ? raw("SYS$OUTPUT:") : output });
  } else {
    dclQualifiers.push({ name: "OBJECT", value: output });
  }

  const command: DclCommand = {
    verb: language === "c++" ? "CXX" : "CC",
    qualifiers: dclQualifiers,
    parameters: [symbol(context.symbolFor(language)), context.paths.file(step.source, directory, step.index)],
  };
  return {
    kind: "command",
    command,
    headerDefines: shared.headerDefines,
    notes,
    ignored: shared.ignored,
    unknownFlags: shared.unknownFlags,
    untranslatableFlags: shared.untranslatableFlags,
    language,
  };
}

/**
 * The part of a compile's translation that its options decide: every qualifier before `/OBJECT`, the notes
 * and the counts. It is shared, so callers copy the arrays they extend.
 */
interface CompileOptions {
  kind: "options";
  qualifiers: readonly DclQualifier[];
  preprocessOnly: boolean;
  headerDefines: (MacroDefinition & { reason: string })[];
  notes: readonly string[];
  ignored: string[];
  unknownFlags: number;
  untranslatableFlags: number;
}

type CompileOptionsOutcome =
  | CompileOptions
  | { kind: "not-translated"; reason: string; untranslatableFlags: number };

/** A compile whose options part was translated, kept for comparing later compiles of its directory. */
interface MemoEntry {
  step: CompileStep;
  language: RuleLanguage;
  outcome: CompileOptionsOutcome;
}

/** Memo of `compileOptions` results by step directory, most recent first, owned by one translation. */
export type CompileMemo = Map<string, MemoEntry[]>;

/** Option sets remembered per directory. A directory whose compiles use more of them pays for the misses. */
const MEMO_ENTRIES_PER_DIRECTORY = 8;

/**
 * Look up the options part of a compile, computing it on the first compile in the same directory with the
 * same language and options. The compiles of one directory usually share all their options, so most compiles
 * pay only for comparing their option words with those of an earlier compile, which builds no strings.
 */
function cachedOptions(
  step: CompileStep,
  language: RuleLanguage,
  context: CompileContext,
  memo: CompileMemo,
): CompileOptionsOutcome {
  const directory = step.directory.path;
  let entries = memo.get(directory);
  if (entries === undefined) {
    entries = [];
    memo.set(directory, entries);
  }
  for (const entry of entries) {
    if (entry.language === language && sameOptions(entry.step, step)) return entry.outcome;
  }
  const outcome = compileOptions(step, language, context);
  entries.unshift({ step, language, outcome });
  if (entries.length > MEMO_ENTRIES_PER_DIRECTORY) entries.pop();
  return outcome;
}

/** Check that two compiles have every field `compileOptions` reads in common, apart from the directory. */
function sameOptions(a: CompileStep, b: CompileStep): boolean {
  return (
    a.optimization === b.optimization &&
    a.standard === b.standard &&
    a.pic === b.pic &&
    sameWords(a.otherFlags, b.otherFlags) &&
    sameWords(a.debug, b.debug) &&
    sameWords(a.warnings, b.warnings) &&
    sameWords(a.dependencyFlags, b.dependencyFlags) &&
    sameWords(a.undefines, b.undefines) &&
    sameWords(a.forcedIncludes, b.forcedIncludes) &&
    sameList(a.defines, b.defines, (x, y) => x.name === y.name && x.value === y.value) &&
    sameList(a.includes, b.includes, (x, y) => x.path === y.path) &&
    sameList(
      a.responseFiles ?? [],
      b.responseFiles ?? [],
      (x, y) => x.path === y.path && x.resolved === y.resolved,
    )
  );
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  // Steps handed over by the parser thread share the option lists of the compile before them.
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (!same(a[index] as T, b[index] as T)) return false;
  return true;
}

/** Translate the options of a compile. `sameOptions` must compare every step field read here. */
function compileOptions(
  step: CompileStep,
  language: RuleLanguage,
  context: CompileContext,
): CompileOptionsOutcome {
  const directory = step.directory.path;
  const notes: string[] = [];
  const qualifiers = new Map<string, RuleQualifier>();
  const ruleDefines: MacroDefinition[] = [];
  const ignored: string[] = [];
  let unknownFlags = 0;
  let untranslatableFlags = 0;
  const untranslatable: string[] = [];
  let preprocessOnly = false;

  for (const word of ruleWords(step)) {
    const effect = context.flags.translate(word, language);
    switch (effect.kind) {
      case "qualifiers":
        for (const qualifier of effect.qualifiers) {
          qualifiers.delete(qualifier.name);
          qualifiers.set(qualifier.name, qualifier);
          if (qualifier.name === "PREPROCESS_ONLY") preprocessOnly = true;
        }
        break;
      case "define":
        ruleDefines.push(...effect.defines);
        break;
      case "ignore":
        ignored.push(word);
        break;
      case "untranslatable":
        untranslatableFlags++;
        untranslatable.push(`${word} has no OpenVMS equivalent (${effect.rule.id}): ${effect.reason}`);
        break;
      case "unknown":
        unknownFlags++;
        notes.push(`NOTE: ${word} was left out: ${effect.reason}; add a flag rule with --rules FILE`);
        break;
    }
  }

  // The rule states that CC has no way to build what the option requests, so an object compiled without it
  // would differ from the Unix one.
  if (untranslatable.length > 0)
    return { kind: "not-translated", reason: untranslatable.join("; "), untranslatableFlags };

  for (const file of step.responseFiles ?? []) {
    if (!file.resolved) {
      notes.push(`NOTE: the options in response file ${file.path} were not in the log and are missing here`);
    }
  }

  const dclQualifiers: DclQualifier[] = [];
  for (const qualifier of qualifiers.values()) {
    if (qualifier.name === "PREPROCESS_ONLY") continue;
    dclQualifiers.push(toDclQualifier(qualifier));
  }

  const defines: MacroDefinition[] = [
    ...context.target.defines.map(parseRuleDefine),
    ...step.defines.map((define) =>
      define.value === undefined ? { name: define.name } : { name: define.name, value: define.value },
    ),
    ...ruleDefines,
  ];
  // MMK cuts a continued action line at `!` or `#` even inside quotes (its comment stripping ignores them),
  // so such values go into the generated header in a description file.
  const commentLike = context.descriptionFile
    ? defines.filter((define) => define.value !== undefined && /[!#]/.test(define.value))
    : [];
  const defineResult = defineList(
    commentLike.length === 0 ? defines : defines.filter((define) => !commentLike.includes(define)),
  );
  for (const define of commentLike)
    defineResult.unsafe.push({
      ...define,
      reason: "MMK reads ! and # on a continued action line as the start of a comment, even inside quotes",
    });
  if (defineResult.elements.length > 0) dclQualifiers.push({ name: "DEFINE", value: defineResult.elements });

  if (step.undefines.length > 0) {
    const names: string[] = [];
    for (const name of step.undefines) {
      const quoted = quoteValue(name);
      if ("unsafe" in quoted) notes.push(`NOTE: -U${name} was left out: ${quoted.unsafe}`);
      else names.push(quoted.text);
    }
    if (names.length > 0) dclQualifiers.push({ name: "UNDEFINE", value: names.map((text) => raw(text)) });
  }

  const includeSpecs = step.includes.map((include) =>
    context.paths.directory(include.path, directory, step.index),
  );
  const includes = includeDirectoryList(includeSpecs);
  for (const unsafe of includes.unsafe)
    notes.push(`NOTE: include directory ${unsafe.value} was left out: ${unsafe.reason}`);
  if (includes.elements.length > 0)
    dclQualifiers.push({ name: "INCLUDE_DIRECTORY", value: includes.elements });

  if (step.forcedIncludes.length > 0) {
    dclQualifiers.push({
      name: "FIRST_INCLUDE",
      value: step.forcedIncludes.map((file) => context.paths.file(file, directory, step.index)),
    });
  }

  return {
    kind: "options",
    qualifiers: dclQualifiers,
    preprocessOnly,
    headerDefines: defineResult.unsafe,
    notes,
    ignored,
    unknownFlags,
    untranslatableFlags,
  };
}

/** Check whether a compile makes a gcc precompiled header rather than an object. */
export function isPrecompiledHeader(step: CompileStep): boolean {
  return /\.(gch|pch)$/.test(step.output) || /\.(h|hh|hpp|hxx|h\+\+)$/.test(step.source);
}

/** Turn a rule qualifier into the DCL model; rule values are DCL text written by the rule's author. */
export function toDclQualifier(qualifier: RuleQualifier): DclQualifier {
  if (qualifier.negated) return { name: qualifier.name, negated: true };
  if (qualifier.value === undefined) return { name: qualifier.name };
  return { name: qualifier.name, value: raw(qualifier.value) };
}

/**
 * Write the `/FIRST_INCLUDE` header for definitions that cannot go on the command line. The text names no
 * source file, so that compiles with the same definitions share one header instead of one file each.
 */
export function defineHeader(defines: readonly MacroDefinition[]): string {
  const lines = [
    "/* Macro definitions that DCL would change on a command line. */",
    "/* Generated by vmsport translate; passed to the compiler with /FIRST_INCLUDE. */",
  ];
  for (const define of defines) {
    lines.push(`#undef ${macroName(define.name)}`);
    lines.push(`#define ${define.name} ${define.value === undefined ? "1" : define.value}`);
  }
  return `${lines.join("\n")}\n`;
}

function macroName(name: string): string {
  const parenthesis = name.indexOf("(");
  return parenthesis < 0 ? name : name.slice(0, parenthesis);
}
