/**
 * A C/C++ lexer over bytes, linear in the input. It reads comments, string and character literals with every
 * prefix (L, u, U, u8, raw strings R"d(…)d"), digit separators, backslash-newline splices and preprocessor
 * directives. It also tracks conditional compilation for OpenVMS, so every token carries the state of its
 * branch. Unterminated literals end at the end of their line and an unterminated block comment at the end of
 * its first line, so one bad construct never swallows the rest of the file.
 *
 * The byte-level work runs in WebAssembly (assembly/lexer.ts, loaded by ./wasm-lexer.ts). This module reads
 * the events that core records and does what needs macro facts: branch states, #define and #undef, #if
 * expressions and the text of `vmsport-ignore` comments. Directive lines are few, so this part stays in
 * JavaScript.
 */

import {
  type ExpressionToken,
  evaluateCondition,
  type MacroFact,
  parseIntegerLiteral,
  VMS_IDENTITY_MACROS,
} from "./conditions.js";
import type { SymbolTable } from "./symbols.js";
import {
  DIRECTIVE_NAMES,
  EVENT_SLOTS,
  LAST_CONDITION_DIRECTIVE,
  LexEvent,
  runLexerCore,
} from "./wasm-lexer.js";

export enum TokenKind {
  Identifier = 0,
  Number = 1,
  String = 2,
  Char = 3,
  Punct = 4,
  /** The file name of an #include, with its delimiters. */
  HeaderName = 5,
}

/** Token flags. */
export enum TokenFlag {
  Directive = 1,
  /** Part of an #if/#elif/#ifdef/#ifndef expression. */
  Condition = 2,
  /** In the replacement list (or parameter list) of a #define. */
  DefineBody = 4,
  /** The name a #define or #undef defines. */
  DefineName = 8,
  Include = 16,
  /** The token's bytes contain a backslash-newline splice. */
  Splice = 32,
  /** White space or a comment precedes the token. */
  SpaceBefore = 64,
  /** First token after a directive's name. */
  DirectiveStart = 128,
}

/** Branch state of a token for OpenVMS. */
export enum BranchState {
  Active = 0,
  /** Decided by a macro the scanner has no fact about; counts as live. */
  Unknown = 1,
  /** Dead on OpenVMS (`#if 0`, `#ifdef __linux__`). */
  Inactive = 2,
  /** The non-OpenVMS branch of a conditional that tests an OpenVMS macro. */
  Ported = 3,
}

/** Punctuator codes for multi-character operators; single characters use their byte value. */
export enum Punct {
  Arrow = 256,
  Scope = 257,
  ShiftLeft = 258,
  ShiftRight = 259,
  Equal = 260,
  NotEqual = 261,
  LessEqual = 262,
  GreaterEqual = 263,
  And = 264,
  Or = 265,
  Paste = 266,
}

const PUNCT_TEXT: Record<number, string> = {
  256: "->",
  257: "::",
  258: "<<",
  259: ">>",
  260: "==",
  261: "!=",
  262: "<=",
  263: ">=",
  264: "&&",
  265: "||",
  266: "##",
};

/** Text of a punctuator code. */
export function punctText(code: number): string {
  return PUNCT_TEXT[code] ?? String.fromCharCode(code);
}

/** A comment that starts with `vmsport-ignore`; the rest is parsed by the suppression module. */
export interface DirectiveComment {
  /** Comment text without the delimiters, trimmed. */
  text: string;
  offset: number;
  /** Branch state where the comment sits. */
  state: BranchState;
}

/** A #define or #undef seen in a live branch, in token order. */
export interface MacroEvent {
  name: string;
  tokenIndex: number;
  defined: boolean;
}

/**
 * The tokens of one file. `lex` returns typed arrays that are views of the WebAssembly lexer's memory: they are
 * valid only until the next `lex` call in the same thread, and longer than `count` and `lineCount`.
 */
