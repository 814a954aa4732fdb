/**
 * The parser side of a parallel parse. It parses the blocks of a log that the coordinator in `parallel.ts`
 * sends, and keeps each parser and its formatted steps until the coordinator sends their index offset. It
 * runs in a worker thread (`block-worker.ts`) or, in tests, in the calling thread.
 */
import type { BuildStep } from "../model/steps.js";
import { compdbEntry, formatCompdbEntry } from "../report/compdb.js";
import type { TrackerSnapshot } from "./directory.js";
import { ContinuationJoiner, readLinesFromBuffer } from "./lines.js";
import {
  type BoundaryState,
  LogParser,
  type ParseTotals,
  type StartDependencies,
  type WindowQuery,
} from "./parser.js";
import type { ResponseFileReader } from "./response.js";
import type { ParseFormat } from "./step-format.js";

/** Settings shared by every block of one parse. */
export interface BlockSettings {
  /** Name recorded in each step's `origin.file`. */
  file: string;
  initialDirectory: string;
  responseFileRoots: string[];
  format: ParseFormat;
  /** Base of relative directories in compdb output. */
  baseDirectory: string;
}

/** A block of whole lines: its bytes and the number of lines of the log before it. */
export interface Block {
  bytes: Uint8Array;
  linesBefore: number;
}

export type HostRequest =
  /** Parses a block with a new parser, starting from `start`, or from the log's start when undefined. */
  | { type: "parse"; parser: number; block: Block; start: TrackerSnapshot | undefined }
  /** Parses the next block with an existing parser, whose state is the real state before that block. */
  | { type: "continue"; parser: number; block: Block }
  /**
   * Returns the steps that left the parser's window, numbered from `indexOffset`. With `final`, the parser
   * is finished first, so its last steps are included, and then forgotten. In the JSON array formats every
   * entry starts with `,\n`, so the caller drops the comma before the first entry of the whole output.
   */
  | { type: "flush"; parser: number; indexOffset: number; final: boolean }
  /** Gives an accepted parser the values of the real state before its start that it did not replace. */
  | { type: "inherit"; parser: number; state: BoundaryState }
  /** Asks whether a step in the parser's window matches any of the queries. */
  | { type: "probe"; parser: number; queries: WindowQuery[] }
  /** Forgets a parser whose start guess was wrong. */
  | { type: "drop"; parser: number };

/** A request sent to a worker thread, with the number that its reply carries back. */
export interface RequestMessage {
  type: "request";
  id: number;
  request: HostRequest;
}

/** A worker thread's reply to the `RequestMessage` with the same `id`. */
export interface ReplyMessage {
  id: number;
  reply: HostReply;
}

/** Gives a `flushed` reply's output buffer back to the worker that wrote it. The worker sends no reply. */
export interface RecycleMessage {
  type: "recycle";
  buffer: ArrayBuffer;
}

export type HostReply =
  | {
      type: "parsed";
      /**
       * The block's bytes, handed back so that the coordinator can send them again or reuse their memory
       * without keeping a copy while the block is parsed.
       */
      bytes: Uint8Array;
      /** Steps the parser has created in all its blocks. */
      stepCount: number;
      state: BoundaryState;
      dependencies: StartDependencies;
    }
  | {
      type: "flushed";
      /** The formatted steps as UTF-8. */
      output: Uint8Array;
      entries: number;
      /** True when a flushed step was recognised, that is of a kind other than `unknown`. */
      recognised: boolean;
      /** The parser's counts, after a final flush. */
      totals: ParseTotals | undefined;
    }
  | { type: "probed"; matched: boolean }
  | { type: "inherited" }
  | { type: "dropped" };

/**
 * The requests a block host has received and not yet handled. A `parse` request starts a new parser that
 * nothing else refers to until it replies, so every other request may go ahead of it. The coordinator
 * waits for those others (continued parses, flushes, probes) before it can accept the next block, so
 * handling them first keeps the hosts from idling while one works through its queue of new blocks. The
 * coordinator in `parallel.ts` sends every other request only once the `parse` of its parser has replied,
 * so this order never changes a reply.
 */
export class HostRequestQueue<T> {
  private readonly parses: T[] = [];
  private readonly others: T[] = [];

  push(request: HostRequest, item: T): void {
    if (request.type === "parse") this.parses.push(item);
    else this.others.push(item);
  }

  /** Removes and returns the item to handle next. */
  shift(): T | undefined {
    return this.others.length > 0 ? this.others.shift() : this.parses.shift();
  }

  get size(): number {
    return this.parses.length + this.others.length;
  }
}

interface HeldParser {
  parser: LogParser;
  /** Steps that left the window, formatted without their index. */
  formatted: FormattedSteps;
}

