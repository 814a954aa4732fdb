/**
 * Evaluation of `#if` expressions for OpenVMS with three outcomes: true, false, or unknown when a macro the
 * scanner has no fact about decides the value. Unknown branches count as live.
 */

import { UserError } from "../util/errors.js";
import type { ScanTargetOptions } from "./types.js";
import { crtlVersionNumber } from "./versions.js";

/** A fact about a macro: defined (with its value when it is a plain integer) or not defined. */
export type MacroFact = { defined: true; value: number | undefined } | { defined: false };

/** Macros that identify OpenVMS; a branch decided by one of them is "already ported" when it is dead. */
export const VMS_IDENTITY_MACROS: ReadonlySet<string> = new Set([
  "__VMS",
  "VMS",
  "__vms",
  "vms",
  "__VMS__",
  "__DECC",
  "__DECCXX",
]);

/** Other systems' predefined macros, all undefined when compiling on OpenVMS. */
const FOREIGN_MACROS = [
  "__linux__",
  "__linux",
  "linux",
  "__gnu_linux__",
  "_WIN32",
  "_WIN64",
  "__WIN32__",
  "WIN32",
  "__MINGW32__",
  "__APPLE__",
  "__MACH__",
  "__FreeBSD__",
  "__NetBSD__",
  "__OpenBSD__",
  "__DragonFly__",
  "__sun",
  "__sun__",
  "sun",
  "__CYGWIN__",
  "__ANDROID__",
  "__hpux",
  "_AIX",
  "__unix__",
  "__unix",
  "unix",
  "__GNUC__",
  "__clang__",
  "_MSC_VER",
  "__LP64__",
  "_LP64",
  "__LP64",
];

/** Predefined macros of the C compilers per architecture (HP C User's Guide, "Predefined Macros"). */
const ARCHITECTURE_MACROS: Record<string, readonly string[]> = {
  alpha: ["__alpha", "__ALPHA", "__Alpha_AXP", "__alpha__"],
  ia64: ["__ia64", "__ia64__", "__IA64", "__itanium__"],
  x86_64: ["__x86_64", "__x86_64__", "__amd64", "__amd64__"],
};

/** Build the macro facts for a scan: OpenVMS identity, the target, the version, then --define/--undefine. */
export function baseFacts(options: ScanTargetOptions): Map<string, MacroFact> {
  const facts = new Map<string, MacroFact>();
  const define = (name: string, value: number | undefined = 1) => facts.set(name, { defined: true, value });
  for (const name of VMS_IDENTITY_MACROS) if (name !== "__DECCXX") define(name);
  for (const name of FOREIGN_MACROS) facts.set(name, { defined: false });
  facts.set("__VAX", { defined: false });
  facts.set("__vax", { defined: false });
  if (options.target) {
    for (const [target, names] of Object.entries(ARCHITECTURE_MACROS)) {
      for (const name of names) {
        if (target === options.target) define(name);
        else facts.set(name, { defined: false });
      }
    }
  }
  if (options.vmsVersion) {
    const number = crtlVersionNumber(options.vmsVersion);
    define("__CRTL_VER", number);
    define("__VMS_VER", number);
  }
  if (options.pointerSize) define("__INITIAL_POINTER_SIZE", options.pointerSize);
  for (const entry of options.define ?? []) {
    const equals = entry.indexOf("=");
    const name = equals < 0 ? entry : entry.slice(0, equals);
    const text = equals < 0 ? "1" : entry.slice(equals + 1);
    define(name, parseIntegerLiteral(text.trim()));
  }
  for (const name of options.undefine ?? []) facts.set(name, { defined: false });
  return facts;
}

/**
 * A macro that a configuration header such as config.h defines (with its replacement text) or undefines, or
 * sets in a branch whose condition the scan cannot decide (`defined: undefined`), which leaves it unknown.
 */
export type HeaderMacro =
  | { name: string; defined: true; value: string }
  | { name: string; defined: false }
  | { name: string; defined: undefined };

const DEFINE_LINE = /^#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\(?)(.*)$/;
const UNDEF_LINE = /^#\s*undef\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/;
/** The commented-out form that autoconf and `vmsport config` write for a feature that is absent. */
const COMMENTED_UNDEF_LINE = /^\/\*\s*#\s*undef\s+([A-Za-z_][A-Za-z0-9_]*)\s*\*\/$/;

