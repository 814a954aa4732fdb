/**
 * The per-file rule kinds: call, include, identifier, member, type, string and exit status. Each walks the
 * token stream of a lexed file once and yields raw findings; severities, branch states and suppressions are
 * applied afterwards.
 */

import type { Confidence, Severity } from "../model/finding.js";
import type {
  ArgumentPredicate,
  CallMatch,
  ExitStatusValue,
  ScanRule,
  TypePattern,
} from "../rules/scan/model.js";
import { type CompiledRules, type Handler, Interest } from "./compile.js";
import { parseIntegerLiteral } from "./conditions.js";
import { BranchState, type LexedFile, latin1, Punct, punctText, TokenFlag, TokenKind } from "./lexer.js";

export interface RawFinding {
  rule: ScanRule;
  /** Token the finding points at. */
  token: number;
  /** Changes the rule's defaults for this finding. */
  severity?: Severity;
  confidence?: Confidence;
  message?: string;
  placeholders: Record<string, string>;
  /** The C library name a call finding is about, so calls to the project's own functions can be dropped. */
  calledName?: string;
  /** Keep only one finding of this rule per line. */
  onePerLine?: boolean;
}

/** Keywords after which a name is used, not declared. */
const STATEMENT_KEYWORDS = new Set([
  "return",
  "else",
  "do",
  "case",
  "goto",
  "throw",
  "sizeof",
  "co_return",
  "co_await",
  "co_yield",
  "typeof",
  "__typeof__",
  "decltype",
  "not",
  "and",
  "or",
]);

const TYPE_WORDS = new Set([
  "int",
  "long",
  "short",
  "char",
  "void",
  "unsigned",
  "signed",
  "float",
  "double",
  "const",
]);

/** Names that usually hold a pointer: the last word is p, ptr, addr or buf (`next_p`, `bufPtr`, `buf2`). */
const POINTER_NAME = /(?:^|_)(?:p|ptr|pointer|addr|address|buf)[0-9]*$|[a-z0-9](?:Ptr|Addr|Pointer|Buf)$/;

const LP64_CONDITION_MESSAGE =
  "{text} tests for a 64-bit long, which is false on OpenVMS, so the branch for a 32-bit long is compiled; check that it is correct.";

/** Binary and ternary operators. One at the top level of a parenthesised operand makes it arithmetic. */
const ARITHMETIC_OPERATORS = new Set([
  42,
  47,
  37,
  43,
  45,
  38,
  124,
  94,
  60,
  62,
  63,
  Punct.ShiftLeft,
  Punct.ShiftRight,
  Punct.Equal,
  Punct.NotEqual,
  Punct.LessEqual,
  Punct.GreaterEqual,
  Punct.And,
  Punct.Or,
]);

/** Message placeholders of a call finding: the name, and the CRTL fact's `{detail}` and `{macro}` if any. */
function callPlaceholders(spec: CallMatch, name: string): Record<string, string> {
  const extra = spec.placeholders?.[name];
  return extra ? { name, ...extra } : { name };
}

/** Tokens of a file with helpers that respect directive boundaries. */
class Cursor {
  constructor(readonly file: LexedFile) {}

  isDirective(index: number): boolean {
    return ((this.file.flags[index] as number) & TokenFlag.Directive) !== 0;
  }

  /** Return the token before `index` in the same logical stream (a directive line, or code), or -1. */
  previous(index: number): number {
    const { flags } = this.file;
    const flag = flags[index] as number;
    if (flag & TokenFlag.DirectiveStart) return -1;
    let previous = index - 1;
    if (flag & TokenFlag.Directive) return previous;
    while (previous >= 0 && (flags[previous] as number) & TokenFlag.Directive) previous--;
    return previous;
  }

  /** Return the token after `index` in the same stream, or -1. */
  next(index: number): number {
    const { flags, count } = this.file;
    const inDirective = ((flags[index] as number) & TokenFlag.Directive) !== 0;
    let next = index + 1;
    if (next >= count) return -1;
    const flag = flags[next] as number;
    if (inDirective) return flag & TokenFlag.DirectiveStart || (flag & TokenFlag.Directive) === 0 ? -1 : next;
    while (next < count && (flags[next] as number) & TokenFlag.Directive) next++;
    return next < count ? next : -1;
  }

  isPunct(index: number, code: number): boolean {
    return index >= 0 && this.file.kinds[index] === TokenKind.Punct && this.file.values[index] === code;
  }

  text(index: number): string {
    const { file } = this;
    if (file.kinds[index] === TokenKind.Punct) return punctText(file.values[index] as number);
    const text = latin1(file.bytes, file.starts[index] ?? 0, file.ends[index] ?? 0);
    return ((file.flags[index] as number) & TokenFlag.Splice) !== 0
      ? text.replace(/\\[ \t]*(\r\n|\r|\n)/g, "")
      : text;
  }

