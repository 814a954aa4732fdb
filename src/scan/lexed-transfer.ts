/**
 * Moving a lexed file from a worker thread to the calling thread without copying it twice. The lexer fills
 * token arrays that it reuses for the next file, so the worker copies the used part of them into a
 * `TokenBuffer` and transfers that buffer and the file's bytes with `postMessage`. The files of one message
 * share one token buffer: each transferred ArrayBuffer costs an allocation and a detach in the worker and a
 * new ArrayBuffer object in the receiving thread.
 */

import type { FunctionBody } from "./declarations.js";
import type { LexedSource } from "./file-scan.js";
import type { LexedFile } from "./lexer.js";
import type { FileEncoding } from "./types.js";

/** A `LexedSource` as plain data whose two ArrayBuffers can be transferred. */
export interface PackedLexedSource {
  /** The whole ArrayBuffer of the file's bytes as read. */
  content: ArrayBuffer;
  /** Bytes before the lexed text: the length of the UTF-8 byte order mark, or 0. */
  textOffset: number;
  encoding: FileEncoding;
  /**
   * The ArrayBuffer that contains this file's tokens, perhaps with other files' tokens: starts, ends, values
   * (Int32), lineStarts (Int32), then kinds, flags, states (Uint8), from `tokensOffset` on.
   */
  tokens: ArrayBuffer;
  /** Byte offset of this file's tokens in `tokens`, a multiple of 4. */
  tokensOffset: number;
  count: number;
  lineCount: number;
  comments: LexedFile["comments"];
  macroEvents: LexedFile["macroEvents"];
  defineNames: LexedFile["defineNames"];
  problems: LexedFile["problems"];
  /** `LexedSource.top` with its set of names as an array. */
  top?: { functions: FunctionBody[]; definedFunctions: string[]; externalNames: number[] };
}

/** An ArrayBuffer that the tokens of one or more files are packed into, front to back. */
export class TokenBuffer {
  readonly buffer: ArrayBuffer;
  /** Bytes taken by the files packed so far, a multiple of 4. */
  used = 0;

  constructor(capacity: number) {
    // Every byte handed out is written by `packLexedSource`, so the buffer need not be zeroed. A slow
    // buffer owns its whole ArrayBuffer.
    this.buffer = Buffer.allocUnsafeSlow(capacity).buffer as ArrayBuffer;
  }

  /** Test whether `bytes` more bytes fit after the used part. */
  fits(bytes: number): boolean {
    return this.used + bytes <= this.buffer.byteLength;
  }
}

/** Bytes a file's tokens take in a `TokenBuffer`, rounded up to 4 so that the next file's Int32 part is aligned. */
export function packedTokenBytes(file: LexedFile): number {
  return (file.count * 15 + file.lineCount * 4 + 3) & ~3;
}

/**
 * Copy a lexed file into transferable form, its tokens into `tokens` after the used part, or into a buffer of
 * their own without it. `content` must own its ArrayBuffer from offset 0 (as `Buffer.allocUnsafeSlow`
 * returns it), because the whole buffer is transferred.
 */
export function packLexedSource(source: LexedSource, tokens?: TokenBuffer): PackedLexedSource {
  const { content, file } = source;
  if (content.byteOffset !== 0 || content.byteLength !== content.buffer.byteLength)
    throw new Error("packLexedSource needs a buffer that owns its whole ArrayBuffer");
  const { count, lineCount } = file;
  const size = packedTokenBytes(file);
  const target = tokens ?? new TokenBuffer(size);
  if (!target.fits(size)) throw new Error("packLexedSource was given a token buffer that is too small");
  const offset = target.used;
  target.used += size;
  const int32 = new Int32Array(target.buffer, offset, count * 3 + lineCount);
  int32.set(file.starts.subarray(0, count), 0);
  int32.set(file.ends.subarray(0, count), count);
  int32.set(file.values.subarray(0, count), count * 2);
  int32.set(file.lineStarts.subarray(0, lineCount), count * 3);
  const uint8 = new Uint8Array(target.buffer, offset + (count * 3 + lineCount) * 4, count * 3);
  uint8.set(file.kinds.subarray(0, count), 0);
  uint8.set(file.flags.subarray(0, count), count);
  uint8.set(file.states.subarray(0, count), count * 2);
  return {
    content: content.buffer as ArrayBuffer,
    textOffset: file.bytes.byteOffset - content.byteOffset,
    encoding: source.encoding,
    tokens: target.buffer,
    tokensOffset: offset,
    count,
    lineCount,
    comments: file.comments,
    macroEvents: file.macroEvents,
    defineNames: file.defineNames,
    problems: file.problems,
    ...(source.top
      ? {
          top: {
            functions: source.top.functions,
            definedFunctions: [...source.top.definedFunctions],
            externalNames: source.top.externalNames,
          },
        }
      : {}),
  };
}

/**
 * Return the ArrayBuffers of a packed file, for the transfer list of `postMessage`. A message with several
 * files that share a token buffer must list that buffer once.
 */
export function transferablesOf(packed: PackedLexedSource): ArrayBuffer[] {
  return [packed.content, packed.tokens];
}

/** Rebuild a `LexedSource` from its packed form. Its arrays are views of the received buffers. */
export function unpackLexedSource(packed: PackedLexedSource): LexedSource {
  const { count, lineCount, tokens, tokensOffset } = packed;
  const content = Buffer.from(packed.content);
  const uint8Start = tokensOffset + (count * 3 + lineCount) * 4;
  const file: LexedFile = {
    bytes: content.subarray(packed.textOffset),
    count,
    starts: new Int32Array(tokens, tokensOffset, count),
    ends: new Int32Array(tokens, tokensOffset + count * 4, count),
    values: new Int32Array(tokens, tokensOffset + count * 8, count),
    lineStarts: new Int32Array(tokens, tokensOffset + count * 12, lineCount),
    kinds: new Uint8Array(tokens, uint8Start, count),
    flags: new Uint8Array(tokens, uint8Start + count, count),
    states: new Uint8Array(tokens, uint8Start + count * 2, count),
    lineCount,
    comments: packed.comments,
    macroEvents: packed.macroEvents,
    defineNames: packed.defineNames,
    problems: packed.problems,
  };
  const { top } = packed;
  if (top === undefined) return { content, encoding: packed.encoding, file };
  return {
    content,
    encoding: packed.encoding,
    file,
    top: { ...top, definedFunctions: new Set(top.definedFunctions) },
  };
}