/** Macros the OpenVMS compilers predefine that the scan's options may leave without a value. */
const COMPILER_MACROS: ReadonlySet<string> = new Set([
  "__CRTL_VER",
  "__VMS_VER",
  "__DECC_VER",
  "__DECCXX_VER",
  "__INITIAL_POINTER_SIZE",
  ...Object.values(ARCHITECTURE_MACROS).flat(),
]);

/** Return the fact a configuration header's macro gives for `#if`, or undefined when it left it unknown. */
export function headerMacroFact(macro: HeaderMacro): MacroFact | undefined {
  if (macro.defined === undefined) return undefined;
  if (!macro.defined) return { defined: false };
  return { defined: true, value: parseIntegerLiteral(macro.value.trim()) };
}

/** One `#if` group of a configuration header being read. */
interface HeaderGroup {
  /** State of the lines around the group. */
  outer: "active" | "inactive" | "unknown";
  state: "active" | "inactive" | "unknown";
  /** An earlier branch of the group was taken for certain, so the later ones are not. */
  branchTaken: boolean;
  /** An earlier branch had a condition the scan cannot decide. */
  undecided: boolean;
}

const EXPRESSION_TOKEN =
  /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\.?[0-9](?:[eEpP][+-]|[A-Za-z0-9_.'])*)|('(?:\\.|[^'\\])*')|("(?:\\.|[^"\\])*")|(&&|\|\||==|!=|<=|>=|<<|>>|[-+*/%<>!~&|^?:(),]))/y;

/** Split the text of a directive's condition into tokens, or return undefined for text it cannot read. */
export function expressionTokensOf(text: string): ExpressionToken[] | undefined {
  const tokens: ExpressionToken[] = [];
  EXPRESSION_TOKEN.lastIndex = 0;
  while (EXPRESSION_TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(EXPRESSION_TOKEN.lastIndex))) break;
    const match = EXPRESSION_TOKEN.exec(text);
    if (match === null) return undefined;
    const [, ident, number, char, string, punct] = match;
    if (ident !== undefined) tokens.push({ kind: "ident", text: ident });
    else if (number !== undefined) tokens.push({ kind: "number", text: number });
    else if (char !== undefined) tokens.push({ kind: "char", text: char });
    else if (string !== undefined) tokens.push({ kind: "string", text: string });
    else tokens.push({ kind: "punct", text: punct as string });
  }
  return tokens;
}

/**
 * Read the macro facts of a configuration header: `#define NAME [VALUE]`, `#undef NAME`, and `#undef NAME`
 * commented out on a line of its own. Function-like macros and other directives are skipped. The header's
 * own `#if` groups are evaluated as the compiler would, with `facts` (the scan's target, version and
 * --define facts) and the macros set above them. Lines in a dead branch are skipped. A macro set in a branch
 * the scan cannot decide (`#if __CRTL_VER >= 80500000` without --vms-version) becomes unknown. Throws a
 * `UserError` with the line for a `#define` or `#undef` without a valid name, and for a file with no macro
 * lines at all, which is not a configuration header.
 */
