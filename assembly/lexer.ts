/**
 * The byte-level part of the scanner's C/C++ lexer, compiled to WebAssembly by AssemblyScript. It splits a
 * file into tokens, records line starts, reads directive names and marks the tokens of directive lines. What
 * needs macro facts (branch states, #define and #undef, #if expressions) stays in JavaScript, which reads the
 * events this module records: directives, recovered problems and `vmsport-ignore` comments.
 *
 * All data lives in linear memory at addresses the JavaScript side chooses (see src/scan/wasm-lexer.ts), and
 * no memory is allocated here. So the module is built with the stub runtime.
 */

// Character classes.
const IDENT_START: u8 = 1;
const IDENT_PART: u8 = 2;
const DIGIT: u8 = 4;

// Token kinds, flags and punctuator codes; the same numbers as in src/scan/lexer.ts.
const KIND_IDENTIFIER: i32 = 0;
const KIND_NUMBER: i32 = 1;
const KIND_STRING: i32 = 2;
const KIND_CHAR: i32 = 3;
const KIND_PUNCT: i32 = 4;
const KIND_HEADER_NAME: i32 = 5;

const FLAG_DIRECTIVE: i32 = 1;
const FLAG_CONDITION: i32 = 2;
const FLAG_DEFINE_BODY: i32 = 4;
const FLAG_DEFINE_NAME: i32 = 8;
const FLAG_INCLUDE: i32 = 16;
const FLAG_SPLICE: i32 = 32;
const FLAG_SPACE_BEFORE: i32 = 64;
const FLAG_DIRECTIVE_START: i32 = 128;

// Directive kinds.
const DIRECTIVE_NONE: i32 = 0;
const DIRECTIVE_CONDITION: i32 = 1;
const DIRECTIVE_DEFINE: i32 = 2;
const DIRECTIVE_INCLUDE: i32 = 3;
const DIRECTIVE_OTHER: i32 = 4;

// Event types. Each event takes EVENT_SIZE bytes: the type, then up to five i32 operands.
const EVENT_DIRECTIVE: i32 = 1; // directive number, first token, token count at the line end, defined name
const EVENT_UNTERMINATED_QUOTE: i32 = 2; // offset, quote byte
const EVENT_UNTERMINATED_RAW: i32 = 3; // offset
const EVENT_UNTERMINATED_COMMENT: i32 = 4; // offset
const EVENT_COMMENT: i32 = 5; // text start, text end, comment start
const EVENT_SPLICED_IDENTIFIER: i32 = 7; // token
const EVENT_SIZE: i32 = 24;

const classes = memory.data(256);

// Addresses of the input and of the output arrays, set by `configure`.
let bytesAt: usize = 0;
let length: i32 = 0;
let kindsAt: usize = 0;
let flagsAt: usize = 0;
let startsAt: usize = 0;
let endsAt: usize = 0;
let valuesAt: usize = 0;
let linesAt: usize = 0;
let eventsAt: usize = 0;
let tokenCapacity: i32 = 0;
let lineCapacity: i32 = 0;
let eventCapacity: i32 = 0;

// The symbol table: see src/scan/symbols.ts.
let slotsAt: usize = 0;
let hashesAt: usize = 0;
let symbolMask: i32 = 0;
/** Per symbol id: the address of its name and its length, two i32. */
let namesAt: usize = 0;

// Lexer state.
let count: i32 = 0;
let lineCount: i32 = 0;
let eventCount: i32 = 0;
let directive: i32 = DIRECTIVE_NONE;
let directiveNumber: i32 = 0;
let directiveFirstToken: i32 = 0;
/** The token a #define or #undef defines, or -1. */
let directiveNameToken: i32 = -1;
let defineNamePending = false;
let atLineStart = true;
let spaceBefore = false;