/** Smallest buffer the pool allocates, so that the small outputs of short blocks can share buffers. */
const MIN_POOLED_BYTES = 256 * 1024;
/** Bytes of free buffers kept per block host; buffers beyond this are left to the garbage collector. */
const MAX_FREE_BYTES = 8 << 20;

/**
 * Byte buffers that a block host reuses for formatted steps and for its output, so that steady parsing
 * allocates little new memory outside the JavaScript heap. Fresh megabyte buffers cost page faults when first
 * written, and freed ones stay mapped until the owning thread's next garbage collection.
 */
export class ByteBufferPool {
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;

  constructor(private readonly maxFreeBytes = MAX_FREE_BYTES) {}

  /** Returns a buffer of at least `size` bytes: the smallest free one that fits, or a new one. */
  acquire(size: number): ArrayBuffer {
    let best = -1;
    for (let k = 0; k < this.free.length; k++) {
      const length = (this.free[k] as ArrayBuffer).byteLength;
      if (length >= size && (best < 0 || length < (this.free[best] as ArrayBuffer).byteLength)) best = k;
    }
    // An eighth more than requested lets the buffer serve slightly larger requests later.
    if (best < 0) return new ArrayBuffer(Math.max(Math.ceil(size * 1.125), MIN_POOLED_BYTES));
    const buffer = this.free.splice(best, 1)[0] as ArrayBuffer;
    this.freeBytes -= buffer.byteLength;
    return buffer;
  }

  /**
   * Takes back a buffer that nothing reads any more. A full pool keeps its larger buffers, because a large
   * buffer serves any request and a small one only small requests.
   */
  release(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return;
    this.free.push(buffer);
    this.freeBytes += buffer.byteLength;
    if (this.freeBytes <= this.maxFreeBytes) return;
    this.free.sort((a, b) => b.byteLength - a.byteLength);
    while (this.freeBytes > this.maxFreeBytes && this.free.length > 1)
      this.freeBytes -= (this.free.pop() as ArrayBuffer).byteLength;
  }

  /** Number of free buffers, for tests. */
  get freeCount(): number {
    return this.free.length;
  }
}

/**
 * Steps that left a parser's window, formatted as soon as they did, while their index offset is not known
 * yet. Keeping the text as UTF-8 bytes outside the JavaScript heap, instead of keeping the step objects,
 * spares the garbage collector from moving thousands of steps to the old generation and back.
 *
 * Every step's JSON starts with `{"kind":"…","index":N`, because `createStep` puts these fields first. The
 * bytes after that prefix are stored, and the prefix is written again with the final index.
 */
class FormattedSteps {
  private bytes: Buffer;
  private used = 0;
  /** Per step: kind, index within the parser, and byte length of the stored text. */
  private readonly kinds: string[] = [];
  private readonly indexes: number[] = [];
  private readonly lengths: number[] = [];

  constructor(
    private readonly format: ParseFormat,
    private readonly baseDirectory: string,
    private readonly buffers: ByteBufferPool,
  ) {
    this.bytes = Buffer.from(buffers.acquire(MIN_POOLED_BYTES));
  }

  add(step: BuildStep): void {
    let text: string;
    if (this.format === "compdb") {
      if (step.kind !== "compile") return;
      text = formatCompdbEntry(compdbEntry(step, this.baseDirectory));
    } else if (this.format === "text") {
      // The text format has no entries, but `recognised` still needs the kinds.
      text = "";
    } else {
      const json = JSON.stringify(step);
      const prefix = `{"kind":"${step.kind}","index":${step.index}`;
      if (!json.startsWith(prefix)) throw new Error(`step JSON does not start with ${prefix}`);
      text = json.slice(prefix.length);
    }
    const maxBytes = text.length * 3;
    if (this.used + maxBytes > this.bytes.length) {
      const grown = Buffer.from(this.buffers.acquire(Math.max(2 * this.bytes.length, this.used + maxBytes)));
      this.bytes.copy(grown, 0, 0, this.used);
      this.buffers.release(this.bytes.buffer as ArrayBuffer);
      this.bytes = grown;
    }
    const length = this.bytes.write(text, this.used, "utf8");
    this.used += length;
    this.kinds.push(step.kind);
    this.indexes.push(step.index);
    this.lengths.push(length);
  }