export function parseConfigHeader(
  text: string,
  file: string,
  facts: ReadonlyMap<string, MacroFact> = new Map(),
): HeaderMacro[] {
  if (text.includes("\0")) {
    throw new UserError("configuration header is a binary file", {
      location: { file },
      hint: "Name the config.h that `vmsport config` wrote.",
    });
  }
  const macros: HeaderMacro[] = [];
  const own = new Map<string, MacroFact | undefined>();
  // A header read on its own, as on its first inclusion, depends only on its own macros, the scan's facts
  // and the compiler's predefined macros. Any other name is undefined, as an include guard is the first
  // time. A predefined macro the scan was not given (__CRTL_VER without --vms-version) is unknown.
  const lookup = (name: string): MacroFact | undefined => {
    if (own.has(name)) return own.get(name);
    const fact = facts.get(name);
    if (fact !== undefined || COMPILER_MACROS.has(name)) return fact;
    return { defined: false };
  };
  const groups: HeaderGroup[] = [];
  const state = () => groups.at(-1)?.state ?? "active";
  const record = (macro: HeaderMacro) => {
    const current = state();
    if (current === "inactive") return;
    const recorded: HeaderMacro = current === "unknown" ? { name: macro.name, defined: undefined } : macro;
    macros.push(recorded);
    own.set(recorded.name, headerMacroFact(recorded));
  };
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    let line = lines[index] as string;
    while (line.endsWith("\\") && index + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++index]}`;
    line = line.trim();
    const commented = COMMENTED_UNDEF_LINE.exec(line);
    if (commented) {
      record({ name: commented[1] as string, defined: false });
      continue;
    }
    if (!line.startsWith("#")) continue;
    const code = line
      .replace(/\/\*.*?\*\//g, " ")
      .replace(/\/\/.*$/, "")
      .trim();
    const conditional = /^#\s*(if|ifdef|ifndef|elif|else|endif)\b\s*(.*)$/.exec(code);
    if (conditional) {
      followConditional(groups, conditional[1] as string, conditional[2] as string, lookup);
      continue;
    }
    const directive = /^#\s*(define|undef)\b/.exec(code)?.[1];
    if (directive === undefined) continue;
    const match = directive === "define" ? DEFINE_LINE.exec(code) : UNDEF_LINE.exec(code);
    if (!match) {
      throw new UserError(`invalid #${directive} line in configuration header: ${code}`, {
        location: { file, line: lineNumber },
        hint: `Write #${directive} followed by a macro name${directive === "define" ? " and an optional value" : ""}.`,
      });
    }
    const name = match[1] as string;
    if (directive === "undef") record({ name, defined: false });
    else if (match[2] !== "(") record({ name, defined: true, value: (match[3] as string).trim() });
  }
  if (macros.length === 0) {
    throw new UserError("configuration header has no #define or #undef lines", {
      location: { file },
      hint: "Name the config.h that `vmsport config` wrote, not a source file.",
    });
  }
  return macros;
}

/** Apply one conditional directive of a configuration header to the stack of open `#if` groups. */
function followConditional(
  groups: HeaderGroup[],
  directive: string,
  rest: string,
  lookup: (name: string) => MacroFact | undefined,
): void {
  const decide = (): boolean | undefined => {
    if (directive === "ifdef" || directive === "ifndef") {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)?.[0];
      const fact = name === undefined ? undefined : lookup(name);
      if (fact === undefined) return undefined;
      return directive === "ifdef" ? fact.defined : !fact.defined;
    }
    const tokens = expressionTokensOf(rest);
    return tokens === undefined ? undefined : evaluateCondition(tokens, lookup).value;
  };
  const branchState = (outer: HeaderGroup["outer"], value: boolean | undefined, undecided: boolean) => {
    if (outer === "inactive" || value === false) return "inactive";
    return outer === "unknown" || value === undefined || undecided ? "unknown" : "active";
  };
  if (directive === "if" || directive === "ifdef" || directive === "ifndef") {
    const outer = groups.at(-1)?.state ?? "active";
    const value = outer === "inactive" ? false : decide();
    groups.push({
      outer,
      state: branchState(outer, value, false),
      branchTaken: value === true,
      undecided: value === undefined,
    });
    return;
  }
  const group = groups.at(-1);
  // A stray #elif, #else or #endif is left to the compiler to report.
  if (group === undefined) return;
  if (directive === "endif") {
    groups.pop();
    return;
  }
  if (group.branchTaken) {
    group.state = "inactive";
    return;
  }
  let value: boolean | undefined;
  if (directive === "else") value = true;
  else if (group.outer === "inactive") value = false;
  else value = decide();
  group.state = branchState(group.outer, value, group.undecided);
  if (value === true && !group.undecided) group.branchTaken = true;
  if (value === undefined) group.undecided = true;
}

/**
 * Merge the macros of configuration headers (later entries win) with --define and --undefine, which win over
 * the headers, into one `define` and one `undefine` list that name each macro once.
 */
export function mergeMacroOptions(
  headerMacros: readonly HeaderMacro[],
  define: readonly string[],
  undefine: readonly string[],
): { define: string[]; undefine: string[] } {
  const merged = new Map<string, string | undefined>();
  // An empty replacement (`#define NAME`) becomes `NAME=`: defined, with no integer value for #if.
  for (const macro of headerMacros) {
    // A macro the header sets only under an undecided condition is left without a fact.
    if (macro.defined === undefined) merged.delete(macro.name);
    else merged.set(macro.name, macro.defined ? `${macro.name}=${macro.value}` : undefined);
  }
  for (const entry of define) {
    const equals = entry.indexOf("=");
    merged.set(equals < 0 ? entry : entry.slice(0, equals), entry);
  }
  for (const name of undefine) merged.set(name, undefined);
  const result = { define: [] as string[], undefine: [] as string[] };
  for (const [name, entry] of merged) {
    if (entry === undefined) result.undefine.push(name);
    else result.define.push(entry);
  }
  return result;
}