/** Fill the character class table; call once after instantiation. */
export function initialize(): void {
  for (let c = 0; c < 256; c++) {
    const isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 36 || c >= 128;
    const isDigit = c >= 48 && c <= 57;
    let value: u8 = 0;
    if (isLetter) value |= IDENT_START | IDENT_PART;
    if (isDigit) value |= DIGIT | IDENT_PART;
    store<u8>(classes + <usize>c, value);
  }
  for (let c = 0; c < 256; c++) store<u8>(dispatch + <usize>c, dispatchClassOf(c));
}

/** Address where the caller may start placing data: the end of this module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** Set the symbol table the lexer looks identifiers up in. */
export function setSymbols(slots: usize, hashes: usize, mask: i32, names: usize): void {
  slotsAt = slots;
  hashesAt = hashes;
  symbolMask = mask;
  namesAt = names;
}

/**
 * Set the input and output addresses of the `lex` calls and the number of entries each output array holds.
 * At least 32 zero bytes must follow the input: the lexer reads past the end instead of testing the length.
 */
export function configure(
  bytes: usize,
  kinds: usize,
  flags: usize,
  starts: usize,
  ends: usize,
  values: usize,
  lines: usize,
  events: usize,
  maxTokens: i32,
  maxLines: i32,
  maxEvents: i32,
): void {
  bytesAt = bytes;
  kindsAt = kinds;
  flagsAt = flags;
  startsAt = starts;
  endsAt = ends;
  valuesAt = values;
  linesAt = lines;
  eventsAt = events;
  tokenCapacity = maxTokens;
  lineCapacity = maxLines;
  eventCapacity = maxEvents;
}

export function tokenCount(): i32 {
  return count;
}

export function lineStartCount(): i32 {
  return lineCount;
}

export function eventTotal(): i32 {
  return eventCount;
}

/**
 * Lex the `size` bytes at the configured input address. Returns the number of events, or -1 when the tokens,
 * line starts or events did not fit in their arrays. Then `tokenCount`, `lineStartCount` and `eventTotal`
 * return the numbers needed, so one more run with arrays that large succeeds.
 */
export function lex(size: i32): i32 {
  length = size;
  count = 0;
  lineCount = 1;
  store<i32>(linesAt, 0);
  eventCount = 0;
  directive = DIRECTIVE_NONE;
  defineNamePending = false;
  atLineStart = true;
  spaceBefore = false;
  run();
  if (count > tokenCapacity || lineCount > lineCapacity || eventCount > eventCapacity) return -1;
  return eventCount;
}

@inline
function at(i: i32): i32 {
  return <i32>load<u8>(bytesAt + <usize>i);
}

@inline
function classOf(c: i32): i32 {
  return <i32>load<u8>(classes + <usize>c);
}

function isBlank(c: i32): bool {
  return c == 32 || c == 9;
}

/**
 * Offset of the first byte at or after `from` that is `a`, `b` or `c`, searching 16 bytes at a time. It stops
 * short of the last 16 bytes of the input without a match, so the caller checks those one by one.
 */
function skipToAny(from: i32, a: i32, b: i32, c: i32): i32 {
  const va = i8x16.splat(<i8>a);
  const vb = i8x16.splat(<i8>b);
  const vc = i8x16.splat(<i8>c);
  const base = bytesAt;
  const last = length - 16;
  let j = from;
  while (j <= last) {
    const chunk = v128.load(base + <usize>j);
    const hits = v128.or(v128.or(i8x16.eq(chunk, va), i8x16.eq(chunk, vb)), i8x16.eq(chunk, vc));
    const mask = i8x16.bitmask(hits);
    if (mask != 0) return j + ctz<i32>(mask);
    j += 16;
  }
  return j;
}

// Dispatch classes of the first byte of a token, so the main loop branches once per token.
const DISPATCH_PUNCT: u8 = 0;
const DISPATCH_LINE_END: u8 = 1;
const DISPATCH_BLANK: u8 = 2;
const DISPATCH_IDENTIFIER: u8 = 3;
const DISPATCH_DIGIT: u8 = 4;
const DISPATCH_QUOTE: u8 = 5;
const DISPATCH_SLASH: u8 = 6;
const DISPATCH_BACKSLASH: u8 = 7;
const DISPATCH_HASH: u8 = 8;
const DISPATCH_DOT: u8 = 9;

