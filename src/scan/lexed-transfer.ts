/**
 * Moving a lexed file from a worker thread to the calling thread without copying it twice. The lexer fills
 * token arrays that it reuses for the next file, so the worker copies the used part of them into one
 * ArrayBuffer and transfers that buffer and the file's bytes with `postMessage`.
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
  /** starts, ends, values (Int32), lineStarts (Int32), then kinds, flags, states (Uint8). */
  tokens: ArrayBuffer;
  count: number;
  lineCount: number;
  comments: LexedFile["comments"];
  macroEvents: LexedFile["macroEvents"];
  defineNames: LexedFile["defineNames"];
  problems: LexedFile["problems"];
  /** `LexedSource.top` with its set of names as an array. */
  top?: { functions: FunctionBody[]; definedFunctions: string[]; externalNames: number[] };
}

/**
 * Copy a lexed file into transferable form. `content` must own its ArrayBuffer from offset 0 (as
 * `Buffer.allocUnsafeSlow` returns it), because the whole buffer is transferred.
 */
export function packLexedSource(source: LexedSource): PackedLexedSource {
  const { content, file } = source;
  if (content.byteOffset !== 0 || content.byteLength !== content.buffer.byteLength)
    throw new Error("packLexedSource needs a buffer that owns its whole ArrayBuffer");
  const { count, lineCount } = file;
  // Every byte is written below, so the buffer need not be zeroed. A slow buffer owns its whole ArrayBuffer.
  const tokens = Buffer.allocUnsafeSlow(count * 15 + lineCount * 4).buffer as ArrayBuffer;
  const int32 = new Int32Array(tokens, 0, count * 3 + lineCount);
  int32.set(file.starts.subarray(0, count), 0);
  int32.set(file.ends.subarray(0, count), count);
  int32.set(file.values.subarray(0, count), count * 2);
  int32.set(file.lineStarts.subarray(0, lineCount), count * 3);
  const uint8 = new Uint8Array(tokens, (count * 3 + lineCount) * 4, count * 3);
  uint8.set(file.kinds.subarray(0, count), 0);
  uint8.set(file.flags.subarray(0, count), count);
  uint8.set(file.states.subarray(0, count), count * 2);
  return {
    content: content.buffer as ArrayBuffer,
    textOffset: file.bytes.byteOffset - content.byteOffset,
    encoding: source.encoding,
    tokens,
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

/** Return the ArrayBuffers of a packed file, for the transfer list of `postMessage`. */
export function transferablesOf(packed: PackedLexedSource): ArrayBuffer[] {
  return [packed.content, packed.tokens];
}

/** Rebuild a `LexedSource` from its packed form. Its arrays are views of the received buffers. */
export function unpackLexedSource(packed: PackedLexedSource): LexedSource {
  const { count, lineCount, tokens } = packed;
  const content = Buffer.from(packed.content);
  const uint8Start = (count * 3 + lineCount) * 4;
  const file: LexedFile = {
    bytes: content.subarray(packed.textOffset),
    count,
    starts: new Int32Array(tokens, 0, count),
    ends: new Int32Array(tokens, count * 4, count),
    values: new Int32Array(tokens, count * 8, count),
    lineStarts: new Int32Array(tokens, count * 12, lineCount),
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
