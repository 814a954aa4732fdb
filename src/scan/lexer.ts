/**
 * A C/C++ lexer over bytes, linear in the input. It reads comments, string and character literals with every
 * prefix (L, u, U, u8, raw strings R"d(…)d"), digit separators, backslash-newline splices and preprocessor
 * directives. It also tracks conditional compilation for OpenVMS as it goes, so every token carries the state
 * of its branch. Unterminated literals end at the end of their line and an unterminated block comment at the
 * end of its first line, so one bad construct never swallows the rest of the file.
 */

import {
  type ExpressionToken,
  evaluateCondition,
  type MacroFact,
  parseIntegerLiteral,
} from "./conditions.js";
import { lookupSymbol, type SymbolTable } from "./symbols.js";

interface SharedArrays {
  capacity: number;
  kinds: Uint8Array;
  flags: Uint8Array;
  states: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  values: Int32Array;
  lineStarts: Int32Array;
}

const shared: SharedArrays = {
  capacity: 0,
  kinds: new Uint8Array(0),
  flags: new Uint8Array(0),
  states: new Uint8Array(0),
  starts: new Int32Array(0),
  ends: new Int32Array(0),
  values: new Int32Array(0),
  lineStarts: new Int32Array(64),
};

function allocateShared(capacity: number): void {
  shared.capacity = capacity;
  shared.kinds = new Uint8Array(capacity);
  shared.flags = new Uint8Array(capacity);
  shared.states = new Uint8Array(capacity);
  shared.starts = new Int32Array(capacity);
  shared.ends = new Int32Array(capacity);
  shared.values = new Int32Array(capacity);
}

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

const CHAR_CLASS = new Uint8Array(256);
const IDENT_START = 1;
const IDENT_PART = 2;
const DIGIT = 4;
for (let c = 0; c < 256; c++) {
  const isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128;
  const isDigit = c >= 48 && c <= 57;
  CHAR_CLASS[c] = (isLetter ? IDENT_START | IDENT_PART : 0) | (isDigit ? DIGIT | IDENT_PART : 0);
}

const HASH_MULTIPLIER = 31;

/**
 * Offset of the first byte `value` at or after `from` in `bytes`, or -1. This is V8's native
 * TypedArray#indexOf. Buffer#indexOf wraps it in JavaScript that accepts strings and buffers too. Optimizing
 * that wrapper took V8 about 40 ms of compile time in a traced scan of Erlang/OTP 25 (Node.js 20).
 */
export function indexOfByte(bytes: Uint8Array, value: number, from: number): number {
  return Uint8Array.prototype.indexOf.call(bytes, value, from);
}