const dispatch = memory.data(256);

function dispatchClassOf(c: i32): u8 {
  if (c == 10 || c == 13) return DISPATCH_LINE_END;
  if (c == 32 || c == 9 || c == 11 || c == 12) return DISPATCH_BLANK;
  if (c == 34 || c == 39) return DISPATCH_QUOTE;
  if (c == 47) return DISPATCH_SLASH;
  if (c == 92) return DISPATCH_BACKSLASH;
  if (c == 35) return DISPATCH_HASH;
  if (c == 46) return DISPATCH_DOT;
  const cls = load<u8>(classes + <usize>c);
  if (cls & IDENT_START) return DISPATCH_IDENTIFIER;
  if (cls & DIGIT) return DISPATCH_DIGIT;
  return DISPATCH_PUNCT;
}

function run(): void {
  const end = length;
  let i = 0;
  while (i < end) {
    let c = at(i);
    // Blanks between tokens are skipped here, so most tokens take one pass through the dispatch, not two.
    if (c == 32 || c == 9) {
      do c = at(++i);
      while (c == 32 || c == 9);
      spaceBefore = true;
      if (i >= end) break;
    }
    switch (<i32>load<u8>(dispatch + <usize>c)) {
      case DISPATCH_LINE_END: {
        // CR, LF and CRLF each end one line.
        i += c == 13 && at(i + 1) == 10 ? 2 : 1;
        newLine(i);
        endDirective();
        atLineStart = true;
        spaceBefore = true;
        continue;
      }
      case DISPATCH_BLANK: {
        // The zero bytes after the input end this loop.
        i++;
        while (isBlank(at(i))) i++;
        spaceBefore = true;
        continue;
      }
      case DISPATCH_IDENTIFIER: {
        i = lexIdentifier(i);
        continue;
      }
      case DISPATCH_DIGIT: {
        i = lexNumber(i);
        continue;
      }
      case DISPATCH_DOT: {
        if (classOf(at(i + 1)) & DIGIT) {
          i = lexNumber(i);
          continue;
        }
        break;
      }
      case DISPATCH_QUOTE: {
        const literalEnd = lexQuoted(i, c);
        push(c == 34 ? KIND_STRING : KIND_CHAR, i, literalEnd, -1, 0);
        i = literalEnd;
        continue;
      }
      case DISPATCH_SLASH: {
        const d = at(i + 1);
        if (d == 47) {
          i = lexLineComment(i);
          spaceBefore = true;
          continue;
        }
        if (d == 42) {
          i = lexBlockComment(i);
          spaceBefore = true;
          continue;
        }
        break;
      }
      case DISPATCH_BACKSLASH: {
        const after = spliceEnd(i);
        if (after >= 0) {
          newLine(after);
          i = after;
          spaceBefore = true;
          continue;
        }
        break;
      }
      case DISPATCH_HASH: {
        if (atLineStart && directive == DIRECTIVE_NONE) {
          i = lexDirectiveName(i);
          continue;
        }
        break;
      }
      default:
        break;
    }
    i = lexPunctuator(i, c);
  }
  endDirective();
}

/** Read a punctuator: two-character operators get the codes of `Punct` in src/scan/lexer.ts. */
function lexPunctuator(i: i32, c: i32): i32 {
  const d = at(i + 1);
  let code = c;
  switch (c) {
    case 45:
      if (d == 62) code = 256; // ->
      break;
    case 58:
      if (d == 58) code = 257; // ::
      break;
    case 60:
      if (d == 60) code = 258; // <<
      else if (d == 61) code = 262; // <=
      break;
    case 62:
      if (d == 62) code = 259; // >>
      else if (d == 61) code = 263; // >=
      break;
    case 61:
      if (d == 61) code = 260; // ==
      break;
    case 33:
      if (d == 61) code = 261; // !=
      break;
    case 38:
      if (d == 38) code = 264; // &&
      break;
    case 124:
      if (d == 124) code = 265; // ||
      break;
    case 35:
      if (d == 35) code = 266; // ##
      break;
  }
  const width = code != c ? 2 : 1;
  push(KIND_PUNCT, i, i + width, code, 0);
  return i + width;
}