  /** Argument token lists of the call whose `(` is at `open`, or undefined when it is not closed. */
  arguments(open: number): number[][] | undefined {
    const list: number[][] = [];
    let current: number[] = [];
    let depth = 0;
    let steps = 0;
    for (let index = this.next(open); index >= 0 && steps < 4000; index = this.next(index), steps++) {
      const kind = this.file.kinds[index];
      if (kind === TokenKind.Punct) {
        const code = this.file.values[index];
        if (code === 40 || code === 91 || code === 123) depth++;
        else if (code === 41 || code === 93 || code === 125) {
          if (depth === 0) {
            if (code !== 41) return undefined;
            if (current.length > 0 || list.length > 0) list.push(current);
            return list;
          }
          depth--;
        } else if (code === 44 && depth === 0) {
          list.push(current);
          current = [];
          continue;
        } else if (code === 59 && depth === 0) return undefined;
      }
      current.push(index);
    }
    return undefined;
  }

  /** Argument source text: tokens joined with one space where the source had white space. */
  argumentText(tokens: number[]): string {
    let text = "";
    for (const [position, index] of tokens.entries()) {
      if (position > 0 && (this.file.flags[index] as number) & TokenFlag.SpaceBefore) text += " ";
      text += this.text(index);
    }
    return text;
  }
}

/** Decode the contents of a string literal token (prefix, quotes and common escapes removed). */
export function decodeStringLiteral(text: string): string {
  const raw = /^(?:L|u8|u|U)?R"([^(]*)\(([\s\S]*)\)\1"$/.exec(text);
  if (raw) return raw[2] ?? "";
  const open = text.indexOf('"');
  const body = text.slice(open + 1, text.endsWith('"') && text.length > open + 1 ? -1 : undefined);
  if (!body.includes("\\")) return body;
  return body.replace(
    /\\(?:\r\n|\r|\n)|\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g,
    (sequence, code: string | undefined) => {
      if (code === undefined) return "";
      const simple: Record<string, string> = {
        n: "\n",
        t: "\t",
        r: "\r",
        a: "\x07",
        b: "\b",
        f: "\f",
        v: "\v",
        "0": "\0",
      };
      if (code in simple) return simple[code] as string;
      if (code.startsWith("x")) return String.fromCharCode(Number.parseInt(code.slice(1), 16) & 0xff);
      if (/^[0-7]+$/.test(code)) return String.fromCharCode(Number.parseInt(code, 8) & 0xff);
      return sequence.length === 2 ? code : sequence;
    },
  );
}

/** Find the per-file rule kinds in a lexed file. */
export function matchFile(
  file: LexedFile,
  compiled: CompiledRules,
  mainBodies: [number, number][],
): RawFinding[] {
  return new FileMatcher(file, compiled).run(mainBodies);
}

/**
 * The matchers of one file. They are methods rather than closures created per file, so every file calls
 * the same functions. With new closures per file, V8 deoptimized the optimized matchers on each new call
 * target and recompiled the large `matchFile` loop many times per scan.
 */
class FileMatcher {
  readonly cursor: Cursor;
  readonly findings: RawFinding[] = [];
  readonly declaredObjects = new Map<number, boolean>();
  readonly kinds: Uint8Array;
  readonly values: Int32Array;
  readonly flags: Uint8Array;
  readonly count: number;
  readonly keyword: CompiledRules["keyword"];

  constructor(
    readonly file: LexedFile,
    readonly compiled: CompiledRules,
  ) {
    this.cursor = new Cursor(file);
    this.kinds = file.kinds;
    this.values = file.values;
    this.flags = file.flags;
    this.count = file.count;
    this.keyword = compiled.keyword;
  }

  run(mainBodies: [number, number][]): RawFinding[] {
    const { kinds, values, flags, count, compiled } = this;
    const { handlers, interest } = compiled;
    const hasStringRules = compiled.anyStringRules.length > 0;
    const hasIncludeRules = compiled.includeRules.length > 0;
    const hasTypeRules = compiled.typeRules.length > 0;
    let mainIndex = 0;

    for (let index = 0; index < count; index++) {
      const kind = kinds[index];
      if (kind === TokenKind.Identifier) {
        const id = values[index] as number;
        if (id < 0) continue;
        const bits = interest[id] as number;
        if (bits === 0) continue;
        if (bits & Interest.Handlers) this.matchIdentifier(index, handlers[id] as Handler[]);
        if (bits & Interest.TypeKeyword) this.matchTypeKeyword(index, id);
        if (bits & Interest.Return && mainBodies.length > 0) {
          while (mainIndex < mainBodies.length && (mainBodies[mainIndex]?.[1] ?? 0) < index) mainIndex++;
          const body = mainBodies[mainIndex];
          if (body && body[0] < index && index < body[1]) this.matchReturnInMain(index);
        }
      } else if (kind === TokenKind.String) {
        if (hasStringRules && ((flags[index] as number) & TokenFlag.Include) === 0)
          this.matchAnyString(index);
      } else if (kind === TokenKind.HeaderName) {
        if (hasIncludeRules) this.matchInclude(index);
      } else if (kind === TokenKind.Number) {
        if (hasTypeRules) this.matchNumber(index);
      }
    }
    return this.findings;
  }