export interface LexedFile {
  bytes: Buffer;
  count: number;
  kinds: Uint8Array;
  flags: Uint8Array;
  states: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  /** Identifier: symbol id from the table or -1. Punctuator: its code. */
  values: Int32Array;
  /** Offsets where physical lines start; line n (1-based) starts at lineStarts[n - 1]. */
  lineStarts: Int32Array;
  lineCount: number;
  comments: DirectiveComment[];
  macroEvents: MacroEvent[];
  /** Indexes of the tokens flagged DefineName, in order, in every branch. */
  defineNames: number[];
  /** Problems the lexer recovered from, with the offset where they start. */
  problems: { offset: number; message: string }[];
}

/**
 * Offset of the first byte `value` at or after `from` in `bytes`, or -1. This is V8's native
 * TypedArray#indexOf. Buffer#indexOf wraps it in JavaScript that accepts strings and buffers too. Optimizing
 * that wrapper took V8 about 40 ms of compile time in a traced scan of Erlang/OTP 25 (Node.js 20).
 */
export function indexOfByte(bytes: Uint8Array, value: number, from: number): number {
  return Uint8Array.prototype.indexOf.call(bytes, value, from);
}

/** Options of one lexer run. */
export interface LexOptions {
  symbols: SymbolTable;
  /** Macro facts at the start of the file; the lexer copies the map before changing it. */
  facts: ReadonlyMap<string, MacroFact>;
}

interface ConditionFrame {
  parent: BranchState;
  /** A branch of this conditional was taken for sure, possibly, or not yet. */
  taken: "yes" | "maybe" | "no";
  /** The taken branch was decided by an OpenVMS macro. */
  takenByVms: boolean;
}

/**
 * Split a file into tokens and evaluate its conditional compilation. The token arrays of the result are valid
 * until the next call in the same thread (see `LexedFile`).
 */
export function lex(bytes: Buffer, options: LexOptions): LexedFile {
  const core = runLexerCore(bytes, options.symbols);
  const file: LexedFile = {
    bytes,
    count: core.count,
    kinds: core.kinds,
    flags: core.flags,
    states: core.states,
    starts: core.starts,
    ends: core.ends,
    values: core.values,
    lineStarts: core.lineStarts,
    lineCount: core.lineCount,
    comments: [],
    macroEvents: [],
    defineNames: [],
    problems: [],
  };
  new BranchReader(file, options).read(core.events, core.eventCount);
  return file;
}

/**
 * The JavaScript half of one lexer run: it reads the core's events in order. It is a class, not closures
 * created per file, so every file calls the same functions and V8 optimizes them once.
 */
class BranchReader {
  readonly file: LexedFile;
  readonly options: LexOptions;
  /** Macro facts, changed by the file's own #define and #undef. The first change copies the caller's map. */
  facts: ReadonlyMap<string, MacroFact>;
  ownsFacts = false;
  readonly conditionStack: ConditionFrame[] = [];
  state: BranchState = BranchState.Active;
  /** Tokens before this index have their state. */
  filled = 0;
  /** Tokens of the directive being evaluated end before this index. */
  directiveEnd = 0;

  constructor(file: LexedFile, options: LexOptions) {
    this.file = file;
    this.options = options;
    this.facts = options.facts;
  }

  writableFacts(): Map<string, MacroFact> {
    if (!this.ownsFacts) {
      this.facts = new Map(this.facts);
      this.ownsFacts = true;
    }
    return this.facts as Map<string, MacroFact>;
  }