@inline
function newLine(offset: i32): void {
  if (lineCount < lineCapacity) store<i32>(linesAt + (<usize>lineCount << 2), offset);
  lineCount++;
}

function addEvent(type: i32, a: i32, b: i32, c: i32, d: i32, e: i32): void {
  // Past the capacity, events are only counted (see `lex`).
  if (eventCount < eventCapacity) {
    const at = eventsAt + <usize>(eventCount * EVENT_SIZE);
    store<i32>(at, type);
    store<i32>(at, a, 4);
    store<i32>(at, b, 8);
    store<i32>(at, c, 12);
    store<i32>(at, d, 16);
    store<i32>(at, e, 20);
  }
  eventCount++;
}

@inline
function push(kind: i32, start: i32, end: i32, value: i32, extraFlags: i32): void {
  const index = count;
  let flag = extraFlags | (spaceBefore ? FLAG_SPACE_BEFORE : 0);
  if (directive != DIRECTIVE_NONE) flag = directiveFlags(flag, kind, index);
  // Past the capacity, tokens are only counted (see `lex`).
  if (index < tokenCapacity) {
    store<u8>(kindsAt + <usize>index, <u8>kind);
    store<i32>(startsAt + (<usize>index << 2), start);
    store<i32>(endsAt + (<usize>index << 2), end);
    store<i32>(valuesAt + (<usize>index << 2), value);
    store<u8>(flagsAt + <usize>index, <u8>flag);
  }
  count = index + 1;
  spaceBefore = false;
  atLineStart = false;
}

function directiveFlags(flag: i32, kind: i32, index: i32): i32 {
  let result = flag | FLAG_DIRECTIVE;
  if (index == directiveFirstToken) result |= FLAG_DIRECTIVE_START;
  if (directive == DIRECTIVE_CONDITION) result |= FLAG_CONDITION;
  else if (directive == DIRECTIVE_DEFINE) {
    if (defineNamePending && kind == KIND_IDENTIFIER) {
      result |= FLAG_DEFINE_NAME;
      defineNamePending = false;
      directiveNameToken = index;
    } else result |= FLAG_DEFINE_BODY;
  } else if (directive == DIRECTIVE_INCLUDE) result |= FLAG_INCLUDE;
  return result;
}

/** Offset after a splice (backslash, optional blanks, line end) at `i`, or -1. */
function spliceEnd(i: i32): i32 {
  let j = i + 1;
  while (j < length && isBlank(at(j))) j++;
  if (j >= length) return -1;
  const b = at(j);
  if (b == 10) return j + 1;
  if (b == 13) return at(j + 1) == 10 ? j + 2 : j + 1;
  return -1;
}

function lookupSymbol(start: i32, end: i32, hash: i32): i32 {
  let slot = hash & symbolMask;
  let entry = load<i32>(slotsAt + (<usize>slot << 2));
  while (entry != 0) {
    if (load<i32>(hashesAt + (<usize>slot << 2)) == hash && isSymbol(entry - 1, start, end)) return entry - 1;
    slot = (slot + 1) & symbolMask;
    entry = load<i32>(slotsAt + (<usize>slot << 2));
  }
  return -1;
}

function isSymbol(id: i32, start: i32, end: i32): bool {
  const entry = namesAt + (<usize>id << 3);
  const name = <usize>load<i32>(entry);
  const size = load<i32>(entry, 4);
  if (size != end - start) return false;
  for (let k = 0; k < size; k++) {
    if (<i32>load<u8>(name + <usize>k) != at(start + k)) return false;
  }
  return true;
}

