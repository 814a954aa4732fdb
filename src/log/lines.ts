/**
 * Byte-level reading of a log: splitting into physical lines, decoding, CRLF and colour removal, and
 * joining backslash-newline continuations into logical lines. Everything here works chunk by chunk, so a
 * log of any size passes through with memory bounded by its longest logical line.
 */
import { isAscii, isUtf8 } from "node:buffer";

/** One logical line: physical lines joined at backslash-newline, with CR and CSI sequences removed. */
export interface LogicalLine {
  text: string;
  /** 1-based numbers of the first and last physical line. */
  startLine: number;
  endLine: number;
  /** True when the bytes were not valid UTF-8 and were decoded as Latin-1 (one character per byte). */
  latin1: boolean;
}

/** A physical line after decoding, before continuation joining. */
export interface PhysicalLine {
  text: string;
  line: number;
  latin1: boolean;
}

// Terminal control sequences: CSI (ESC [ parameters intermediates final), OSC strings and two-byte ESC forms.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC and BEL are the characters this pattern removes.
const CSI_PATTERN = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Removes terminal colour and cursor sequences, which compilers and redis' quiet rules emit. */
export function stripControlSequences(text: string): string {
  return text.includes("\x1b") ? text.replace(CSI_PATTERN, "") : text;
}

/**
 * Decodes one line's bytes: valid UTF-8 as UTF-8, anything else as Latin-1. Latin-1 maps each byte to the
 * code point of the same value, so `Buffer.from(text, "latin1")` gives the original bytes back.
 */
export function decodeLine(bytes: Buffer): { text: string; latin1: boolean } {
  if (isUtf8(bytes)) return { text: bytes.toString("utf8"), latin1: false };
  return { text: bytes.toString("latin1"), latin1: true };
}

/** Decodes and cleans one physical line's bytes as the reader does. */
export function cleanPhysicalLine(bytes: Buffer): string {
  return cleanLine(decodeLine(bytes).text);
}

function cleanLine(text: string): string {
  const withoutCr = text.endsWith("\r") ? text.slice(0, -1) : text;
  return stripControlSequences(withoutCr);
}

/**
 * Splits byte chunks into physical lines. Whole-line runs of a chunk are decoded at once when they are
 * valid UTF-8, which is the common case and much faster than decoding line by line.
 */
export async function* readPhysicalLines(
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<PhysicalLine[], void, void> {
  let carry: Buffer = Buffer.alloc(0);
  let lineNumber = 0;
  for await (const chunk of chunks) {
    const bytes =
      typeof chunk === "string"
        ? Buffer.from(chunk, "utf8")
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lastNewline = bytes.lastIndexOf(10);
    if (lastNewline < 0) {
      carry = carry.length === 0 ? Buffer.from(bytes) : Buffer.concat([carry, bytes]);
      continue;
    }
    // Only the line that the carry starts is joined into a new buffer, so the rest of the chunk is decoded
    // where it is. Each line is decoded as UTF-8 or Latin-1 on its own either way.
    let batch: PhysicalLine[] = [];
    let start = 0;
    if (carry.length > 0) {
      const firstNewline = bytes.indexOf(10);
      batch = splitLines(Buffer.concat([carry, bytes.subarray(0, firstNewline)]), lineNumber);
      start = firstNewline + 1;
    }
    if (start <= lastNewline)
      splitLines(bytes.subarray(start, lastNewline), lineNumber + batch.length, batch);
    carry = Buffer.from(bytes.subarray(lastNewline + 1));
    lineNumber += batch.length;
    yield batch;
  }
  if (carry.length > 0) {
    const batch = splitLines(carry, lineNumber);
    yield batch;
  }
}

/** Decodes valid UTF-8 `bytes` whole and appends its lines to `lines`. */
function splitDecoded(bytes: Buffer, firstLineIndex: number, lines: PhysicalLine[]): void {
  const parts = bytes.toString("utf8").split("\n");
  for (let i = 0; i < parts.length; i++) {
    lines.push({ text: cleanLine(parts[i] as string), line: firstLineIndex + i + 1, latin1: false });
  }
}

/**
 * Splits valid UTF-8 that is not all ASCII: each line with a byte over 0x7F is decoded on its own, and the
 * runs of ASCII lines between them are decoded whole. V8 stores a string with any character above U+00FF
 * (such as the quotes in gcc's messages) in two bytes per character, and every line split from it shares
 * that form. The JSON and DCL built from such lines were slower to write.
 */
function splitUtf8(bytes: Buffer, firstLineIndex: number, lines: PhysicalLine[]): void {
  // `lines` may hold lines from before `bytes`, which `firstLineIndex` already counts.
  const before = lines.length;
  let runStart = 0;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(10, start);
    const lineEnd = end < 0 ? bytes.length : end;
    const line = bytes.subarray(start, lineEnd);
    if (!isAscii(line)) {
      // The run contains the lines from runStart up to the line feed before this line.
      if (start > runStart)
        splitDecoded(bytes.subarray(runStart, start - 1), firstLineIndex + lines.length - before, lines);
      const number = firstLineIndex + lines.length - before + 1;
      lines.push({ text: cleanLine(line.toString("utf8")), line: number, latin1: false });
      runStart = lineEnd + 1;
    }
    if (end < 0) break;
    start = end + 1;
  }
  if (runStart <= bytes.length)
    splitDecoded(bytes.subarray(runStart), firstLineIndex + lines.length - before, lines);
}