  read(events: Int32Array, eventCount: number): void {
    const file = this.file;
    for (let index = 0; index < eventCount; index++) {
      const at = index * EVENT_SLOTS;
      const type = events[at] as LexEvent;
      const a = events[at + 1] as number;
      const b = events[at + 2] as number;
      const c = events[at + 3] as number;
      switch (type) {
        case LexEvent.Directive:
          this.directive(a, b, c, events[at + 4] as number);
          break;
        case LexEvent.UnterminatedQuote:
          // In a dead branch an apostrophe is common prose, so no problem is recorded there.
          if (!isDead(this.state))
            file.problems.push({
              offset: a,
              message: `unterminated ${b === 34 ? "string" : "character"} literal`,
            });
          break;
        case LexEvent.UnterminatedRaw:
          file.problems.push({ offset: a, message: "unterminated raw string literal" });
          break;
        case LexEvent.UnterminatedComment:
          file.problems.push({
            offset: a,
            message: "unterminated comment; scanning resumes on the next line",
          });
          break;
        case LexEvent.Comment:
          this.comment(a, b, c);
          break;
        case LexEvent.SplicedIdentifier:
          file.values[a] = this.options.symbols.ids.get(this.tokenText(a)) ?? -1;
          break;
      }
    }
    file.states.fill(this.state, this.filled, file.count);
    if (this.conditionStack.length > 0) {
      file.problems.push({
        offset: file.bytes.length,
        message: `${this.conditionStack.length} #if without a matching #endif at the end of the file`,
      });
    }
  }

  comment(start: number, end: number, offset: number): void {
    const text = latin1(this.file.bytes, start, end).trim();
    if (!text.startsWith("vmsport-ignore")) return;
    const comment: DirectiveComment = { text, offset, state: this.state };
    this.file.comments.push(comment);
  }

  directive(number: number, first: number, end: number, definedToken: number): void {
    const before = this.state;
    this.directiveEnd = end;
    const name = DIRECTIVE_NAMES[number] as string;
    if (number <= LAST_CONDITION_DIRECTIVE) this.handleCondition(name, first);
    else {
      if (definedToken >= 0) this.file.defineNames.push(definedToken);
      this.handleDefine(name, first);
    }
    // A new state starts after the directive's own tokens. The states are filled only where they change.
    if (this.state !== before) {
      this.file.states.fill(before, this.filled, end);
      this.filled = end;
    }
  }

  /** Text of a token with splices removed. */
  tokenText(index: number): string {
    const file = this.file;
    const text = latin1(file.bytes, file.starts[index] ?? 0, file.ends[index] ?? 0);
    return ((file.flags[index] ?? 0) & TokenFlag.Splice) !== 0
      ? text.replace(/\\[ \t]*(\r\n|\r|\n)/g, "")
      : text;
  }

  handleDefine(name: string, first: number): void {
    const file = this.file;
    const end = this.directiveEnd;
    if (first >= end || file.kinds[first] !== TokenKind.Identifier) return;
    const macro = this.tokenText(first);
    const state = this.state;
    if (isDead(state)) return;
    if (state === BranchState.Unknown) {
      // A definition in an unknown branch may or may not happen, so nothing is known about the macro after it.
      this.writableFacts().delete(macro);
      return;
    }
    const events: MacroEvent[] = file.macroEvents;
    if (name === "undef") {
      this.writableFacts().set(macro, { defined: false });
      events.push({ name: macro, tokenIndex: first, defined: false });
      return;
    }
    let value: number | undefined;
    const bodyStart = first + 1;
    if (end === bodyStart) value = 1;
    else if (end === bodyStart + 1 && file.kinds[bodyStart] === TokenKind.Number) {
      value = parseIntegerLiteral(this.tokenText(bodyStart));
    }
    this.writableFacts().set(macro, { defined: true, value });
    events.push({ name: macro, tokenIndex: first, defined: true });
  }

  expressionTokens(first: number): ExpressionToken[] {
    const file = this.file;
    const list: ExpressionToken[] = [];
    for (let index = first; index < this.directiveEnd; index++) {
      const kind = file.kinds[index];
      const text = kind === TokenKind.Punct ? punctText(file.values[index] ?? 0) : this.tokenText(index);
      list.push({ kind: expressionKindOf(kind as TokenKind), text });
    }
    return list;
  }