/** Parse a C integer constant (decimal, octal, hex, binary, with suffixes and digit separators). */
export function parseIntegerLiteral(text: string): number | undefined {
  const match = /^(0[xX][0-9a-fA-F']+|0[bB][01']+|[0-9][0-9']*)([uUlLzZ]*)$/.exec(text);
  if (!match?.[1]) return undefined;
  const digits = match[1].replace(/'/g, "");
  if (/^0[xX]/.test(digits)) return Number.parseInt(digits.slice(2), 16);
  if (/^0[bB]/.test(digits)) return Number.parseInt(digits.slice(2), 2);
  if (digits.length > 1 && digits.startsWith("0")) return Number.parseInt(digits, 8);
  return Number.parseInt(digits, 10);
}

/** A token of a directive expression. */
export interface ExpressionToken {
  kind: "ident" | "number" | "punct" | "char" | "string";
  text: string;
}

export interface ConditionValue {
  /** `undefined` means unknown. */
  value: boolean | undefined;
  /**
   * The OpenVMS identity macros decide the value: the expression names one of them, and with all of them
   * undefined (as on Unix) its value would differ. A branch that is dead only for this reason is the
   * non-OpenVMS side of a port; `#if defined(__VMS) && 0` is dead everywhere.
   */
  mentionsVms: boolean;
}

type Value = number | undefined;

/**
 * Evaluate a `#if`/`#elif` expression. `lookup` returns the fact for a macro name, or undefined when nothing
 * is known about it. Syntax the evaluator does not understand makes the result unknown, never an error.
 */
export function evaluateCondition(
  tokens: readonly ExpressionToken[],
  lookup: (name: string) => MacroFact | undefined,
): ConditionValue {
  let mentionsVms = false;
  for (const token of tokens) {
    if (token.kind === "ident" && VMS_IDENTITY_MACROS.has(token.text)) {
      mentionsVms = true;
      break;
    }
  }
  const value = conditionValue(tokens, lookup);
  if (!mentionsVms || value === undefined) return { value, mentionsVms };
  const onUnix = conditionValue(tokens, (name) =>
    VMS_IDENTITY_MACROS.has(name) ? UNDEFINED_MACRO : lookup(name),
  );
  return { value, mentionsVms: onUnix !== value };
}

const UNDEFINED_MACRO: MacroFact = { defined: false };

function conditionValue(
  tokens: readonly ExpressionToken[],
  lookup: (name: string) => MacroFact | undefined,
): boolean | undefined {
  const parser = new ConditionParser(tokens, lookup);
  const result = parser.ternary();
  if (parser.failed || parser.position < tokens.length || result === undefined) return undefined;
  return result !== 0;
}

/** Binary operators by precedence level; level 0 binds loosest. */
const BINARY_LEVELS = new Map<string, number>(
  [
    ["||"],
    ["&&"],
    ["|"],
    ["^"],
    ["&"],
    ["==", "!="],
    ["<", ">", "<=", ">="],
    ["<<", ">>"],
    ["+", "-"],
    ["*", "/", "%"],
  ].flatMap((operators, level) => operators.map((operator): [string, number] => [operator, level])),
);

/**
 * A parser over one expression. It is a class, not closures created per call, so that every
 * directive of a scan runs the same functions and V8 optimizes them once.
 */
class ConditionParser {
  readonly tokens: readonly ExpressionToken[];
  readonly lookup: (name: string) => MacroFact | undefined;
  position = 0;
  failed = false;

  constructor(tokens: readonly ExpressionToken[], lookup: (name: string) => MacroFact | undefined) {
    this.tokens = tokens;
    this.lookup = lookup;
  }

  isPunct(text: string): boolean {
    const token = this.tokens[this.position];
    return token !== undefined && token.kind === "punct" && token.text === text;
  }

  fail(): undefined {
    this.failed = true;
    return undefined;
  }

  primary(): Value {
    const token = this.tokens[this.position];
    if (!token) return this.fail();
    this.position++;
    if (token.kind === "number") return parseIntegerLiteral(token.text);
    if (token.kind === "char") return token.text.length === 3 ? token.text.charCodeAt(1) : undefined;
    if (token.kind === "ident") return this.identifier(token.text);
    if (token.kind === "punct") return this.unary(token.text);
    return this.fail();
  }

  identifier(text: string): Value {
    if (text === "defined") return this.defined();
    if (text === "true") return 1;
    if (text === "false") return 0;
    if (this.isPunct("(")) {
      // A function-like macro or __has_include(): skip its arguments; the value is unknown.
      let depth = 0;
      while (this.position < this.tokens.length) {
        if (this.isPunct("(")) depth++;
        else if (this.isPunct(")") && --depth === 0) {
          this.position++;
          break;
        }
        this.position++;
      }
      return undefined;
    }
    const fact = this.lookup(text);
    if (fact === undefined) return undefined;
    // An undefined macro is 0 in #if, as the C standard says for any remaining identifier.
    return fact.defined ? fact.value : 0;
  }

  /** Read the operand of `defined` after the operator. */
  defined(): Value {
    const parenthesized = this.isPunct("(");
    if (parenthesized) this.position++;
    const name = this.tokens[this.position];
    if (name?.kind !== "ident") return this.fail();
    this.position++;
    if (parenthesized) {
      if (!this.isPunct(")")) return this.fail();
      this.position++;
    }
    const fact = this.lookup(name.text);
    if (fact === undefined) return undefined;
    return fact.defined ? 1 : 0;
  }

  /** Read a parenthesized expression or a unary operator's operand after the punctuator `text`. */
  unary(text: string): Value {
    if (text === "(") {
      const value = this.ternary();
      if (!this.isPunct(")")) this.failed = true;
      else this.position++;
      return value;
    }
    if (text === "!") {
      const value = this.primary();
      if (value === undefined) return undefined;
      return value === 0 ? 1 : 0;
    }
    if (text === "-") {
      const value = this.primary();
      return value === undefined ? undefined : -value;
    }
    if (text === "+") return this.primary();
    if (text === "~") {
      const value = this.primary();
      return value === undefined ? undefined : ~value;
    }
    return this.fail();
  }

  /** Read operands joined by binary operators of `minLevel` or tighter, left to right (precedence climbing). */
  binary(minLevel: number): Value {
    let left = this.primary();
    for (;;) {
      const token = this.tokens[this.position];
      if (token?.kind !== "punct") return left;
      const level = BINARY_LEVELS.get(token.text);
      if (level === undefined || level < minLevel) return left;
      this.position++;
      const right = this.binary(level + 1);
      left = applyBinary(token.text, left, right);
    }
  }

  ternary(): Value {
    const condition = this.binary(0);
    if (!this.isPunct("?")) return condition;
    this.position++;
    const whenTrue = this.ternary();
    if (!this.isPunct(":")) return this.fail();
    this.position++;
    const whenFalse = this.ternary();
    if (condition === undefined) return whenTrue === whenFalse ? whenTrue : undefined;
    return condition !== 0 ? whenTrue : whenFalse;
  }
}

function applyBinary(operator: string, left: Value, right: Value): Value {
  // Short-circuit rules make some results known even when one side is unknown.
  if (operator === "&&") {
    if (left === 0 || right === 0) return 0;
    if (left === undefined || right === undefined) return undefined;
    return 1;
  }
  if (operator === "||") {
    if ((left !== undefined && left !== 0) || (right !== undefined && right !== 0)) return 1;
    if (left === undefined || right === undefined) return undefined;
    return 0;
  }
  if (left === undefined || right === undefined) return undefined;
  switch (operator) {
    case "|":
      return left | right;
    case "^":
      return left ^ right;
    case "&":
      return left & right;
    case "==":
      return left === right ? 1 : 0;
    case "!=":
      return left !== right ? 1 : 0;
    case "<":
      return left < right ? 1 : 0;
    case ">":
      return left > right ? 1 : 0;
    case "<=":
      return left <= right ? 1 : 0;
    case ">=":
      return left >= right ? 1 : 0;
    case "<<":
      return left * 2 ** right;
    case ">>":
      return Math.floor(left / 2 ** right);
    case "+":
      return left + right;
    case "-":
      return left - right;
    case "*":
      return left * right;
    case "/":
      return right === 0 ? undefined : Math.trunc(left / right);
    case "%":
      return right === 0 ? undefined : left % right;
    default:
      return undefined;
  }
}