/** Offset of the first `*` followed by `/` at or after `from`, or -1. */
function indexOfCommentEnd(bytes: Uint8Array, from: number): number {
  let star = indexOfByte(bytes, 42, from);
  while (star >= 0 && bytes[star + 1] !== 47) star = indexOfByte(bytes, 42, star + 1);
  return star;
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

type DirectiveKind = "none" | "condition" | "define" | "include" | "other";

const CONDITION_DIRECTIVES = new Set([
  "if",
  "ifdef",
  "ifndef",
  "elif",
  "elifdef",
  "elifndef",
  "else",
  "endif",
]);

/** Split a file into tokens and evaluate its conditional compilation. */
export function lex(bytes: Buffer, options: LexOptions): LexedFile {
  return new Lexer(bytes, options).run();
}

/**
 * The state of one lexer run. The helpers are methods, not closures created per call, so every file calls
 * the same functions. With new closures per file, V8 deoptimized the optimized lexer on each new call
 * target ("wrong call target") and recompiled it several times per scan.
 */
class Lexer {
  readonly bytes: Buffer;
  readonly length: number;
  readonly symbols: SymbolTable;
  /** Macro facts, changed by the file's own #define and #undef. */
  readonly facts: Map<string, MacroFact>;
  readonly hasCarriageReturn: boolean;

  capacity: number;
  kinds: Uint8Array;
  flags: Uint8Array;
  states: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  values: Int32Array;
  lineStarts: Int32Array;
  count = 0;
  lineCount = 1;

  readonly comments: DirectiveComment[] = [];
  readonly macroEvents: MacroEvent[] = [];
  readonly defineNames: number[] = [];
  readonly problems: { offset: number; message: string }[] = [];

  readonly conditionStack: ConditionFrame[] = [];
  state: BranchState = BranchState.Active;

  // The directive in progress, its name and first token.
  directive: DirectiveKind = "none";
  directiveName = "";
  directiveFirstToken = 0;
  defineNamePending = false;
  atLineStart = true;
  spaceBefore = false;

  constructor(bytes: Buffer, options: LexOptions) {
    this.bytes = bytes;
    this.length = bytes.length;
    this.symbols = options.symbols;
    this.facts = new Map(options.facts);
    this.hasCarriageReturn = indexOfByte(bytes, 13, 0) >= 0;
    // The token arrays are reused from file to file to spare the garbage collector. So a LexedFile is valid
    // only until the next call of lex() in the same thread.
    if (shared.capacity < (this.length >> 2) + 64) allocateShared((this.length >> 2) + 64);
    this.capacity = shared.capacity;
    this.kinds = shared.kinds;
    this.flags = shared.flags;
    this.states = shared.states;
    this.starts = shared.starts;
    this.ends = shared.ends;
    this.values = shared.values;
    this.lineStarts = shared.lineStarts;
    this.lineStarts[0] = 0;
  }

  run(): LexedFile {
    const bytes = this.bytes;
    const length = this.length;
    let i = 0;
    while (i < length) {
      const c = bytes[i] as number;

      // Line ends: CR, LF and CRLF each end one line.
      if (c === 10 || c === 13) {
        i += c === 13 && bytes[i + 1] === 10 ? 2 : 1;
        this.newLine(i);
        this.endDirective();
        this.atLineStart = true;
        this.spaceBefore = true;
        continue;
      }
      if (c === 32 || c === 9 || c === 11 || c === 12) {
        i++;
        while (i < length && (bytes[i] === 32 || bytes[i] === 9)) i++;
        this.spaceBefore = true;
        continue;
      }

      if ((CHAR_CLASS[c] as number) & IDENT_START) {
        i = this.lexIdentifier(i);
        continue;
      }

      if (
        (CHAR_CLASS[c] as number) & DIGIT ||
        (c === 46 && (CHAR_CLASS[bytes[i + 1] ?? 0] as number) & DIGIT)
      ) {
        i = this.lexNumber(i);
        continue;
      }

      if (c === 34 || c === 39) {
        const end = this.lexQuoted(i, c);
        this.push(c === 34 ? TokenKind.String : TokenKind.Char, i, end, -1, 0);
        i = end;
        continue;
      }

      if (c === 47) {
        const d = bytes[i + 1];
        if (d === 47) {
          i = this.lexLineComment(i);
          this.spaceBefore = true;
          continue;
        }
        if (d === 42) {
          i = this.lexBlockComment(i);
          this.spaceBefore = true;
          continue;
        }
      }

      if (c === 92) {
        const after = this.spliceEnd(i);
        if (after >= 0) {
          this.newLine(after);
          i = after;
          this.spaceBefore = true;
          continue;
        }
      }

      if (c === 35 && this.atLineStart && this.directive === "none") {
        i = this.lexDirectiveName(i);
        continue;
      }

      // Punctuators.
      const d = bytes[i + 1];
      let code = c;
      if (c === 45 && d === 62) code = Punct.Arrow;
      else if (c === 58 && d === 58) code = Punct.Scope;
      else if (c === 60 && d === 60) code = Punct.ShiftLeft;
      else if (c === 62 && d === 62) code = Punct.ShiftRight;
      else if (c === 61 && d === 61) code = Punct.Equal;
      else if (c === 33 && d === 61) code = Punct.NotEqual;
      else if (c === 60 && d === 61) code = Punct.LessEqual;
      else if (c === 62 && d === 61) code = Punct.GreaterEqual;
      else if (c === 38 && d === 38) code = Punct.And;
      else if (c === 124 && d === 124) code = Punct.Or;
      else if (c === 35 && d === 35) code = Punct.Paste;
      const width = code !== c ? 2 : 1;
      this.push(TokenKind.Punct, i, i + width, code, 0);
      i += width;
    }
    this.endDirective();
    if (this.conditionStack.length > 0) {
      this.problems.push({
        offset: length,
        message: `${this.conditionStack.length} #if without a matching #endif at the end of the file`,
      });
    }

    return {
      bytes,
      count: this.count,
      kinds: this.kinds,
      flags: this.flags,
      states: this.states,
      starts: this.starts,
      ends: this.ends,
      values: this.values,
      lineStarts: this.lineStarts,
      lineCount: this.lineCount,
      comments: this.comments,
      macroEvents: this.macroEvents,
      defineNames: this.defineNames,
      problems: this.problems,
    };
  }

  /** Read an identifier, or a literal with a prefix (L"", u8"", R"()"), at `start`; returns its end. */
  lexIdentifier(start: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let i = start;
    let hash = 0;
    let spliced = false;
    for (;;) {
      if (i >= length) break;
      const d = bytes[i] as number;
      if ((CHAR_CLASS[d] as number) & IDENT_PART) {
        hash = (Math.imul(hash, HASH_MULTIPLIER) + d) | 0;
        i++;
      } else if (d === 92) {
        const after = this.spliceEnd(i);
        if (after < 0) break;
        this.newLine(after);
        spliced = true;
        i = after;
      } else break;
    }
    const next = bytes[i];
    if ((next === 34 || next === 39) && i - start <= 3 && !spliced) {
      const end = this.lexPrefixedLiteral(start, i, next);
      if (end >= 0) return end;
    }
    const id = spliced
      ? (this.symbols.ids.get(latin1(bytes, start, i).replace(/\\[ \t]*(\r\n|\r|\n)/g, "")) ?? -1)
      : lookupSymbol(this.symbols, bytes, start, i, hash);
    this.push(TokenKind.Identifier, start, i, id, spliced ? TokenFlag.Splice : 0);
    return i;
  }

  /** Read a literal whose prefix is `bytes[start, quote)` and return its end, or -1 for an identifier. */
  lexPrefixedLiteral(start: number, quote: number, next: number): number {
    const prefix = latin1(this.bytes, start, quote);
    if (next === 34 && /^(?:L|u8|u|U)?R$/.test(prefix)) {
      const end = this.lexRawString(quote);
      if (end > 0) {
        this.push(TokenKind.String, start, end, -1, 0);
        return end;
      }
    }
    if (/^(?:L|u8|u|U)$/.test(prefix)) {
      const end = this.lexQuoted(quote, next);
      this.push(next === 34 ? TokenKind.String : TokenKind.Char, start, end, -1, 0);
      return end;
    }
    return -1;
  }

  lexNumber(start: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let i = start + 1;
    for (;;) {
      if (i >= length) break;
      const d = bytes[i] as number;
      if ((CHAR_CLASS[d] as number) & IDENT_PART || d === 46) {
        // Exponent signs belong to the number: 1e+5, 0x1p-3.
        if ((d === 101 || d === 69 || d === 112 || d === 80) && (bytes[i + 1] === 43 || bytes[i + 1] === 45))
          i++;
        i++;
      } else if (d === 39 && (CHAR_CLASS[bytes[i + 1] ?? 0] as number) & IDENT_PART) {
        // A digit separator (C++14, C23), accepted in every file type.
        i++;
      } else break;
    }
    this.push(TokenKind.Number, start, i, -1, 0);
    return i;
  }

  /** Start a directive at the `#` at `hash`: `#` first on a logical line. Returns the offset after its name. */
  lexDirectiveName(hash: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let i = hash + 1;
    while (i < length && (bytes[i] === 32 || bytes[i] === 9)) i++;
    const nameStart = i;
    while (i < length && (CHAR_CLASS[bytes[i] as number] as number) & IDENT_PART) i++;
    this.directiveName = latin1(bytes, nameStart, i);
    this.startDirective();
    return this.afterDirectiveName(i);
  }

  grow(): void {
    const capacity = this.capacity * 2;
    const grown = <T extends Uint8Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.capacity = capacity;
    this.kinds = grown(this.kinds, (n) => new Uint8Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
    this.states = grown(this.states, (n) => new Uint8Array(n));
    this.starts = grown(this.starts, (n) => new Int32Array(n));
    this.ends = grown(this.ends, (n) => new Int32Array(n));
    this.values = grown(this.values, (n) => new Int32Array(n));
    Object.assign(shared, {
      capacity,
      kinds: this.kinds,
      flags: this.flags,
      states: this.states,
      starts: this.starts,
      ends: this.ends,
      values: this.values,
    });
  }

  // newLine and push run for every line and token, so their rare cases are separate methods. newLine then stays
  // under SCAN_INLINING_LIMIT, and V8 inlines it into the lexing loops.
  // NOTE: push is still over the limit (175 bytes of bytecode on Node.js 20), so V8 calls it.

  newLine(offset: number): void {
    if (this.lineCount === this.lineStarts.length) this.growLines();
    this.lineStarts[this.lineCount++] = offset;
  }

  growLines(): void {
    const next = new Int32Array(this.lineStarts.length * 2);
    next.set(this.lineStarts);
    this.lineStarts = next;
    shared.lineStarts = next;
  }

  push(kind: TokenKind, start: number, end: number, value: number, extraFlags: number): void {
    const count = this.count;
    if (count === this.capacity) this.grow();
    this.kinds[count] = kind;
    this.starts[count] = start;
    this.ends[count] = end;
    this.values[count] = value;
    this.states[count] = this.state;
    const flag = extraFlags | (this.spaceBefore ? TokenFlag.SpaceBefore : 0);
    this.flags[count] = this.directive === "none" ? flag : this.directiveFlags(flag, kind, count);
    this.count = count + 1;
    this.spaceBefore = false;
    this.atLineStart = false;
  }

  /** Add the flags of a token inside a directive to `flag`. */
  directiveFlags(flag: number, kind: TokenKind, count: number): number {
    const directive = this.directive;
    let result = flag | TokenFlag.Directive;
    if (count === this.directiveFirstToken) result |= TokenFlag.DirectiveStart;
    if (directive === "condition") result |= TokenFlag.Condition;
    else if (directive === "define") {
      if (this.defineNamePending && kind === TokenKind.Identifier) {
        result |= TokenFlag.DefineName;
        this.defineNamePending = false;
        this.defineNames.push(count);
      } else result |= TokenFlag.DefineBody;
    } else if (directive === "include") result |= TokenFlag.Include;
    return result;
  }

  /** Text of a token with splices removed. */
  tokenText(index: number): string {
    const text = latin1(this.bytes, this.starts[index] ?? 0, this.ends[index] ?? 0);
    return ((this.flags[index] ?? 0) & TokenFlag.Splice) !== 0
      ? text.replace(/\\[ \t]*(\r\n|\r|\n)/g, "")
      : text;
  }

  /** Is there a splice (backslash, optional blanks, newline) at `i`? Returns the offset after it, or -1. */
  spliceEnd(i: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let j = i + 1;
    while (j < length && (bytes[j] === 32 || bytes[j] === 9)) j++;
    if (j >= length) return -1;
    if (bytes[j] === 10) return j + 1;
    if (bytes[j] === 13) return bytes[j + 1] === 10 ? j + 2 : j + 1;
    return -1;
  }

  endDirective(): void {
    if (this.directive === "none") return;
    const kind = this.directive;
    const name = this.directiveName;
    this.directive = "none";
    if (kind === "condition") this.handleCondition(name, this.directiveFirstToken);
    else if (kind === "define" || name === "undef") this.handleDefine(name, this.directiveFirstToken);
  }

  handleDefine(name: string, first: number): void {
    if (first >= this.count || this.kinds[first] !== TokenKind.Identifier) return;
    const macro = this.tokenText(first);
    const state = this.state;
    if (state === BranchState.Inactive || state === BranchState.Ported) return;
    if (state === BranchState.Unknown) {
      // A definition in an unknown branch may or may not happen, so nothing is known about the macro after it.
      this.facts.delete(macro);
      return;
    }
    if (name === "undef") {
      this.facts.set(macro, { defined: false });
      this.macroEvents.push({ name: macro, tokenIndex: first, defined: false });
      return;
    }
    let value: number | undefined;
    const bodyStart = first + 1;
    if (this.count === bodyStart) value = 1;
    else if (this.count === bodyStart + 1 && this.kinds[bodyStart] === TokenKind.Number) {
      value = parseIntegerLiteral(this.tokenText(bodyStart));
    }
    this.facts.set(macro, { defined: true, value });
    this.macroEvents.push({ name: macro, tokenIndex: first, defined: true });
  }

  expressionTokens(first: number): ExpressionToken[] {
    const list: ExpressionToken[] = [];
    for (let index = first; index < this.count; index++) {
      const kind = this.kinds[index];
      const text = kind === TokenKind.Punct ? punctText(this.values[index] ?? 0) : this.tokenText(index);
      list.push({
        kind:
          kind === TokenKind.Identifier
            ? "ident"
            : kind === TokenKind.Number
              ? "number"
              : kind === TokenKind.Char
                ? "char"
                : kind === TokenKind.Punct
                  ? "punct"
                  : "string",
        text,
      });
    }
    return list;
  }

  readonly lookup = (name: string): MacroFact | undefined => this.facts.get(name);

  evaluate(name: string, first: number): { value: boolean | undefined; mentionsVms: boolean } {
    if (name === "ifdef" || name === "ifndef" || name === "elifdef" || name === "elifndef") {
      const macroToken =
        first < this.count && this.kinds[first] === TokenKind.Identifier ? this.tokenText(first) : undefined;
      if (macroToken === undefined) return { value: undefined, mentionsVms: false };
      const fact = this.facts.get(macroToken);
      const negate = name.endsWith("ndef");
      const mentionsVms = evaluateCondition([{ kind: "ident", text: macroToken }], this.lookup).mentionsVms;
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
      this.problems.push({ offset: this.starts[first - 1] ?? 0, message: `#${name} without a matching #if` });
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

  startDirective(): void {
    const name = this.directiveName;
    this.directiveFirstToken = this.count;
    this.spaceBefore = false;
    if (CONDITION_DIRECTIVES.has(name)) {
      this.directive = "condition";
    } else if (name === "define" || name === "undef") {
      this.directive = "define";
      this.defineNamePending = true;
    } else if (name === "include" || name === "include_next" || name === "import") this.directive = "include";
    else this.directive = "other";
    this.atLineStart = false;
  }

  afterDirectiveName(position: number): number {
    if (this.directive !== "include") return position;
    const bytes = this.bytes;
    const length = this.length;
    let j = position;
    while (j < length && (bytes[j] === 32 || bytes[j] === 9)) j++;
    const open = bytes[j];
    if (open !== 60 && open !== 34) return position;
    const close = open === 60 ? 62 : 34;
    let k = j + 1;
    while (k < length && bytes[k] !== close && bytes[k] !== 10 && bytes[k] !== 13) k++;
    if (bytes[k] !== close) return position;
    this.spaceBefore = true;
    this.push(TokenKind.HeaderName, j, k + 1, -1, 0);
    return k + 1;
  }

  /** End offset of a quoted literal starting at `start` (the quote). Stops at an unescaped line end. */
  lexQuoted(start: number, quote: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let j = start + 1;
    while (j < length) {
      const b = bytes[j] as number;
      if (b === quote) return j + 1;
      if (b === 92) {
        const after = this.spliceEnd(j);
        if (after >= 0) {
          this.newLine(after);
          j = after;
          continue;
        }
        j += 2;
        continue;
      }
      if (b === 10 || b === 13) break;
      j++;
    }
    // In a dead branch or an #error line an apostrophe is common prose, so no problem is recorded there.
    if (
      this.state !== BranchState.Inactive &&
      this.state !== BranchState.Ported &&
      this.directive !== "other"
    ) {
      this.problems.push({
        offset: start,
        message: `unterminated ${quote === 34 ? "string" : "character"} literal`,
      });
    }
    return Math.min(j, length);
  }

  /** End offset of a raw string whose opening quote is at `quote`, or -1 when the delimiter is malformed. */
  lexRawString(quote: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let j = quote + 1;
    while (j < length && j - quote <= 17) {
      const b = bytes[j] as number;
      if (b === 40) break;
      if (b === 41 || b === 92 || b === 32 || b === 9 || b === 10 || b === 13 || b === 34) return -1;
      j++;
    }
    if (bytes[j] !== 40) return -1;
    const delimiter = bytes.subarray(quote + 1, j);
    const lineOffsets: number[] = [];
    let k = j + 1;
    while (k < length) {
      const b = bytes[k] as number;
      if (b === 10 || b === 13) {
        k += b === 13 && bytes[k + 1] === 10 ? 2 : 1;
        lineOffsets.push(k);
        continue;
      }
      if (b === 41 && bytes[k + 1 + delimiter.length] === 34) {
        let same = true;
        for (let m = 0; m < delimiter.length; m++) {
          if (bytes[k + 1 + m] !== delimiter[m]) {
            same = false;
            break;
          }
        }
        if (same) {
          for (const offset of lineOffsets) this.newLine(offset);
          return k + delimiter.length + 2;
        }
      }
      k++;
    }
    this.problems.push({ offset: quote, message: "unterminated raw string literal" });
    return -1;
  }

  lexLineComment(start: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let j = start + 2;
    if (!this.hasCarriageReturn) {
      // Fast path: find the line end natively and continue past it only after a splice.
      for (;;) {
        let end = indexOfByte(bytes, 10, j);
        if (end < 0) end = length;
        let last = end - 1;
        while (last > j && (bytes[last] === 32 || bytes[last] === 9)) last--;
        if (end < length && last >= j && bytes[last] === 92) {
          this.newLine(end + 1);
          j = end + 1;
          continue;
        }
        this.noteComment(start + 2, end);
        return end;
      }
    }
    while (j < length) {
      const b = bytes[j] as number;
      if (b === 10 || b === 13) break;
      if (b === 92) {
        const after = this.spliceEnd(j);
        if (after >= 0) {
          this.newLine(after);
          j = after;
          continue;
        }
      }
      j++;
    }
    this.noteComment(start + 2, j);
    return j;
  }

  lexBlockComment(start: number): number {
    const bytes = this.bytes;
    const length = this.length;
    let j = start + 2;
    const firstLines = this.lineCount;
    if (!this.hasCarriageReturn) {
      // Fast path: find the end natively, then record the line starts inside the comment.
      const close = indexOfCommentEnd(bytes, j);
      if (close >= 0) {
        for (
          let newline = indexOfByte(bytes, 10, j);
          newline >= 0 && newline < close;
          newline = indexOfByte(bytes, 10, newline + 1)
        ) {
          this.newLine(newline + 1);
        }
        this.noteComment(start + 2, close);
        return close + 2;
      }
    }
    while (j < length) {
      const b = bytes[j] as number;
      if (b === 42 && bytes[j + 1] === 47) {
        this.noteComment(start + 2, j);
        return j + 2;
      }
      if (b === 10 || b === 13) {
        j += b === 13 && bytes[j + 1] === 10 ? 2 : 1;
        this.newLine(j);
        continue;
      }
      j++;
    }
    // Unterminated: keep the comment to its first line so the rest of the file is still scanned.
    this.lineCount = firstLines;
    this.problems.push({ offset: start, message: "unterminated comment; scanning resumes on the next line" });
    let end = start + 2;
    while (end < length && bytes[end] !== 10 && bytes[end] !== 13) end++;
    return end;
  }

  noteComment(start: number, end: number): void {
    const bytes = this.bytes;
    let j = start;
    while (j < end && (bytes[j] === 32 || bytes[j] === 9 || bytes[j] === 42 || bytes[j] === 47)) j++;
    // "vmsport-ignore" starts with 'v' 'm' 's'.
    if (bytes[j] !== 118 || bytes[j + 1] !== 109 || bytes[j + 2] !== 115) return;
    const text = latin1(bytes, j, end).trim();
    if (!text.startsWith("vmsport-ignore")) return;
    this.comments.push({ text, offset: start - 2, state: this.state });
  }
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