  /**
   * Writes the stored steps with their final indexes into a buffer of the pool and empties the store. The
   * caller gives the buffer back with `ByteBufferPool.release` once it has written it.
   */
  take(indexOffset: number): { output: Uint8Array; entries: number; recognised: boolean } {
    const count = this.kinds.length;

    // The prefixes are built first because the output's size must be known to pick its buffer.
    const prefixes: string[] = [];
    let size = 0;
    let recognised = false;
    for (let k = 0; k < count; k++) {
      const kind = this.kinds[k] as string;
      if (kind !== "unknown") recognised = true;
      let prefix: string;
      if (this.format === "jsonl")
        prefix = `{"kind":"${kind}","index":${(this.indexes[k] as number) + indexOffset}`;
      else if (this.format === "json")
        prefix = `,\n{"kind":"${kind}","index":${(this.indexes[k] as number) + indexOffset}`;
      else if (this.format === "compdb") prefix = ",\n";
      else prefix = "";
      prefixes.push(prefix);
      size += prefix.length + (this.lengths[k] as number) + (this.format === "jsonl" ? 1 : 0);
    }

    const output =
      this.format === "text" || size === 0
        ? new Uint8Array(0)
        : new Uint8Array(this.buffers.acquire(size), 0, size);
    const view = Buffer.from(output.buffer, output.byteOffset, output.byteLength);
    let at = 0;
    let from = 0;
    for (let k = 0; k < count && this.format !== "text"; k++) {
      // Prefixes are ASCII: kinds, digits and JSON punctuation.
      at += view.write(prefixes[k] as string, at, "latin1");
      const length = this.lengths[k] as number;
      this.bytes.copy(view, at, from, from + length);
      at += length;
      from += length;
      if (this.format === "jsonl") view[at++] = 10;
    }

    const entries = this.format === "text" ? 0 : count;
    this.kinds.length = 0;
    this.indexes.length = 0;
    this.lengths.length = 0;
    this.used = 0;
    return { output, entries, recognised };
  }

  /** Gives the store's memory back to the pool; the store must not be used after this. */
  dispose(): void {
    this.buffers.release(this.bytes.buffer as ArrayBuffer);
    this.bytes = Buffer.alloc(0);
  }
}

export class BlockParserHost {
  private readonly parsers = new Map<number, HeldParser>();
  private readonly buffers = new ByteBufferPool();

  constructor(
    private readonly settings: BlockSettings,
    private readonly readResponseFile: ResponseFileReader | undefined,
  ) {}

  handle(request: HostRequest): HostReply {
    switch (request.type) {
      case "parse": {
        const entry: HeldParser = {
          parser: new LogParser({
            file: this.settings.file,
            initialDirectory: this.settings.initialDirectory,
            readResponseFile: this.readResponseFile,
            responseFileRoots: this.settings.responseFileRoots,
            start: request.start,
          }),
          formatted: new FormattedSteps(this.settings.format, this.settings.baseDirectory, this.buffers),
        };
        this.parsers.set(request.parser, entry);
        return this.parseBlock(entry, request.block);
      }
      case "continue":
        return this.parseBlock(this.heldParser(request.parser), request.block);
      case "flush":
        return this.flush(request);
      case "inherit":
        this.heldParser(request.parser).parser.inherit(request.state);
        return { type: "inherited" };
      case "probe":
        return {
          type: "probed",
          matched: this.heldParser(request.parser).parser.windowMatches(request.queries),
        };
      case "drop":
        this.heldParser(request.parser).formatted.dispose();
        this.parsers.delete(request.parser);
        return { type: "dropped" };
    }
  }

  /** Takes back the buffer of a `flushed` reply's output once the coordinator has written it. */
  recycle(buffer: ArrayBuffer): void {
    this.buffers.release(buffer);
  }

  /** Number of free buffers in the host's pool, for tests. */
  get freeBuffers(): number {
    return this.buffers.freeCount;
  }

  private heldParser(id: number): HeldParser {
    const entry = this.parsers.get(id);
    if (!entry) throw new Error(`no parser ${id} in this block host`);
    return entry;
  }

  private parseBlock(entry: HeldParser, block: Block): HostReply {
    const bytes = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
    const joiner = new ContinuationJoiner();
    const { parser, formatted } = entry;
    for (const batch of readLinesFromBuffer(bytes, block.linesBefore)) {
      for (const line of joiner.push(batch)) {
        for (const step of parser.push(line)) formatted.add(step);
      }
    }
    // Blocks end at a line that does not continue, except the log's last block.
    for (const line of joiner.finish()) {
      for (const step of parser.push(line)) formatted.add(step);
    }
    return {
      type: "parsed",
      bytes: block.bytes,
      stepCount: parser.stepCount,
      state: parser.boundaryState(),
      dependencies: parser.dependencies(),
    };
  }

  private flush(request: Extract<HostRequest, { type: "flush" }>): HostReply {
    const entry = this.heldParser(request.parser);
    let totals: ParseTotals | undefined;
    if (request.final) {
      for (const step of entry.parser.finish().steps) entry.formatted.add(step);
      totals = entry.parser.totals();
      this.parsers.delete(request.parser);
    }
    const { output, entries, recognised } = entry.formatted.take(request.indexOffset);
    if (request.final) entry.formatted.dispose();
    return { type: "flushed", output, entries, recognised, totals };
  }
}
