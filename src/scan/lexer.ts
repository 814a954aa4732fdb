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
const COMMENT_END = Buffer.from("*/");

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

/** Split a file into tokens and evaluate its conditional compilation. */
export function lex(bytes: Buffer, options: LexOptions): LexedFile {
  const length = bytes.length;
  // The token arrays are reused from file to file to spare the garbage collector. So a LexedFile is valid
  // only until the next call of lex() in the same thread.
  if (shared.capacity < (length >> 2) + 64) allocateShared((length >> 2) + 64);
  let capacity = shared.capacity;
  let { kinds, flags, states, starts, ends, values, lineStarts } = shared;
  let count = 0;
  let lineCount = 1;
  lineStarts[0] = 0;

  const comments: DirectiveComment[] = [];
  const macroEvents: MacroEvent[] = [];
  const problems: { offset: number; message: string }[] = [];
  const facts = new Map(options.facts);
  const symbols = options.symbols;
  const hasCarriageReturn = bytes.indexOf(13) >= 0;

  const conditionStack: ConditionFrame[] = [];
  let state: BranchState = BranchState.Active;

  // Directive bookkeeping: the directive in progress, its kind and first token.
  let directive: "none" | "condition" | "define" | "include" | "other" = "none";
  let directiveName = "";
  let directiveFirstToken = 0;
  let defineNamePending = false;
  let atLineStart = true;
  let spaceBefore = false;

  const grow = () => {
    capacity *= 2;
    const grown = <T extends Uint8Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    kinds = grown(kinds, (n) => new Uint8Array(n));
    flags = grown(flags, (n) => new Uint8Array(n));
    states = grown(states, (n) => new Uint8Array(n));
    starts = grown(starts, (n) => new Int32Array(n));
    ends = grown(ends, (n) => new Int32Array(n));
    values = grown(values, (n) => new Int32Array(n));
    Object.assign(shared, { capacity, kinds, flags, states, starts, ends, values });
  };

  const newLine = (offset: number) => {
    if (lineCount === lineStarts.length) {
      const next = new Int32Array(lineStarts.length * 2);
      next.set(lineStarts);
      lineStarts = next;
      shared.lineStarts = next;
    }
    lineStarts[lineCount++] = offset;
  };

  const push = (kind: TokenKind, start: number, end: number, value: number, extraFlags: number) => {
    if (count === capacity) grow();
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = end;
    values[count] = value;
    states[count] = state;
    let flag = extraFlags | (spaceBefore ? TokenFlag.SpaceBefore : 0);
    if (directive !== "none") {
      flag |= TokenFlag.Directive;
      if (count === directiveFirstToken) flag |= TokenFlag.DirectiveStart;
      if (directive === "condition") flag |= TokenFlag.Condition;
      else if (directive === "define") {
        if (defineNamePending && kind === TokenKind.Identifier) {
          flag |= TokenFlag.DefineName;
          defineNamePending = false;
        } else flag |= TokenFlag.DefineBody;
      } else if (directive === "include") flag |= TokenFlag.Include;
    }
    flags[count] = flag;
    count++;
    spaceBefore = false;
    atLineStart = false;
  };

  /** Text of a token with splices removed. */
  const tokenText = (index: number): string => {
    const text = latin1(bytes, starts[index] ?? 0, ends[index] ?? 0);
    return ((flags[index] ?? 0) & TokenFlag.Splice) !== 0 ? text.replace(/\\[ \t]*(\r\n|\r|\n)/g, "") : text;
  };

  /** Is there a splice (backslash, optional blanks, newline) at `i`? Returns the offset after it, or -1. */
  const spliceEnd = (i: number): number => {
    let j = i + 1;
    while (j < length && (bytes[j] === 32 || bytes[j] === 9)) j++;
    if (j >= length) return -1;
    if (bytes[j] === 10) return j + 1;
    if (bytes[j] === 13) return bytes[j + 1] === 10 ? j + 2 : j + 1;
    return -1;
  };

  const endDirective = () => {
    if (directive === "none") return;
    const kind = directive;
    const name = directiveName;
    directive = "none";
    if (kind === "condition") handleCondition(name, directiveFirstToken);
    else if (kind === "define" || name === "undef") handleDefine(name, directiveFirstToken);
  };

  const handleDefine = (name: string, first: number) => {
    if (first >= count || kinds[first] !== TokenKind.Identifier) return;
    const macro = tokenText(first);
    if (state === BranchState.Inactive || state === BranchState.Ported) return;
    if (state === BranchState.Unknown) {
      // A definition in an unknown branch may or may not happen, so nothing is known about the macro after it.
      facts.delete(macro);
      return;
    }
    if (name === "undef") {
      facts.set(macro, { defined: false });
      macroEvents.push({ name: macro, tokenIndex: first, defined: false });
      return;
    }
    let value: number | undefined;
    const bodyStart = first + 1;
    if (count === bodyStart) value = 1;
    else if (count === bodyStart + 1 && kinds[bodyStart] === TokenKind.Number) {
      value = parseIntegerLiteral(tokenText(bodyStart));
    }
    facts.set(macro, { defined: true, value });
    macroEvents.push({ name: macro, tokenIndex: first, defined: true });
  };

  const expressionTokens = (first: number): ExpressionToken[] => {
    const list: ExpressionToken[] = [];
    for (let index = first; index < count; index++) {
      const kind = kinds[index];
      const text = kind === TokenKind.Punct ? punctText(values[index] ?? 0) : tokenText(index);
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
  };

  const lookup = (name: string) => facts.get(name);

  const evaluate = (name: string, first: number) => {
    if (name === "ifdef" || name === "ifndef" || name === "elifdef" || name === "elifndef") {
      const macroToken =
        first < count && kinds[first] === TokenKind.Identifier ? tokenText(first) : undefined;
      if (macroToken === undefined) return { value: undefined, mentionsVms: false };
      const fact = facts.get(macroToken);
      const negate = name.endsWith("ndef");
      const mentionsVms = evaluateCondition([{ kind: "ident", text: macroToken }], lookup).mentionsVms;
      if (fact === undefined) return { value: undefined, mentionsVms };
      return { value: negate ? !fact.defined : fact.defined, mentionsVms };
    }
    return evaluateCondition(expressionTokens(first), lookup);
  };

  const deadState = (byVms: boolean): BranchState => (byVms ? BranchState.Ported : BranchState.Inactive);
  const isDead = (value: BranchState) => value === BranchState.Inactive || value === BranchState.Ported;

  const handleCondition = (name: string, first: number) => {
    if (name === "if" || name === "ifdef" || name === "ifndef") {
      const frame: ConditionFrame = { parent: state, taken: "no", takenByVms: false };
      conditionStack.push(frame);
      if (isDead(state)) return;
      const result = evaluate(name, first);
      if (result.value === true) {
        frame.taken = "yes";
        frame.takenByVms = result.mentionsVms;
      } else if (result.value === false) state = deadState(result.mentionsVms);
      else {
        frame.taken = "maybe";
        state = BranchState.Unknown;
      }
      return;
    }
    const frame = conditionStack[conditionStack.length - 1];
    if (!frame) {
      problems.push({ offset: starts[first - 1] ?? 0, message: `#${name} without a matching #if` });
      return;
    }
    if (name === "endif") {
      conditionStack.pop();
      state = frame.parent;
      return;
    }
    if (isDead(frame.parent)) return;
    if (frame.taken === "yes") {
      state = deadState(frame.takenByVms);
      return;
    }
    if (name === "else") {
      state = frame.taken === "maybe" ? BranchState.Unknown : frame.parent;
      frame.taken = "yes";
      return;
    }
    // #elif, #elifdef, #elifndef
    const result = evaluate(name.replace(/^el/, ""), first);
    if (result.value === true) {
      state = frame.taken === "maybe" ? BranchState.Unknown : frame.parent;
      if (frame.taken === "no") {
        frame.taken = "yes";
        frame.takenByVms = result.mentionsVms;
      }
    } else if (result.value === false) state = deadState(result.mentionsVms);
    else {
      frame.taken = "maybe";
      state = BranchState.Unknown;
    }
  };

  let i = 0;
  while (i < length) {
    const c = bytes[i] as number;

    // Line ends: CR, LF and CRLF each end one line.
    if (c === 10 || c === 13) {
      i += c === 13 && bytes[i + 1] === 10 ? 2 : 1;
      newLine(i);
      endDirective();
      atLineStart = true;
      spaceBefore = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 11 || c === 12) {
      i++;
      while (i < length && (bytes[i] === 32 || bytes[i] === 9)) i++;
      spaceBefore = true;
      continue;
    }

    if ((CHAR_CLASS[c] as number) & IDENT_START) {
      const start = i;
      let hash = 0;
      let spliced = false;
      for (;;) {
        const d = bytes[i] as number;
        if (i < length && (CHAR_CLASS[d] as number) & IDENT_PART) {
          hash = (Math.imul(hash, HASH_MULTIPLIER) + d) | 0;
          i++;
        } else if (d === 92 && i < length) {
          const after = spliceEnd(i);
          if (after < 0) break;
          newLine(after);
          spliced = true;
          i = after;
        } else break;
      }
      // Literal prefixes: L"", u8"", R"()", LR"()" and so on.
      const next = bytes[i];
      if ((next === 34 || next === 39) && i - start <= 3 && !spliced) {
        const prefix = latin1(bytes, start, i);
        if (next === 34 && /^(?:L|u8|u|U)?R$/.test(prefix)) {
          const end = lexRawString(i);
          if (end > 0) {
            push(TokenKind.String, start, end, -1, 0);
            i = end;
            continue;
          }
        }
        if (/^(?:L|u8|u|U)$/.test(prefix)) {
          const end = lexQuoted(i, next);
          push(next === 34 ? TokenKind.String : TokenKind.Char, start, end, -1, 0);
          i = end;
          continue;
        }
      }
      const id = spliced
        ? (symbols.ids.get(latin1(bytes, start, i).replace(/\\[ \t]*(\r\n|\r|\n)/g, "")) ?? -1)
        : lookupSymbol(symbols, bytes, start, i, hash);
      push(TokenKind.Identifier, start, i, id, spliced ? TokenFlag.Splice : 0);
      continue;
    }

    if (
      (CHAR_CLASS[c] as number) & DIGIT ||
      (c === 46 && (CHAR_CLASS[bytes[i + 1] ?? 0] as number) & DIGIT)
    ) {
      const start = i;
      i++;
      for (;;) {
        const d = bytes[i] as number;
        if (i >= length) break;
        if ((CHAR_CLASS[d] as number) & IDENT_PART || d === 46) {
          // Exponent signs belong to the number: 1e+5, 0x1p-3.
          if (
            (d === 101 || d === 69 || d === 112 || d === 80) &&
            (bytes[i + 1] === 43 || bytes[i + 1] === 45)
          )
            i++;
          i++;
        } else if (d === 39 && (CHAR_CLASS[bytes[i + 1] ?? 0] as number) & IDENT_PART) {
          // A digit separator (C++14, C23), accepted in every file type.
          i++;
        } else break;
      }
      push(TokenKind.Number, start, i, -1, 0);
      continue;
    }

    if (c === 34 || c === 39) {
      const end = lexQuoted(i, c);
      push(c === 34 ? TokenKind.String : TokenKind.Char, i, end, -1, 0);
      i = end;
      continue;
    }

    if (c === 47) {
      const d = bytes[i + 1];
      if (d === 47) {
        i = lexLineComment(i);
        spaceBefore = true;
        continue;
      }
      if (d === 42) {
        i = lexBlockComment(i);
        spaceBefore = true;
        continue;
      }
    }

    if (c === 92) {
      const after = spliceEnd(i);
      if (after >= 0) {
        newLine(after);
        i = after;
        spaceBefore = true;
        continue;
      }
    }

    if (c === 35 && atLineStart && directive === "none") {
      // A directive: `#` first on a logical line. The name is read by the identifier branch.
      i++;
      while (i < length && (bytes[i] === 32 || bytes[i] === 9)) i++;
      const nameStart = i;
      while (i < length && (CHAR_CLASS[bytes[i] as number] as number) & IDENT_PART) i++;
      directiveName = latin1(bytes, nameStart, i);
      startDirective();
      i = afterDirectiveName(i);
      continue;
    }

    // Punctuators.
    const d = bytes[i + 1];
    let code = c;
    let width = 1;
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
    if (code !== c) width = 2;
    push(TokenKind.Punct, i, i + width, code, 0);
    i += width;
  }
  endDirective();
  if (conditionStack.length > 0) {
    problems.push({
      offset: length,
      message: `${conditionStack.length} #if without a matching #endif at the end of the file`,
    });
  }

  return {
    bytes,
    count,
    kinds,
    flags,
    states,
    starts,
    ends,
    values,
    lineStarts,
    lineCount,
    comments,
    macroEvents,
    problems,
  };

  // The helpers below share the lexer's state; they are function declarations so the main loop reads first.

  function startDirective(): void {
    const name = directiveName;
    directiveFirstToken = count;
    spaceBefore = false;
    if (/^(?:if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)$/.test(name)) {
      directive = "condition";
    } else if (name === "define" || name === "undef") {
      directive = "define";
      defineNamePending = true;
    } else if (name === "include" || name === "include_next" || name === "import") directive = "include";
    else directive = "other";
    atLineStart = false;
  }

  function afterDirectiveName(position: number): number {
    if (directive !== "include") return position;
    let j = position;
    while (j < length && (bytes[j] === 32 || bytes[j] === 9)) j++;
    const open = bytes[j];
    if (open !== 60 && open !== 34) return position;
    const close = open === 60 ? 62 : 34;
    let k = j + 1;
    while (k < length && bytes[k] !== close && bytes[k] !== 10 && bytes[k] !== 13) k++;
    if (bytes[k] !== close) return position;
    spaceBefore = true;
    push(TokenKind.HeaderName, j, k + 1, -1, 0);
    return k + 1;
  }

  /** End offset of a quoted literal starting at `start` (the quote). Stops at an unescaped line end. */
  function lexQuoted(start: number, quote: number): number {
    let j = start + 1;
    while (j < length) {
      const b = bytes[j] as number;
      if (b === quote) return j + 1;
      if (b === 92) {
        const after = spliceEnd(j);
        if (after >= 0) {
          newLine(after);
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
    if (state !== BranchState.Inactive && state !== BranchState.Ported && directive !== "other") {
      problems.push({
        offset: start,
        message: `unterminated ${quote === 34 ? "string" : "character"} literal`,
      });
    }
    return Math.min(j, length);
  }

  /** End offset of a raw string whose opening quote is at `quote`, or -1 when the delimiter is malformed. */
  function lexRawString(quote: number): number {
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
          for (const offset of lineOffsets) newLine(offset);
          return k + delimiter.length + 2;
        }
      }
      k++;
    }
    problems.push({ offset: quote, message: "unterminated raw string literal" });
    return -1;
  }

  function lexLineComment(start: number): number {
    let j = start + 2;
    if (!hasCarriageReturn) {
      // Fast path: find the line end natively and continue past it only after a splice.
      for (;;) {
        let end = bytes.indexOf(10, j);
        if (end < 0) end = length;
        let last = end - 1;
        while (last > j && (bytes[last] === 32 || bytes[last] === 9)) last--;
        if (end < length && last >= j && bytes[last] === 92) {
          newLine(end + 1);
          j = end + 1;
          continue;
        }
        noteComment(start + 2, end);
        return end;
      }
    }
    while (j < length) {
      const b = bytes[j] as number;
      if (b === 10 || b === 13) break;
      if (b === 92) {
        const after = spliceEnd(j);
        if (after >= 0) {
          newLine(after);
          j = after;
          continue;
        }
      }
      j++;
    }
    noteComment(start + 2, j);
    return j;
  }

  function lexBlockComment(start: number): number {
    let j = start + 2;
    const firstLines = lineCount;
    if (!hasCarriageReturn) {
      // Fast path: find the end natively, then record the line starts inside the comment.
      const close = bytes.indexOf(COMMENT_END, j);
      if (close >= 0) {
        for (
          let newline = bytes.indexOf(10, j);
          newline >= 0 && newline < close;
          newline = bytes.indexOf(10, newline + 1)
        ) {
          newLine(newline + 1);
        }
        noteComment(start + 2, close);
        return close + 2;
      }
    }
    while (j < length) {
      const b = bytes[j] as number;
      if (b === 42 && bytes[j + 1] === 47) {
        noteComment(start + 2, j);
        return j + 2;
      }
      if (b === 10 || b === 13) {
        j += b === 13 && bytes[j + 1] === 10 ? 2 : 1;
        newLine(j);
        continue;
      }
      j++;
    }
    // Unterminated: keep the comment to its first line so the rest of the file is still scanned.
    lineCount = firstLines;
    problems.push({ offset: start, message: "unterminated comment; scanning resumes on the next line" });
    let end = start + 2;
    while (end < length && bytes[end] !== 10 && bytes[end] !== 13) end++;
    return end;
  }

  function noteComment(start: number, end: number): void {
    let j = start;
    while (j < end && (bytes[j] === 32 || bytes[j] === 9 || bytes[j] === 42 || bytes[j] === 47)) j++;
    // "vmsport-ignore" starts with 'v' 'm' 's'.
    if (bytes[j] !== 118 || bytes[j + 1] !== 109 || bytes[j + 2] !== 115) return;
    const text = latin1(bytes, j, end).trim();
    if (!text.startsWith("vmsport-ignore")) return;
    comments.push({ text, offset: start - 2, state });
  }
}

/** Bytes as a string with one character per byte (ISO-8859-1). */
export function latin1(bytes: Buffer, start: number, end: number): string {
  return bytes.toString("latin1", start, end);
}