  push(finding: RawFinding): void {
    this.findings.push(finding);
  }

  isQualifiedAway(index: number): boolean {
    const previous = this.cursor.previous(index);
    if (this.cursor.isPunct(previous, 46) || this.cursor.isPunct(previous, Punct.Arrow)) return true;
    if (this.cursor.isPunct(previous, Punct.Scope)) {
      const qualifier = this.cursor.previous(previous);
      // `::name` and `std::name` are the C library's; any other qualifier is a user namespace or class.
      if (
        qualifier >= 0 &&
        this.kinds[qualifier] === TokenKind.Identifier &&
        this.values[qualifier] !== this.keyword.std
      )
        return true;
    }
    return this.cursor.isPunct(this.cursor.next(index), Punct.Scope);
  }

  /** Is the name at `index` being declared or defined rather than used? */
  isDeclaration(index: number): boolean {
    const previous = this.cursor.previous(index);
    if (previous < 0) return false;
    if (this.kinds[previous] === TokenKind.Identifier) {
      if ((this.flags[previous] as number) & TokenFlag.DefineName) return false;
      return !STATEMENT_KEYWORDS.has(this.cursor.text(previous));
    }
    if (this.cursor.isPunct(previous, 42) || this.cursor.isPunct(previous, 38)) {
      const before = this.cursor.previous(previous);
      if (this.cursor.isPunct(before, 40) && this.cursor.isPunct(this.cursor.next(index), 41)) return true;
      if (before >= 0 && this.kinds[before] === TokenKind.Identifier) {
        const text = this.cursor.text(before);
        return TYPE_WORDS.has(text) || text.endsWith("_t");
      }
    }
    return false;
  }

  /** Tell a variable or member that shares the name (`int main;`, `char *environ[4];`) from a use. */
  isObjectDeclaration(index: number): boolean {
    const next = this.cursor.next(index);
    const declaresObject = [59, 91, 61, 44, 58].some((code) => this.cursor.isPunct(next, code));
    return declaresObject && this.isDeclaration(index) && !this.isExternDeclaration(index);
  }

  /** `extern char **environ;` declares the C library's object, so it is a use. */
  isExternDeclaration(index: number): boolean {
    let previous = this.cursor.previous(index);
    for (let steps = 0; previous >= 0 && steps < 6; steps++) {
      if (this.kinds[previous] === TokenKind.Identifier && this.cursor.text(previous) === "extern")
        return true;
      if (
        this.cursor.isPunct(previous, 59) ||
        this.cursor.isPunct(previous, 123) ||
        this.cursor.isPunct(previous, 125)
      )
        return false;
      previous = this.cursor.previous(previous);
    }
    return false;
  }

  /**
   * Test whether the this.file declares a variable or parameter with this name (`int kill;`, `f(int kill)`), so
   * that a bare `if (kill)` reads it rather than taking the address of the C library function.
   */
  isDeclaredObject(id: number): boolean {
    let known = this.declaredObjects.get(id);
    if (known !== undefined) return known;
    known = false;
    for (let position = 0; position < this.count && !known; position++) {
      if (this.kinds[position] !== TokenKind.Identifier || this.values[position] !== id) continue;
      const next = this.cursor.next(position);
      const endsDeclarator = [59, 91, 61, 44, 41].some((code) => this.cursor.isPunct(next, code));
      known = endsDeclarator && this.declaresName(position) && !this.isExternDeclaration(position);
    }
    this.declaredObjects.set(id, known);
    return known;
  }

