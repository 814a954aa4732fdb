/**
 * Turns the rule list into lookup tables for the matchers: which rules care about which identifier, the
 * string and include rules, and the symbol table the lexer hashes against. Compiled once per rule list.
 */

import type { RuleCondition, ScanRule } from "../rules/scan/model.js";
import { buildSymbolTable, type SymbolTable } from "./symbols.js";

/** Role of a rule for an identifier it is registered for. */
export type Role = "call" | "identifier" | "member" | "stringCall" | "exit";

export interface Handler {
  rule: ScanRule;
  role: Role;
}

/** Keywords and names the matchers test by symbol id. */
export const KEYWORDS = [
  "sizeof",
  "long",
  "int",
  "unsigned",
  "signed",
  "short",
  "char",
  "void",
  "return",
  "main",
  "std",
  "__LP64__",
  "_LP64",
  "__LP64",
  "__SIZEOF_LONG__",
  "__SIZEOF_POINTER__",
  "ULONG_MAX",
  "LONG_MAX",
  "typedef",
  "using",
  "template",
  "friend",
  "static",
  "extern",
  "struct",
  "union",
  "enum",
  "class",
  "namespace",
] as const;

export type Keyword = (typeof KEYWORDS)[number];

/** Bits of `CompiledRules.interest`. */
export const Interest = {
  /** The identifier has handlers. */
  Handlers: 1,
  /** A keyword `matchTypeKeyword` acts on: sizeof, long, int, unsigned, or a data-model macro in an #if. */
  TypeKeyword: 2,
  /** `return`, for the exit status of main. */
  Return: 4,
} as const;

/** Keywords and macros that `matchTypeKeyword` acts on. */
const TYPE_KEYWORDS: readonly Keyword[] = [
  "sizeof",
  "long",
  "int",
  "unsigned",
  "__LP64__",
  "_LP64",
  "__LP64",
  "__SIZEOF_LONG__",
  "__SIZEOF_POINTER__",
  "ULONG_MAX",
  "LONG_MAX",
];

export interface CompiledRules {
  rules: readonly ScanRule[];
  symbols: SymbolTable;
  /** Handlers per symbol id. */
  handlers: Handler[][];
  /**
   * Per symbol id, the `Interest` bits of what the matchers do with the identifier. Most identifiers in the
   * symbol table (int, struct, static, …) are there for the top-level reader only, and the matchers skip
   * them after one load.
   */
  interest: Uint8Array;
  keyword: Record<Keyword, number>;
  /** String rules without a call context, tested on every literal. */
  anyStringRules: { rule: ScanRule; regex: RegExp }[];
  /** Regular expressions of string rules and argument predicates, compiled once. */
  regexes: Map<string, RegExp>;
  /**
   * Character code that every regular expression of `anyStringRules` requires as the literal's first
   * character (`^/…` path rules), or undefined when they do not share one. Strings that cannot start with it
   * are not decoded.
   */
  anyStringFirstCharacter: number | undefined;
  includeRules: ScanRule[];
  typeRules: ScanRule[];
  /** Rules of the tree-wide kinds. */
  treeRules: ScanRule[];
  hasExitRules: boolean;
}

const cache = new WeakMap<readonly ScanRule[], CompiledRules>();

/** Compile a rule list; the result is cached per list object. */
export function compileRules(rules: readonly ScanRule[]): CompiledRules {
  const cached = cache.get(rules);
  if (cached) return cached;

  const names: string[] = [...KEYWORDS];
  const register: [string, Handler][] = [];
  const regexes = new Map<string, RegExp>();
  const anyStringRules: { rule: ScanRule; regex: RegExp }[] = [];
  const includeRules: ScanRule[] = [];
  const typeRules: ScanRule[] = [];
  const treeRules: ScanRule[] = [];
  let hasExitRules = false;

  const compileRegex = (source: string) => {
    let regex = regexes.get(source);
    if (!regex) {
      regex = new RegExp(source, "u");
      regexes.set(source, regex);
    }
    return regex;
  };
  const addConditionNames = (condition: RuleCondition) => {
    for (const name of condition.functionMentions ?? []) names.push(name);
  };

  for (const rule of rules) {
    for (const override of rule.severityOverrides ?? []) addConditionNames(override.when);
    const match = rule.match;
    if (match.call) {
      for (const name of match.call.names) register.push([name, { rule, role: "call" }]);
      for (const predicate of match.call.arguments ?? []) {
        if (predicate.regex) compileRegex(predicate.regex);
        for (const name of predicate.mentionsAny ?? []) names.push(name);
        for (const name of predicate.mentionsNone ?? []) names.push(name);
      }
    } else if (match.identifier) {
      for (const name of match.identifier.names) register.push([name, { rule, role: "identifier" }]);
    } else if (match.member) {
      for (const name of match.member.names) register.push([name, { rule, role: "member" }]);
    } else if (match.string) {
      const regex = compileRegex(match.string.regex);
      if (match.string.calls) {
        for (const name of match.string.calls.names) register.push([name, { rule, role: "stringCall" }]);
      } else anyStringRules.push({ rule, regex });
      if (match.string.includes) includeRules.push(rule);
    } else if (match.exitStatus) {
      hasExitRules = true;
      for (const name of match.exitStatus.calls ?? ["exit", "_exit", "_Exit"]) {
        register.push([name, { rule, role: "exit" }]);
      }
    } else if (match.include) {
      if (match.include.regex) compileRegex(match.include.regex);
      includeRules.push(rule);
    } else if (match.type) typeRules.push(rule);
    else if (match.externalNames || match.fileNames) treeRules.push(rule);
  }

  for (const [name] of register) names.push(name);
  const symbols = buildSymbolTable(names);
  const handlers: Handler[][] = symbols.names.map(() => []);
  for (const [name, handler] of register) handlers[symbols.ids.get(name) as number]?.push(handler);
  const keyword = Object.fromEntries(
    KEYWORDS.map((name) => [name, symbols.ids.get(name) as number]),
  ) as Record<Keyword, number>;

  const interest = new Uint8Array(symbols.names.length);
  handlers.forEach((list, id) => {
    if (list.length > 0) interest[id] = (interest[id] as number) | Interest.Handlers;
  });
  if (typeRules.length > 0) {
    for (const name of TYPE_KEYWORDS)
      interest[keyword[name]] = (interest[keyword[name]] as number) | Interest.TypeKeyword;
  }
  if (hasExitRules) interest[keyword.return] = (interest[keyword.return] as number) | Interest.Return;

  const compiled: CompiledRules = {
    rules,
    symbols,
    handlers,
    interest,
    keyword,
    anyStringRules,
    anyStringFirstCharacter: sharedFirstCharacter(anyStringRules.map(({ regex }) => regex.source)),
    regexes,
    includeRules,
    typeRules,
    treeRules,
    hasExitRules,
  };
  cache.set(rules, compiled);
  return compiled;
}

/**
 * Return the character code of `/` when every pattern starts with `^/` (or `^\/`) outside any alternation
 * or quantifier, as the path rules do. Otherwise return undefined.
 */
export function sharedFirstCharacter(sources: readonly string[]): number | undefined {
  if (sources.length === 0) return undefined;
  for (const source of sources) {
    if (!/^\^\\?\/(?![*+?{])/.test(source) || hasTopLevelAlternation(source)) return undefined;
  }
  return 47;
}

/** Test whether a pattern has a `|` outside groups and character classes. */
function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) return true;
  }
  return false;
}