/** Read an identifier, or a literal with a prefix (L"", u8"", R"()"), at `start`; returns its end. */
/**
 * Offset of the first byte at or after `from` that cannot be part of an identifier, 16 bytes at a time. The
 * zero bytes after the input end the search.
 */
function skipIdentifierPart(from: i32): i32 {
  let j = from;
  let stops = identifierStops(j);
  while (stops == 0) {
    j += 16;
    stops = identifierStops(j);
  }
  return j + ctz<i32>(stops);
}

/** Bit mask of the 16 bytes at `at` that cannot be part of an identifier. */
@inline
function identifierStops(at: i32): i32 {
  const chunk = v128.load(bytesAt + <usize>at);
  const lower = v128.or(chunk, i8x16.splat(0x20));
  const letter = i8x16.lt_u(i8x16.sub(lower, i8x16.splat(97)), i8x16.splat(26));
  const digit = i8x16.lt_u(i8x16.sub(chunk, i8x16.splat(48)), i8x16.splat(10));
  const other = v128.or(
    v128.or(i8x16.eq(chunk, i8x16.splat(95)), i8x16.eq(chunk, i8x16.splat(36))),
    i8x16.lt_s(chunk, i8x16.splat(0)),
  );
  return ~i8x16.bitmask(v128.or(v128.or(letter, digit), other)) & 0xffff;
}

/**
 * Hash of the identifier `bytes[start, end)` without splices, as `identifierHash` in src/scan/symbols.ts
 * computes it: from its length and its first and last four bytes, so that no loop runs over its bytes.
 */
function hashIdentifier(start: i32, end: i32): i32 {
  const size = end - start;
  let first: u32;
  let last: u32;
  if (size >= 4) {
    first = load<u32>(bytesAt + <usize>start);
    last = load<u32>(bytesAt + <usize>(end - 4));
  } else {
    first = load<u32>(bytesAt + <usize>start) & ((<u32>1 << (<u32>size << 3)) - 1);
    last = first;
  }
  let hash = (first * 0x9e3779b1) ^ (last * 0x85ebca77) ^ <u32>size;
  hash ^= hash >> 15;
  return <i32>hash;
}

function lexIdentifier(start: i32): i32 {
  let i = start;
  let spliced = false;
  for (;;) {
    i = skipIdentifierPart(i);
    const d = at(i);
    if (d != 92 || i >= length) break;
    const after = spliceEnd(i);
    if (after < 0) break;
    newLine(after);
    spliced = true;
    i = after;
  }
  const next = at(i);
  if ((next == 34 || next == 39) && i - start <= 3 && !spliced) {
    const end = lexPrefixedLiteral(start, i, next);
    if (end >= 0) return end;
  }
  if (spliced) {
    // The JavaScript side looks the name up without its splices.
    addEvent(EVENT_SPLICED_IDENTIFIER, count, 0, 0, 0, 0);
    push(KIND_IDENTIFIER, start, i, -1, FLAG_SPLICE);
  } else push(KIND_IDENTIFIER, start, i, lookupSymbol(start, i, hashIdentifier(start, i)), 0);
  return i;
}

/** Does `bytes[start, quote)` spell one of the encoding prefixes L, u8, u, U, followed by `last` if not 0? */
function isEncodingPrefix(start: i32, quote: i32, last: i32): bool {
  let end = quote;
  if (last != 0) {
    if (end == start || at(end - 1) != last) return false;
    end--;
  }
  const size = end - start;
  if (size == 0) return last != 0;
  const first = at(start);
  if (size == 1) return first == 76 || first == 117 || first == 85;
  return size == 2 && first == 117 && at(start + 1) == 56;
}

/** Read a literal whose prefix is `bytes[start, quote)` and return its end, or -1 for an identifier. */
function lexPrefixedLiteral(start: i32, quote: i32, next: i32): i32 {
  if (next == 34 && isEncodingPrefix(start, quote, 82)) {
    const end = lexRawString(quote);
    if (end > 0) {
      push(KIND_STRING, start, end, -1, 0);
      return end;
    }
  }
  if (quote > start && isEncodingPrefix(start, quote, 0)) {
    const end = lexQuoted(quote, next);
    push(next == 34 ? KIND_STRING : KIND_CHAR, start, end, -1, 0);
    return end;
  }
  return -1;
}