  readonly lookup = (name: string): MacroFact | undefined => this.facts.get(name);

  evaluate(name: string, first: number): { value: boolean | undefined; mentionsVms: boolean } {
    if (name === "ifdef" || name === "ifndef" || name === "elifdef" || name === "elifndef") {
      const macroToken =
        first < this.directiveEnd && this.file.kinds[first] === TokenKind.Identifier
          ? this.tokenText(first)
          : undefined;
      if (macroToken === undefined) return { value: undefined, mentionsVms: false };
      const fact = this.facts.get(macroToken);
      const negate = name.endsWith("ndef");
      const mentionsVms = VMS_IDENTITY_MACROS.has(macroToken);
      if (fact === undefined) return { value: undefined, mentionsVms };
      return { value: negate ? !fact.defined : fact.defined, mentionsVms };
    }
    return evaluateCondition(this.expressionTokens(first), this.lookup);
  }

  handleCondition(name: string, first: number): void {
    if (name === "if" || name === "ifdef" || name === "ifndef") {
      const frame: ConditionFrame = { parent: this.state, taken: "no", takenByVms: false };
      this.conditionStack.push(frame);
      if (isDead(this.state)) return;
      const result = this.evaluate(name, first);
      if (result.value === true) {
        frame.taken = "yes";
        frame.takenByVms = result.mentionsVms;
      } else if (result.value === false) this.state = deadState(result.mentionsVms);
      else {
        frame.taken = "maybe";
        this.state = BranchState.Unknown;
      }
      return;
    }
    const frame = this.conditionStack[this.conditionStack.length - 1];
    if (!frame) {
      this.file.problems.push({
        offset: this.file.starts[first - 1] ?? 0,
        message: `#${name} without a matching #if`,
      });
      return;
    }
    if (name === "endif") {
      this.conditionStack.pop();
      this.state = frame.parent;
      return;
    }
    if (isDead(frame.parent)) return;
    if (frame.taken === "yes") {
      this.state = deadState(frame.takenByVms);
      return;
    }
    if (name === "else") {
      this.state = frame.taken === "maybe" ? BranchState.Unknown : frame.parent;
      frame.taken = "yes";
      return;
    }
    // #elif, #elifdef, #elifndef
    const result = this.evaluate(name.replace(/^el/, ""), first);
    if (result.value === true) {
      this.state = frame.taken === "maybe" ? BranchState.Unknown : frame.parent;
      if (frame.taken === "no") {
        frame.taken = "yes";
        frame.takenByVms = result.mentionsVms;
      }
    } else if (result.value === false) this.state = deadState(result.mentionsVms);
    else {
      frame.taken = "maybe";
      this.state = BranchState.Unknown;
    }
  }
}

function expressionKindOf(kind: TokenKind): ExpressionToken["kind"] {
  if (kind === TokenKind.Identifier) return "ident";
  if (kind === TokenKind.Number) return "number";
  if (kind === TokenKind.Char) return "char";
  if (kind === TokenKind.Punct) return "punct";
  return "string";
}

function deadState(byVms: boolean): BranchState {
  return byVms ? BranchState.Ported : BranchState.Inactive;
}

function isDead(value: BranchState): boolean {
  return value === BranchState.Inactive || value === BranchState.Ported;
}

/**
 * Maximum length of a range that `latin1` builds one character at a time. Up to this length V8 copies short
 * concatenations into a flat string. For identifier-sized ranges the loop took about half the time of
 * Buffer#toString in a micro-benchmark on Node.js 20, whose call into C++ dominates for such short texts.
 * Longer results would become rope strings.
 */
const SHORT_LATIN1 = 12;

/** Bytes as a string with one character per byte (ISO-8859-1). */
export function latin1(bytes: Buffer, start: number, end: number): string {
  if (end - start > SHORT_LATIN1) return bytes.toString("latin1", start, end);
  let text = "";
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}