  /**
   * Test whether the name at `index` is an argument of a macro that pastes it into other names instead of
   * using the function. Such macros are X-macro table rows (`XX(UNLINK, unlink)`), macros that open a
   * definition (`TEST_IMPL(kill) {`) and declaring macros (`TEST_DECLARE(kill)`, `ATOM_DECL(remove)`).
   * `CALL(fork)` stays a use.
   */
  isPastedName(index: number): boolean {
    let open = this.cursor.previous(index);
    let depth = 0;
    for (let steps = 0; open >= 0 && steps < 64; steps++, open = this.cursor.previous(open)) {
      if (this.cursor.isPunct(open, 41)) depth++;
      else if (this.cursor.isPunct(open, 40) && depth-- === 0) break;
    }
    if (open < 0 || !this.cursor.isPunct(open, 40)) return false;
    const macro = this.cursor.previous(open);
    if (macro < 0 || this.kinds[macro] !== TokenKind.Identifier) return false;
    const macroName = this.cursor.text(macro);
    if (!/^[A-Z][A-Z0-9_]*$/.test(macroName)) return false;
    if (/(?:^|_)(?:DECL|DECLARE|DEF|DEFINE|IMPL|ENTRY|ATOM|TEST)(?:_|$)/.test(macroName)) return true;
    const close = this.closingParenthesis(open);
    if (close < 0) return false;
    if (this.cursor.isPunct(this.cursor.next(close), 123)) return true;
    const twin = this.cursor.text(index).toUpperCase();
    for (
      let position = this.cursor.next(open);
      position >= 0 && position !== close;
      position = this.cursor.next(position)
    ) {
      if (this.kinds[position] === TokenKind.Identifier && this.cursor.text(position) === twin) return true;
    }
    return false;
  }

  /** `Eterm kill`, `const Eterm *kill`: a type, then perhaps `*` or `&`, then the name. */
  declaresName(index: number): boolean {
    let previous = this.cursor.previous(index);
    while (this.cursor.isPunct(previous, 42) || this.cursor.isPunct(previous, 38))
      previous = this.cursor.previous(previous);
    if (previous < 0 || this.kinds[previous] !== TokenKind.Identifier) return false;
    if ((this.flags[previous] as number) & TokenFlag.DefineName) return false;
    return !STATEMENT_KEYWORDS.has(this.cursor.text(previous));
  }

  /**
   * Test whether the parenthesis at `open` ends a function declarator rather than a call: a call's `)` is
   * never followed by a name or a brace, while `kill() const {` and `int fork(void) __THROW;` are.
   */
  isFunctionDeclarator(open: number): boolean {
    const close = this.closingParenthesis(open);
    if (close < 0) return false;
    const after = this.cursor.next(close);
    return after >= 0 && (this.kinds[after] === TokenKind.Identifier || this.cursor.isPunct(after, 123));
  }

  isReferenceContext(index: number): boolean {
    const previous = this.cursor.previous(index);
    const next = this.cursor.next(index);
    const isStart = previous < 0 || ((this.flags[previous] as number) & TokenFlag.DefineName) !== 0;
    const before =
      isStart ||
      [61, 40, 44, 63, 58, 123].some((code) => this.cursor.isPunct(previous, code)) ||
      (this.kinds[previous] === TokenKind.Identifier && this.cursor.text(previous) === "return");
    const after = next < 0 || [59, 41, 44, 125].some((code) => this.cursor.isPunct(next, code));
    return before && after;
  }

  matchIdentifier(index: number, list: { rule: ScanRule; role: string }[]): void {
    const flag = this.flags[index] as number;
    if (flag & TokenFlag.DefineName) return;
    const previous = this.cursor.previous(index);
    const isMember = this.cursor.isPunct(previous, 46) || this.cursor.isPunct(previous, Punct.Arrow);
    for (const { rule, role } of list) {
      if (role === "member") {
        if (isMember)
          this.push({
            rule,
            token: index,
            placeholders: { name: this.cursor.text(index) },
            onePerLine: rule.match.member?.onePerLine === true,
          });
        continue;
      }
      if (isMember || this.isQualifiedAway(index)) continue;
      if (role === "identifier") {
        const spec = rule.match.identifier;
        const inCondition = (flag & TokenFlag.Condition) !== 0;
        if (inCondition ? spec?.inConditions !== true : spec?.inCode === false) continue;
        if (!inCondition && flag & TokenFlag.Directive && (flag & TokenFlag.DefineBody) === 0) continue;
        if (!inCondition && this.isObjectDeclaration(index)) continue;
        this.push({ rule, token: index, placeholders: { name: this.cursor.text(index) } });
        continue;
      }
      if (flag & TokenFlag.Directive && (flag & TokenFlag.DefineBody) === 0) continue;
      if (role === "call") this.matchCall(index, rule);
      else if (role === "stringCall") this.matchStringCall(index, rule);
      else if (role === "exit") this.matchExitCall(index, rule);
    }
  }