function lexNumber(start: i32): i32 {
  let i = start + 1;
  for (;;) {
    if (i >= length) break;
    const d = at(i);
    if (classOf(d) & IDENT_PART || d == 46) {
      // Exponent signs belong to the number: 1e+5, 0x1p-3.
      if ((d == 101 || d == 69 || d == 112 || d == 80) && (at(i + 1) == 43 || at(i + 1) == 45)) i++;
      i++;
    } else if (d == 39 && classOf(at(i + 1)) & IDENT_PART) {
      // A digit separator (C++14, C23).
      i++;
    } else break;
  }
  push(KIND_NUMBER, start, i, -1, 0);
  return i;
}

/** Does `bytes[start, end)` spell `word`? */
function spells(start: i32, end: i32, word: string): bool {
  if (end - start != word.length) return false;
  for (let k = 0; k < word.length; k++) {
    if (at(start + k) != word.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Number of the directive named `bytes[start, end)`, an index into DIRECTIVE_NAMES of src/scan/wasm-lexer.ts,
 * or 0 for any other name.
 */
function directiveNumberOf(start: i32, end: i32): i32 {
  if (spells(start, end, "if")) return 1;
  if (spells(start, end, "ifdef")) return 2;
  if (spells(start, end, "ifndef")) return 3;
  if (spells(start, end, "elif")) return 4;
  if (spells(start, end, "elifdef")) return 5;
  if (spells(start, end, "elifndef")) return 6;
  if (spells(start, end, "else")) return 7;
  if (spells(start, end, "endif")) return 8;
  if (spells(start, end, "define")) return 9;
  if (spells(start, end, "undef")) return 10;
  if (spells(start, end, "include")) return 11;
  if (spells(start, end, "include_next")) return 12;
  if (spells(start, end, "import")) return 13;
  return 0;
}

function directiveKindOf(number: i32): i32 {
  if (number == 0) return DIRECTIVE_OTHER;
  if (number <= 8) return DIRECTIVE_CONDITION;
  if (number <= 10) return DIRECTIVE_DEFINE;
  return DIRECTIVE_INCLUDE;
}

/** Start a directive at the `#` at `hash`, the first token of a logical line. Returns the offset after its name. */
function lexDirectiveName(hash: i32): i32 {
  let i = hash + 1;
  while (i < length && isBlank(at(i))) i++;
  const nameStart = i;
  while (i < length && classOf(at(i)) & IDENT_PART) i++;
  directiveNumber = directiveNumberOf(nameStart, i);
  directiveFirstToken = count;
  directiveNameToken = -1;
  spaceBefore = false;
  directive = directiveKindOf(directiveNumber);
  defineNamePending = directive == DIRECTIVE_DEFINE;
  atLineStart = false;
  return directive == DIRECTIVE_INCLUDE ? lexHeaderName(i) : i;
}

/** Read the header name of an #include after its name at `position`, if it has one; returns the offset after it. */
function lexHeaderName(position: i32): i32 {
  let j = position;
  while (j < length && isBlank(at(j))) j++;
  const open = at(j);
  if (open != 60 && open != 34) return position;
  const close = open == 60 ? 62 : 34;
  let k = j + 1;
  while (k < length && at(k) != close && at(k) != 10 && at(k) != 13) k++;
  if (k >= length || at(k) != close) return position;
  spaceBefore = true;
  push(KIND_HEADER_NAME, j, k + 1, -1, 0);
  return k + 1;
}

function endDirective(): void {
  // Only conditionals and definitions change what the JavaScript side tracks.
  if (directive == DIRECTIVE_CONDITION || directive == DIRECTIVE_DEFINE)
    addEvent(EVENT_DIRECTIVE, directiveNumber, directiveFirstToken, count, directiveNameToken, 0);
  directive = DIRECTIVE_NONE;
}

/** End offset of a quoted literal starting at `start` (the quote). Stops at an unescaped line end. */
function lexQuoted(start: i32, quote: i32): i32 {
  let j = start + 1;
  while (j < length) {
    const b = at(j);
    if (b == quote) return j + 1;
    if (b == 92) {
      const after = spliceEnd(j);
      if (after >= 0) {
        newLine(after);
        j = after;
        continue;
      }
      j += 2;
      continue;
    }
    if (b == 10 || b == 13) break;
    j++;
  }
  // An apostrophe in an #error line is common prose, so no event is recorded there. The JavaScript side
  // drops the events of dead branches too.
  if (directive != DIRECTIVE_OTHER) addEvent(EVENT_UNTERMINATED_QUOTE, start, quote, 0, 0, 0);
  return j < length ? j : length;
}

/**
 * End offset of a raw string whose opening quote is at `quote`, or -1 when the delimiter is malformed.
 * NOTE: a delimiter of 17 characters is accepted, one more than C++ allows, as the scanner always did.
 */
function lexRawString(quote: i32): i32 {
  let j = quote + 1;
  while (j < length && j - quote <= 17) {
    const b = at(j);
    if (b == 40) break;
    if (b == 41 || b == 92 || b == 32 || b == 9 || b == 10 || b == 13 || b == 34) return -1;
    j++;
  }
  if (j >= length || at(j) != 40) return -1;
  const delimiterStart = quote + 1;
  const delimiterLength = j - delimiterStart;
  const firstLines = lineCount;
  let k = j + 1;
  while (k < length) {
    const b = at(k);
    if (b == 10 || b == 13) {
      k += b == 13 && at(k + 1) == 10 ? 2 : 1;
      newLine(k);
      continue;
    }
    if (b == 41 && k + 1 + delimiterLength < length && at(k + 1 + delimiterLength) == 34) {
      let same = true;
      for (let m = 0; m < delimiterLength; m++) {
        if (at(k + 1 + m) != at(delimiterStart + m)) {
          same = false;
          break;
        }
      }
      if (same) return k + delimiterLength + 2;
    }
    k++;
  }
  lineCount = firstLines;
  addEvent(EVENT_UNTERMINATED_RAW, quote, 0, 0, 0, 0);
  return -1;
}

function lexLineComment(start: i32): i32 {
  let j = start + 2;
  while (j < length) {
    j = skipToAny(j, 10, 13, 92);
    if (j >= length) break;
    const b = at(j);
    if (b == 10 || b == 13) break;
    if (b == 92) {
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

function lexBlockComment(start: i32): i32 {
  let j = start + 2;
  const firstLines = lineCount;
  while (j < length) {
    j = skipToAny(j, 42, 10, 13);
    if (j >= length) break;
    const b = at(j);
    if (b == 42 && at(j + 1) == 47) {
      noteComment(start + 2, j);
      return j + 2;
    }
    if (b == 10 || b == 13) {
      j += b == 13 && at(j + 1) == 10 ? 2 : 1;
      newLine(j);
      continue;
    }
    j++;
  }
  // Unterminated: keep the comment to its first line so the rest of the file is still scanned.
  lineCount = firstLines;
  addEvent(EVENT_UNTERMINATED_COMMENT, start, 0, 0, 0, 0);
  let end = start + 2;
  while (end < length && at(end) != 10 && at(end) != 13) end++;
  return end;
}

/** Record a comment whose text may start with `vmsport-ignore`; the JavaScript side checks the rest. */
function noteComment(start: i32, end: i32): void {
  let j = start;
  while (j < end) {
    const b = at(j);
    if (b != 32 && b != 9 && b != 42 && b != 47) break;
    j++;
  }
  if (at(j) != 118 || at(j + 1) != 109 || at(j + 2) != 115) return;
  addEvent(EVENT_COMMENT, j, end, start - 2, 0, 0);
}