/**
 * Bytes of a log held in memory that are split into lines at a time. Splitting the whole log at once would
 * keep a line object for every line of it alive until the parser is done, which costs the garbage collector
 * far more than the same lines passed on in small batches.
 */
const BUFFER_BATCH_BYTES = 64 * 1024;

/**
 * Splits a whole log held in memory into physical lines, in batches of whole lines. `linesBefore` is the
 * number of lines before `bytes` when they are a part of a longer log.
 */
export function* readLinesFromBuffer(bytes: Buffer, linesBefore = 0): Generator<PhysicalLine[]> {
  if (bytes.length === 0) return;
  const body = bytes[bytes.length - 1] === 10 ? bytes.subarray(0, bytes.length - 1) : bytes;
  let start = 0;
  let lineNumber = linesBefore;
  for (;;) {
    const end = body.indexOf(10, start + BUFFER_BATCH_BYTES);
    const batch = splitLines(body.subarray(start, end < 0 ? body.length : end), lineNumber);
    lineNumber += batch.length;
    yield batch;
    if (end < 0) return;
    start = end + 1;
  }
}

/** Splits `bytes` into physical lines, appended to `lines`, and returns `lines`. */
function splitLines(bytes: Buffer, firstLineIndex: number, lines: PhysicalLine[] = []): PhysicalLine[] {
  if (isAscii(bytes)) {
    splitDecoded(bytes, firstLineIndex, lines);
    return lines;
  }
  if (isUtf8(bytes)) {
    splitUtf8(bytes, firstLineIndex, lines);
    return lines;
  }
  let start = 0;
  let index = 0;
  for (;;) {
    const end = bytes.indexOf(10, start);
    const slice = bytes.subarray(start, end < 0 ? bytes.length : end);
    const decoded = decodeLine(slice);
    lines.push({ text: cleanLine(decoded.text), line: firstLineIndex + index + 1, latin1: decoded.latin1 });
    index++;
    if (end < 0) break;
    start = end + 1;
  }
  return lines;
}

/**
 * Tells whether the physical line in `bytes` (without its newline) continues on the next line once it is
 * decoded and cleaned as the reader does.
 */
export function continuesOnNextLine(bytes: Buffer): boolean {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 13) end--;
  if (bytes.includes(0x1b)) return endsWithContinuation(cleanLine(decodeLine(bytes).text));
  // Without an escape sequence, cleaning removes at most the CR. A backslash byte is a backslash in UTF-8
  // and in Latin-1 alike, so the bytes can be counted without decoding.
  let count = 0;
  for (let k = end - 1; k >= 0 && bytes[k] === 92; k--) count++;
  return count % 2 === 1;
}

/** Counts the backslashes at the end of `text`; an odd count means the newline after it is escaped. */
function endsWithContinuation(text: string): boolean {
  let count = 0;
  for (let i = text.length - 1; i >= 0 && text.charCodeAt(i) === 92; i--) count++;
  return count % 2 === 1;
}

/**
 * Joins physical lines that end in an unescaped backslash with the line after them, dropping the
 * backslash and the newline as the shell does. Stateful across batches because a continuation may span
 * a chunk boundary.
 */
export class ContinuationJoiner {
  private pending: LogicalLine | undefined;

  /** Adds a batch of physical lines and returns the logical lines completed by it. */
  push(lines: readonly PhysicalLine[]): LogicalLine[] {
    const done: LogicalLine[] = [];
    for (const physical of lines) {
      const continued = endsWithContinuation(physical.text);
      const body = continued ? physical.text.slice(0, -1) : physical.text;
      if (this.pending) {
        this.pending.text += body;
        this.pending.endLine = physical.line;
        this.pending.latin1 ||= physical.latin1;
      } else {
        this.pending = {
          text: body,
          startLine: physical.line,
          endLine: physical.line,
          latin1: physical.latin1,
        };
      }
      if (!continued) {
        done.push(this.pending);
        this.pending = undefined;
      }
    }
    return done;
  }

  /** Returns the last logical line when the log ends inside a continuation. */
  finish(): LogicalLine[] {
    const rest = this.pending ? [this.pending] : [];
    this.pending = undefined;
    return rest;
  }
}