  matchCall(index: number, rule: ScanRule): void {
    const spec = rule.match.call;
    if (!spec || this.isDeclaration(index)) return;
    const name = this.cursor.text(index);
    const open = this.cursor.next(index);
    if (!this.cursor.isPunct(open, 40)) {
      if (spec.references === false || spec.arguments || spec.minArguments) return;
      const isUse =
        this.isReferenceContext(index) &&
        !this.isDeclaredObject(this.values[index] as number) &&
        !this.isPastedName(index);
      if (isUse)
        this.push({ rule, token: index, placeholders: callPlaceholders(spec, name), calledName: name });
      return;
    }
    if (this.isFunctionDeclarator(open)) return;

    if (!spec.arguments && spec.minArguments === undefined && spec.maxArguments === undefined) {
      this.push({ rule, token: index, placeholders: callPlaceholders(spec, name), calledName: name });
      return;
    }
    const args = this.cursor.arguments(open);
    if (!args) return;
    if (spec.minArguments !== undefined && args.length < spec.minArguments) return;
    if (spec.maxArguments !== undefined && args.length > spec.maxArguments) return;
    let confidence: Confidence | undefined;
    for (const predicate of spec.arguments ?? []) {
      const outcome = this.testArgument(args[predicate.position - 1], predicate);
      if (outcome === false) return;
      if (outcome !== true) confidence = outcome;
    }
    this.push({
      rule,
      token: index,
      placeholders: callPlaceholders(spec, name),
      calledName: name,
      ...(confidence ? { confidence } : {}),
    });
  }

  /** true, false, or the lowered confidence of an opaque argument. */
  testArgument(tokens: number[] | undefined, predicate: ArgumentPredicate): boolean | Confidence {
    if (!tokens || tokens.length === 0) return false;
    const identifiers = tokens
      .filter((token) => this.kinds[token] === TokenKind.Identifier)
      .map((token) => this.cursor.text(token));
    if (predicate.mentionsNone?.some((name) => identifiers.includes(name))) return false;
    if (predicate.stringLiteral !== undefined) {
      const isLiteral = tokens.every((token) => this.kinds[token] === TokenKind.String);
      if (isLiteral !== predicate.stringLiteral) return false;
    }
    if (predicate.regex) {
      const regex = this.compiled.regexes.get(predicate.regex);
      if (regex && !regex.test(this.cursor.argumentText(tokens))) return false;
    }
    let valueTest = true;
    if (predicate.equalsAny) {
      const text = this.cursor.argumentText(tokens).replace(/\s+/g, "");
      valueTest = predicate.equalsAny.some((expected) => expected.replace(/\s+/g, "") === text);
    }
    if (valueTest && predicate.mentionsAny)
      valueTest = predicate.mentionsAny.some((name) => identifiers.includes(name));
    if (valueTest) return true;
    if (predicate.otherwiseIfOpaque && this.isOpaque(tokens)) return predicate.otherwiseIfOpaque;
    return false;
  }

  /** Test whether an argument's value is hidden from the scanner because it uses a variable (a lower-case name) or a call. */
  isOpaque(tokens: number[]): boolean {
    return tokens.some((token) => {
      if (this.kinds[token] !== TokenKind.Identifier) return false;
      const text = this.cursor.text(token);
      return /[a-z]/.test(text) && !STATEMENT_KEYWORDS.has(text) && !TYPE_WORDS.has(text);
    });
  }

  matchStringCall(index: number, rule: ScanRule): void {
    const spec = rule.match.string;
    if (!spec?.calls || this.isDeclaration(index)) return;
    const open = this.cursor.next(index);
    if (!this.cursor.isPunct(open, 40)) return;
    const args = this.cursor.arguments(open);
    if (!args) return;
    const regex = this.compiled.regexes.get(spec.regex) as RegExp;
    const positions = spec.calls.position ? [spec.calls.position - 1] : args.map((_, position) => position);
    for (const position of positions) {
      const tokens = args[position];
      if (!tokens || tokens.length === 0) continue;
      const isLiteral = tokens.every((token) => this.kinds[token] === TokenKind.String);
      if (isLiteral) {
        const literal = tokens.map((token) => decodeStringLiteral(this.cursor.text(token))).join("");
        if (regex.test(literal)) {
          this.push({
            rule,
            token: tokens[0] as number,
            placeholders: { name: this.cursor.text(index), literal },
          });
        }
      } else if (spec.nonLiteral && spec.calls.position !== undefined) {
        this.push({
          rule,
          token: index,
          severity: spec.nonLiteral.severity,
          ...(spec.nonLiteral.confidence ? { confidence: spec.nonLiteral.confidence } : {}),
          ...(spec.nonLiteral.message ? { message: spec.nonLiteral.message } : {}),
          placeholders: { name: this.cursor.text(index), literal: this.cursor.argumentText(tokens) },
        });
      }
    }
  }

  matchAnyString(index: number): void {
    if (
      this.compiled.anyStringFirstCharacter !== undefined &&
      !this.mayStartWith(index, this.compiled.anyStringFirstCharacter)
    )
      return;
    let literal: string | undefined;
    for (const { rule, regex } of this.compiled.anyStringRules) {
      literal ??= decodeStringLiteral(this.cursor.text(index));
      if (regex.test(literal)) this.push({ rule, token: index, placeholders: { literal } });
    }
  }

