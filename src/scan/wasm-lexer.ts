/**
 * Loading and calling the WebAssembly lexer core (assembly/lexer.ts, built into dist/scan/lexer.wasm by
 * `npm run build`). This module owns the instance's linear memory: it places the symbol table, the input and
 * the output arrays, and returns views of them.
 */

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SymbolTable } from "./symbols.js";

// NOTE: the project's TypeScript settings (lib ES2023, Node.js types) declare no WebAssembly API, so the
// part this module uses is declared here.
declare global {
  namespace WebAssembly {
    class Module {
      constructor(bytes: Uint8Array);
    }
    class Instance {
      constructor(module: Module, imports: Record<string, unknown>);
      readonly exports: Record<string, unknown>;
    }
    class Memory {
      readonly buffer: ArrayBuffer;
      grow(pages: number): number;
    }
  }
}

interface LexerExports {
  memory: WebAssembly.Memory;
  initialize(): void;
  heapBase(): number;
  setSymbols(slots: number, hashes: number, mask: number, names: number): void;
  configure(
    bytes: number,
    kinds: number,
    flags: number,
    starts: number,
    ends: number,
    values: number,
    lines: number,
    events: number,
    maxTokens: number,
    maxLines: number,
    maxEvents: number,
  ): void;
  lex(size: number): number;
  tokenCount(): number;
  lineStartCount(): number;
  eventTotal(): number;
}

/** Event types of the core, the first i32 of each event. */
export enum LexEvent {
  /**
   * A conditional or a #define or #undef, at the end of its line: its number in DIRECTIVE_NAMES, its first
   * token after the name, the token count at the end of the line, and the token it defines or -1.
   */
  Directive = 1,
  /** offset, quote byte */
  UnterminatedQuote = 2,
  /** offset */
  UnterminatedRaw = 3,
  /** offset */
  UnterminatedComment = 4,
  /** text start, text end, comment start */
  Comment = 5,
  /** token */
  SplicedIdentifier = 7,
}

/** Directive names by the number the core gives them; 0 is any other directive. */
export const DIRECTIVE_NAMES = [
  "",
  "if",
  "ifdef",
  "ifndef",
  "elif",
  "elifdef",
  "elifndef",
  "else",
  "endif",
  "define",
  "undef",
  "include",
  "include_next",
  "import",
] as const;

/** Highest number in DIRECTIVE_NAMES of a conditional directive. */
export const LAST_CONDITION_DIRECTIVE = 8;

/** i32 slots per event. */
export const EVENT_SLOTS = 6;

/** Zero bytes after the input, which the core may read instead of testing the length. */
const INPUT_PADDING = 32;
const PAGE_SIZE = 65536;

/**
 * Output of one run of the core. The arrays are views of its memory, valid until the next run, and longer
 * than the counts.
 */
export interface CoreTokens {
  count: number;
  kinds: Uint8Array;
  flags: Uint8Array;
  /** Not written by the core: room for the branch states. */
  states: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  values: Int32Array;
  lineStarts: Int32Array;
  lineCount: number;
  /** `EVENT_SLOTS` i32 per event. */
  events: Int32Array;
  eventCount: number;
}

/** Views of the arrays in the core's memory, for inputs of up to `capacity` bytes. */
interface Layout {
  capacity: number;
  maxTokens: number;
  maxLines: number;
  maxEvents: number;
  input: Uint8Array;
  kinds: Uint8Array;
  flags: Uint8Array;
  states: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  values: Int32Array;
  lineStarts: Int32Array;
  events: Int32Array;
}

const WASM_CANDIDATES = [
  // Next to the compiled module in dist/scan.
  new URL("./lexer.wasm", import.meta.url),
  // Next to the TypeScript source, as vitest runs it: the build's output in the same package.
  new URL("../../dist/scan/lexer.wasm", import.meta.url),
];

let compiled: WebAssembly.Module | undefined;

/** Compile the core from the file the build wrote. */
export function lexerModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const found = WASM_CANDIDATES.map((url) => fileURLToPath(url)).find((path) => existsSync(path));
  if (found === undefined)
    throw new Error(
      `the WebAssembly lexer ${fileURLToPath(WASM_CANDIDATES[0] as URL)} is missing; run npm run build`,
    );
  compiled = new WebAssembly.Module(readFileSync(found));
  return compiled;
}

/** Input capacity of the first layout, in bytes. */
const FIRST_CAPACITY = 256 * 1024;

class LexerCore {
  readonly exports: LexerExports;
  symbols: SymbolTable | undefined;
  /** First address after the symbol table, where the layout starts. */
  dataStart = 0;
  layout: Layout | undefined;

  constructor(module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as LexerExports;
    this.exports.initialize();
  }

