/**
 * Evaluation of `#if` expressions for OpenVMS with three outcomes: true, false, or unknown when a macro the
 * scanner has no fact about decides the value. Unknown branches count as live.
 */

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
  /** The expression names one of the OpenVMS identity macros. */
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
  const mentionsVms = tokens.some((token) => token.kind === "ident" && VMS_IDENTITY_MACROS.has(token.text));
  let position = 0;
  let failed = false;

  const peek = (): ExpressionToken | undefined => tokens[position];
  const isPunct = (text: string): boolean => {
    const token = tokens[position];
    return token !== undefined && token.kind === "punct" && token.text === text;
  };

  const primary = (): Value => {
    const token = tokens[position];
    if (!token) {
      failed = true;
      return undefined;
    }
    position++;
    if (token.kind === "number") return parseIntegerLiteral(token.text);
    if (token.kind === "char") return token.text.length === 3 ? token.text.charCodeAt(1) : undefined;
    if (token.kind === "ident") {
      if (token.text === "defined") {
        const parenthesized = isPunct("(");
        if (parenthesized) position++;
        const name = tokens[position];
        if (name?.kind !== "ident") {
          failed = true;
          return undefined;
        }
        position++;
        if (parenthesized) {
          if (!isPunct(")")) {
            failed = true;
            return undefined;
          }
          position++;
        }
        const fact = lookup(name.text);
        return fact === undefined ? undefined : fact.defined ? 1 : 0;
      }
      if (token.text === "true") return 1;
      if (token.text === "false") return 0;
      if (isPunct("(")) {
        // A function-like macro or __has_include(): skip its arguments; the value is unknown.
        let depth = 0;
        while (position < tokens.length) {
          if (isPunct("(")) depth++;
          else if (isPunct(")") && --depth === 0) {
            position++;
            break;
          }
          position++;
        }
        return undefined;
      }
      const fact = lookup(token.text);
      if (fact === undefined) return undefined;
      // An undefined macro is 0 in #if, as the C standard says for any remaining identifier.
      return fact.defined ? fact.value : 0;
    }
    if (token.kind === "punct") {
      if (token.text === "(") {
        const value = ternary();
        if (!isPunct(")")) failed = true;
        else position++;
        return value;
      }
      const operand = () => primary();
      if (token.text === "!") {
        const value = operand();
        return value === undefined ? undefined : value === 0 ? 1 : 0;
      }
      if (token.text === "-") {
        const value = operand();
        return value === undefined ? undefined : -value;
      }
      if (token.text === "+") return operand();
      if (token.text === "~") {
        const value = operand();
        return value === undefined ? undefined : ~value;
      }
    }
    failed = true;
    return undefined;
  };

  const binaryLevels: readonly (readonly string[])[] = [
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
  ];

  const binary = (level: number): Value => {
    if (level >= binaryLevels.length) return primary();
    const operators = binaryLevels[level] ?? [];
    let left = binary(level + 1);
    for (;;) {
      const token = peek();
      if (token?.kind !== "punct" || !operators.includes(token.text)) return left;
      position++;
      const right = binary(level + 1);
      left = applyBinary(token.text, left, right);
    }
  };

  const ternary = (): Value => {
    const condition = binary(0);
    if (!isPunct("?")) return condition;
    position++;
    const whenTrue = ternary();
    if (!isPunct(":")) {
      failed = true;
      return undefined;
    }
    position++;
    const whenFalse = ternary();
    if (condition === undefined) return whenTrue === whenFalse ? whenTrue : undefined;
    return condition !== 0 ? whenTrue : whenFalse;
  };

  const result = ternary();
  if (failed || position < tokens.length || result === undefined) return { value: undefined, mentionsVms };
  return { value: result !== 0, mentionsVms };
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