  /**
   * Test whether the decoded string literal at `index` may start with the byte `code`. Only a raw string, a
   * splice or an escape sequence at the start of the body can turn another first byte into `code`.
   */
  mayStartWith(index: number, code: number): boolean {
    const bytes = this.file.bytes;
    const end = this.file.ends[index] as number;
    let quote = this.file.starts[index] as number;
    while (quote < end && bytes[quote] !== 34) quote++;
    if (quote > (this.file.starts[index] as number) && bytes[quote - 1] === 82) return true;
    const first = bytes[quote + 1];
    return first === code || first === 92;
  }

  matchInclude(index: number): void {
    const text = this.cursor.text(index);
    const header = text.slice(1, -1);
    const form = text.startsWith("<") ? "system" : "quoted";
    for (const rule of this.compiled.includeRules) {
      const spec = rule.match.include;
      if (spec) {
        if (spec.form && spec.form !== form) continue;
        if (spec.knownBranchesOnly && this.file.states[index] === BranchState.Unknown) continue;
        const byName = spec.headers?.some((pattern) =>
          pattern.endsWith("*") ? header.startsWith(pattern.slice(0, -1)) : header === pattern,
        );
        const byRegex = spec.regex ? this.compiled.regexes.get(spec.regex)?.test(header) : false;
        if (byName || byRegex)
          this.push({
            rule,
            token: index,
            placeholders: { header, name: header, ...spec.placeholders?.[header] },
          });
      } else if (rule.match.string?.includes) {
        const regex = this.compiled.regexes.get(rule.match.string.regex) as RegExp;
        if (regex.test(header)) this.push({ rule, token: index, placeholders: { header, literal: header } });
      }
    }
  }

  exitValueMatches(value: number, wanted: readonly ExitStatusValue[]): boolean {
    return wanted.some((entry) =>
      entry === "odd"
        ? Math.abs(value) % 2 === 1
        : entry === "even-above-zero"
          ? value !== 0 && value % 2 === 0
          : entry === value,
    );
  }

  /** Return the constant of an expression such as `3`, `(3)` or `-1`, with the token of its number. */
  constantValue(tokens: number[]): { value: number; token: number } | undefined {
    let sign = 1;
    const inner = tokens.filter(
      (token) => !this.cursor.isPunct(token, 40) && !this.cursor.isPunct(token, 41),
    );
    let position = 0;
    if (this.cursor.isPunct(inner[0] ?? -1, 45)) {
      sign = -1;
      position = 1;
    }
    const token = inner[position];
    if (token === undefined || inner.length !== position + 1 || this.kinds[token] !== TokenKind.Number)
      return undefined;
    const value = parseIntegerLiteral(this.cursor.text(token));
    return value === undefined ? undefined : { value: sign * value, token };
  }

  matchExitCall(index: number, rule: ScanRule): void {
    const spec = rule.match.exitStatus;
    if (!spec || this.isDeclaration(index)) return;
    const open = this.cursor.next(index);
    if (!this.cursor.isPunct(open, 40)) return;
    const args = this.cursor.arguments(open);
    if (args?.length !== 1) return;
    const constant = this.constantValue(args[0] as number[]);
    if (constant && this.exitValueMatches(constant.value, spec.values)) {
      this.push({
        rule,
        token: constant.token,
        placeholders: { name: this.cursor.text(index), value: String(constant.value) },
      });
    }
  }

  matchReturnInMain(index: number): void {
    const tokens: number[] = [];
    for (
      let next = this.cursor.next(index);
      next >= 0 && !this.cursor.isPunct(next, 59) && tokens.length < 8;
      next = this.cursor.next(next)
    ) {
      tokens.push(next);
    }
    const constant = this.constantValue(tokens);
    if (!constant) return;
    for (const rule of this.compiled.rules) {
      const spec = rule.match.exitStatus;
      if (!spec || spec.returnFromMain === false) continue;
      if (this.exitValueMatches(constant.value, spec.values)) {
        this.push({
          rule,
          token: constant.token,
          placeholders: { name: "return", value: String(constant.value) },
        });
      }
    }
  }

  pushType(pattern: TypePattern, token: number, text: string): void {
    // An #if on the data model is evaluated as false on OpenVMS, so it picks a branch instead of breaking one.
    const adaptive =
      pattern === "lp64-condition" ? { severity: "info" as const, message: LP64_CONDITION_MESSAGE } : {};
    for (const rule of this.compiled.typeRules) {
      if (rule.match.type?.patterns.includes(pattern)) {
        this.push({
          rule,
          token,
          placeholders: { text, name: this.cursor.text(token) },
          onePerLine: true,
          ...adaptive,
        });
      }
    }
  }