  /** Make the memory at least `bytes` long. */
  reserve(bytes: number): void {
    const memory = this.exports.memory;
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE_SIZE));
  }

  useSymbols(table: SymbolTable): void {
    if (this.symbols === table) return;
    const base = align(this.exports.heapBase(), 8);
    const slotsAt = base;
    const hashesAt = slotsAt + table.slots.byteLength;
    const namesAt = hashesAt + table.hashes.byteLength;
    let textAt = namesAt + table.bytes.length * 8;
    const textBytes = table.bytes.reduce((sum, name) => sum + name.length, 0);
    this.reserve(textAt + textBytes);
    const buffer = this.exports.memory.buffer;
    new Int32Array(buffer, slotsAt, table.slots.length).set(table.slots);
    new Int32Array(buffer, hashesAt, table.hashes.length).set(table.hashes);
    const names = new Int32Array(buffer, namesAt, table.bytes.length * 2);
    const memory = new Uint8Array(buffer);
    for (const [id, name] of table.bytes.entries()) {
      names[id * 2] = textAt;
      names[id * 2 + 1] = name.length;
      memory.set(name, textAt);
      textAt += name.length;
    }
    this.exports.setSymbols(slotsAt, hashesAt, table.mask, namesAt);
    this.symbols = table;
    this.dataStart = align(textAt, 8);
    // A layout placed after an older, shorter table may overlap this one.
    this.layout = undefined;
  }

  /** Place the input and output arrays with room for the given numbers of entries, and tell the core. */
  place(capacity: number, maxTokens: number, maxLines: number, maxEvents: number): Layout {
    const bytesAt = this.dataStart;
    const kindsAt = align(bytesAt + capacity + INPUT_PADDING, 8);
    const flagsAt = align(kindsAt + maxTokens, 8);
    const statesAt = align(flagsAt + maxTokens, 8);
    const startsAt = align(statesAt + maxTokens, 8);
    const endsAt = startsAt + maxTokens * 4;
    const valuesAt = endsAt + maxTokens * 4;
    const linesAt = valuesAt + maxTokens * 4;
    const eventsAt = linesAt + maxLines * 4;
    this.reserve(eventsAt + maxEvents * EVENT_SLOTS * 4);

    const buffer = this.exports.memory.buffer;
    this.exports.configure(
      bytesAt,
      kindsAt,
      flagsAt,
      startsAt,
      endsAt,
      valuesAt,
      linesAt,
      eventsAt,
      maxTokens,
      maxLines,
      maxEvents,
    );
    this.layout = {
      capacity,
      maxTokens,
      maxLines,
      maxEvents,
      input: new Uint8Array(buffer, bytesAt, capacity + INPUT_PADDING),
      kinds: new Uint8Array(buffer, kindsAt, maxTokens),
      flags: new Uint8Array(buffer, flagsAt, maxTokens),
      states: new Uint8Array(buffer, statesAt, maxTokens),
      starts: new Int32Array(buffer, startsAt, maxTokens),
      ends: new Int32Array(buffer, endsAt, maxTokens),
      values: new Int32Array(buffer, valuesAt, maxTokens),
      lineStarts: new Int32Array(buffer, linesAt, maxLines),
      events: new Int32Array(buffer, eventsAt, maxEvents * EVENT_SLOTS),
    };
    return this.layout;
  }

  run(bytes: Uint8Array, table: SymbolTable): CoreTokens {
    this.useSymbols(table);
    const length = bytes.length;
    let layout = this.layout;
    if (layout === undefined || layout.capacity < length) {
      // NOTE: these sizes are estimates with room to spare (Erlang/OTP 25 has one token per 6 bytes and one
      // line per 34). A file that needs more is lexed a second time with arrays of the size the first run
      // counted. Pages that no file reaches stay untouched, and the maximum resident set size of a scan of
      // Erlang/OTP did not change with this lexer (Linux).
      const capacity = Math.max(length, FIRST_CAPACITY, (layout?.capacity ?? 0) * 2);
      layout = this.place(capacity, (capacity >> 1) + 64, (capacity >> 3) + 64, (capacity >> 6) + 64);
    }
    layout.input.set(bytes);
    layout.input.fill(0, length, length + INPUT_PADDING);

    const exports = this.exports;
    let eventCount = exports.lex(length);
    if (eventCount < 0) {
      // The place() below keeps the input where it is, so the core can run again at once.
      layout = this.place(
        layout.capacity,
        Math.max(layout.maxTokens, exports.tokenCount()),
        Math.max(layout.maxLines, exports.lineStartCount()),
        Math.max(layout.maxEvents, exports.eventTotal()),
      );
      eventCount = exports.lex(length);
    }

    return {
      count: exports.tokenCount(),
      kinds: layout.kinds,
      flags: layout.flags,
      states: layout.states,
      starts: layout.starts,
      ends: layout.ends,
      values: layout.values,
      lineStarts: layout.lineStarts,
      lineCount: exports.lineStartCount(),
      events: layout.events,
      eventCount,
    };
  }
}

function align(address: number, to: number): number {
  return Math.ceil(address / to) * to;
}

let core: LexerCore | undefined;

/** Compile and instantiate the core in this thread now, instead of at the first `runLexerCore` call. */
export function prepareLexerCore(): void {
  core ??= new LexerCore(lexerModule());
}

/** Lex `bytes` with the WebAssembly core, instantiated on first use in each thread. */
export function runLexerCore(bytes: Uint8Array, table: SymbolTable): CoreTokens {
  core ??= new LexerCore(lexerModule());
  return core.run(bytes, table);
}