  longSuffix(text: string): boolean {
    return /^[0-9][0-9a-fA-FxX']*?(?:[uU]?[lL]|[lL][uU])$/.test(text) && !/[lL]{2}/.test(text);
  }

  matchNumber(index: number): void {
    // Every suffix longSuffix accepts ends in l, L, u or U, so most numbers are passed over without a string.
    if (((this.flags[index] as number) & TokenFlag.Splice) === 0) {
      const last = this.file.bytes[(this.file.ends[index] as number) - 1];
      if (last !== 108 && last !== 76 && last !== 117 && last !== 85) return;
    }
    const text = this.cursor.text(index);
    if (!this.longSuffix(text)) return;
    const value = parseIntegerLiteral(text);
    if (value !== undefined && value > 0xffffffff) this.pushType("long-constant-64", index, text);
    const shift = this.cursor.next(index);
    if (!this.cursor.isPunct(shift, Punct.ShiftLeft)) return;
    const amount = this.cursor.next(shift);
    if (amount < 0 || this.kinds[amount] !== TokenKind.Number) return;
    const bits = parseIntegerLiteral(this.cursor.text(amount));
    if (bits !== undefined && bits >= 32)
      this.pushType("long-shift-32", index, `${text} << ${this.cursor.text(amount)}`);
  }

  comparedWith(operator: number, operand: number): number | undefined {
    const comparisons = [Punct.Equal, Punct.NotEqual, 60, 62, Punct.LessEqual, Punct.GreaterEqual];
    if (!comparisons.some((code) => this.cursor.isPunct(operator, code))) return undefined;
    if (operand < 0 || this.kinds[operand] !== TokenKind.Number) return undefined;
    return parseIntegerLiteral(this.cursor.text(operand));
  }

  // matchTypeKeyword runs for every type keyword, so the rare sizeof and #if cases are separate methods. V8
  // then compiles a small common path, and a deoptimization in a rare case does not recompile it.
  matchTypeKeyword(index: number, id: number): void {
    if (id === this.keyword.sizeof) this.matchSizeof(index);
    else if ((this.flags[index] as number) & TokenFlag.Condition) this.matchLp64Condition(index, id);
    else if (id === this.keyword.long || id === this.keyword.int || id === this.keyword.unsigned)
      this.matchPointerCast(index);
  }

  /** Match `sizeof(long)` or `sizeof(void *)` compared with 4 or 8. */
  matchSizeof(index: number): void {
    const open = this.cursor.next(index);
    if (!this.cursor.isPunct(open, 40)) return;
    const words: string[] = [];
    let close = this.cursor.next(open);
    while (close >= 0 && !this.cursor.isPunct(close, 41) && words.length < 6) {
      words.push(this.cursor.text(close));
      close = this.cursor.next(close);
    }
    if (close < 0) return;
    const longs = words.filter((word) => word === "long").length;
    const isLong = longs === 1 && words.every((word) => ["long", "unsigned", "signed", "int"].includes(word));
    const isPointer = words.includes("*");
    if (!isLong && !isPointer) return;
    const after = this.cursor.next(close);
    const before = this.cursor.previous(index);
    const valueAfter = this.comparedWith(after, this.cursor.next(after));
    const value = valueAfter ?? this.comparedWith(before, this.cursor.previous(before));
    if (value !== 8 && value !== 4) return;
    // `sizeof(void *) == 8 ? wide : narrow` and `if (sizeof(long) == 4)` adapt to either width.
    const end = valueAfter !== undefined ? this.cursor.next(this.cursor.next(after)) : after;
    if (this.cursor.isPunct(end, 63)) return;
    const start = valueAfter !== undefined ? index : this.cursor.previous(before);
    const testOpen = this.cursor.previous(start);
    const statement = this.cursor.previous(testOpen);
    const isTest = statement >= 0 && ["if", "while"].includes(this.cursor.text(statement));
    if (this.cursor.isPunct(testOpen, 40) && isTest && this.cursor.isPunct(end, 41)) return;
    const text = `sizeof(${words.join(" ")})`;
    this.pushType(isPointer ? "sizeof-pointer-8" : "sizeof-long-8", index, text);
  }

  /** Match an #if test of a macro that shows whether long or pointers have 64 bits. */
  matchLp64Condition(index: number, id: number): void {
    if (id === this.keyword.__LP64__ || id === this.keyword._LP64 || id === this.keyword.__LP64) {
      this.pushType("lp64-condition", index, this.cursor.text(index));
    } else if (id === this.keyword.__SIZEOF_LONG__ || id === this.keyword.__SIZEOF_POINTER__) {
      const operator = this.cursor.next(index);
      if (this.comparedWith(operator, this.cursor.next(operator)) === 8)
        this.pushType("lp64-condition", index, this.cursor.text(index));
    } else if (id === this.keyword.ULONG_MAX || id === this.keyword.LONG_MAX) {
      const operator = this.cursor.next(index);
      const value = this.comparedWith(operator, this.cursor.next(operator));
      if (value === undefined) return;
      const strict = this.cursor.isPunct(operator, 62) || this.cursor.isPunct(operator, Punct.NotEqual);
      if ((strict && value >= 0x7fffffff) || value > 0xffffffff)
        this.pushType("lp64-condition", index, this.cursor.text(index));
    }
  }

  /** Index of the `)` that closes the `(` at `open`, or -1. */
  closingParenthesis(open: number): number {
    let depth = 0;
    for (let index = open, steps = 0; index >= 0 && steps < 400; index = this.cursor.next(index), steps++) {
      if (this.cursor.isPunct(index, 40)) depth++;
      else if (this.cursor.isPunct(index, 41) && --depth === 0) return index;
    }
    return -1;
  }

  /** Does a postfix operator (`[`, `(`, `.`, `->`) follow, so that the value is an element or member? */
  hasPostfix(index: number): boolean {
    const next = this.cursor.next(index);
    return [91, 40, 46, Punct.Arrow].some((code) => this.cursor.isPunct(next, code));
  }

  /**
   * Test whether the operand of a cast that starts at `operand` is an address: `&x`, a pointer-named
   * variable, a cast to a pointer type, or one of these in parentheses. A dereference (`*p`), an element
   * (`p[0]`), a member (`buf.size`), a call or arithmetic (`(a*1000)/b`, `p - q`) yields a number.
   */
  isPointerOperand(operand: number): boolean {
    if (this.cursor.isPunct(operand, 38)) return true;
    if (this.kinds[operand] === TokenKind.Identifier)
      return POINTER_NAME.test(this.cursor.text(operand)) && !this.hasPostfix(operand);
    if (!this.cursor.isPunct(operand, 40)) return false;
    const close = this.closingParenthesis(operand);
    if (close < 0 || this.hasPostfix(close)) return false;
    const inner: number[] = [];
    for (
      let index = this.cursor.next(operand);
      index >= 0 && index !== close;
      index = this.cursor.next(index)
    ) {
      inner.push(index);
    }
    if (this.isPointerTypeName(inner)) return true;
    const first = inner[0];
    if (first === undefined) return false;
    if (this.kinds[first] === TokenKind.Identifier && inner.length === 1) return this.isPointerOperand(first);
    if (!this.cursor.isPunct(first, 40) && !this.cursor.isPunct(first, 38)) return false;
    // `((char *)p)` or `(&x)`: an address unless an operator at the top level makes it arithmetic.
    let depth = 0;
    for (const [position, index] of inner.entries()) {
      if (this.cursor.isPunct(index, 40) || this.cursor.isPunct(index, 91)) depth++;
      else if (this.cursor.isPunct(index, 41) || this.cursor.isPunct(index, 93)) depth--;
      else if (
        depth === 0 &&
        position > 0 &&
        this.kinds[index] === TokenKind.Punct &&
        ARITHMETIC_OPERATORS.has(this.values[index] as number)
      )
        return false;
    }
    return this.isPointerOperand(first);
  }

  /** Tokens such as `char *` or `const struct node **`: a pointer type name in a cast. */
  isPointerTypeName(tokens: number[]): boolean {
    let stars = 0;
    for (const index of tokens) {
      if (this.cursor.isPunct(index, 42)) stars++;
      else if (stars > 0 || this.kinds[index] !== TokenKind.Identifier) return false;
    }
    return stars > 0 && tokens.length > stars;
  }

  /** `(long)ptr`, `(unsigned long)&x`, `(int)(char *)p`: a cast of an address to an integer type. */
  matchPointerCast(index: number): void {
    const open = this.cursor.previous(index);
    if (!this.cursor.isPunct(open, 40)) return;
    // Up to four of long, int, unsigned and signed, compared by symbol id so no strings are made for the
    // many `(int x, …)` parameter lists that are not casts.
    const words: number[] = [];
    let close = index;
    let longs = 0;
    while (close >= 0 && this.kinds[close] === TokenKind.Identifier && words.length < 4) {
      const id = this.values[close] as number;
      if (
        id !== this.keyword.long &&
        id !== this.keyword.int &&
        id !== this.keyword.unsigned &&
        id !== this.keyword.signed
      )
        return;
      if (id === this.keyword.long) longs++;
      words.push(id);
      close = this.cursor.next(close);
    }
    if (!this.cursor.isPunct(close, 41) || longs > 1) return;
    // A cast follows; `(long)` after a name is a call or a declaration.
    const before = this.cursor.previous(open);
    if (
      before >= 0 &&
      this.kinds[before] === TokenKind.Identifier &&
      !STATEMENT_KEYWORDS.has(this.cursor.text(before))
    )
      return;
    const operand = this.cursor.next(close);
    if (operand < 0) return;
    const pointerLike = this.isPointerOperand(operand);
    if (pointerLike) {
      const text = words.map((id) => this.compiled.symbols.names[id]).join(" ");
      this.pushType("pointer-to-long-cast", index, `(${text})`);
    }
  }
}
