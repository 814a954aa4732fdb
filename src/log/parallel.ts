/**
 * Parallel parsing of one log. The log is cut into blocks of whole lines, and worker threads parse the
 * blocks at the same time, each block with a new parser that starts from a guess of the directory state
 * before it. The guess comes from a quick scan of the directory messages of the blocks before. Blocks are
 * then accepted in log order. A block's steps are kept when its guess equals the state the parser of the
 * blocks before it ended in, when nothing else it read of that state differs, and when it created a full
 * window of steps (see `blockAccepted`). Otherwise the block is parsed
 * again by that parser, which holds the real state. The output is therefore the same as that of one parser
 * reading the whole log, and only the amount of work done twice depends on the log.
 */
import { Worker } from "node:worker_threads";
import type { LogDiagnostic, ParseSummary } from "../model/steps.js";
import type { Block, BlockSettings, HostReply, HostRequest } from "./block-host.js";
import { BlockParserHost } from "./block-host.js";
import {
  DirectoryTracker,
  parseDirectoryMessage,
  sameTrackerState,
  type TrackerSnapshot,
} from "./directory.js";
import { type LogChunks, probeBinary } from "./index.js";
import { cleanPhysicalLine, continuesOnNextLine } from "./lines.js";
import { parseMakingIn } from "./messages.js";
import {
  addTotals,
  type BoundaryState,
  LogParser,
  type ParseTotals,
  summaryDiagnostics,
  WINDOW_SIZE,
} from "./parser.js";
import type { ResponseFileReader } from "./response.js";

/** Workers that run `BlockParserHost`s, each handling its requests in the order they were sent. */
export interface BlockHostPool {
  readonly size: number;
  request(worker: number, request: HostRequest): Promise<HostReply>;
  close(): Promise<void>;
}

export interface ParallelOptions {
  /** Bytes of log per block; a block ends at the first line end at or after this size. */
  blockBytes: number;
  /** Blocks sent to the workers and not yet accepted, which bounds the memory the parse holds. */
  maxBlocksInFlight: number;
}

export type ParallelEvent =
  | { type: "output"; output: Uint8Array; entries: number; recognised: boolean }
  | { type: "end"; summary: ParseSummary; diagnostics: LogDiagnostic[] };

/** Default block size: large enough that boundaries are rare, small enough to keep both cores busy. */
export const DEFAULT_BLOCK_BYTES = 512 * 1024;

interface PendingBlock {
  id: number;
  block: Block;
  worker: number;
  /** Directory state the block's parser started from; undefined for the first block. */
  guess: TrackerSnapshot | undefined;
  reply: Promise<HostReply>;
  /** Settles once the block is accepted or parsed again. */
  decided: Promise<void>;
  /** The output that accepting the block released: the steps of the parser before it. */
  flush: Promise<HostReply> | undefined;
  /** The request that gave the block's parser the state it did not replace, when one was needed. */
  inherit: Promise<HostReply> | undefined;
}

/** The parser that has read every accepted block so far, and so holds the real state. */
interface Chain {
  worker: number;
  parser: number;
  /** Global index of the parser's first step. */
  indexOffset: number;
  stepCount: number;
  state: BoundaryState;
}

/**
 * Parses a log on the workers of `pool` and yields the formatted steps in log order, then the summary.
 * Throws a `UserError` when the log is binary.
 *
 * Three things run at once: reading and dispatching blocks, deciding on each block in log order as its
 * parse finishes, and yielding the output that each decision releases. Decisions wait only for parse
 * replies, never for output, so the workers stay busy while earlier output is written.
 */
export async function* parseInParallel(
  chunks: LogChunks,
  settings: BlockSettings,
  pool: BlockHostPool,
  options: ParallelOptions,
): AsyncGenerator<ParallelEvent, void, void> {
  const splitter = new BlockSplitter(options.blockBytes);
  const guess = new DirectoryGuess(settings.initialDirectory);
  const queue: PendingBlock[] = [];
  let nextId = 0;
  let chain: Chain | undefined;
  let lastDecision: Promise<void> = Promise.resolve();
  // The JSON array formats separate entries with `,\n`, which workers write before every entry. The
  // comma before the first entry of the output is dropped here.
  let dropComma = settings.format === "json" || settings.format === "compdb";
  let totals: ParseTotals | undefined;

  const requestFlush = (final: boolean): Promise<HostReply> => {
    const current = chain as Chain;
    const reply = pool.request(current.worker, {
      type: "flush",
      parser: current.parser,
      indexOffset: current.indexOffset,
      final,
    });
    // Awaited later, in log order; see `dispatch`.
    reply.catch(() => {});
    return reply;
  };

  // The chain's window is the real window before the block, so a miss that matches nothing there was a miss
  // for a parser that read the whole log too.
  const missesMatch = async (current: Chain, parsed: Extract<HostReply, { type: "parsed" }>) => {
    const queries = parsed.dependencies.windowMisses;
    if (queries.length === 0) return false;
    const reply = await pool.request(current.worker, { type: "probe", parser: current.parser, queries });
    return expectReply(reply, "probed").matched;
  };

  const decide = async (next: PendingBlock): Promise<void> => {
    const parsed = expectReply(await next.reply, "parsed");
    if (!chain) {
      chain = {
        worker: next.worker,
        parser: next.id,
        indexOffset: 0,
        stepCount: parsed.stepCount,
        state: parsed.state,
      };
      return;
    }
    if (blockAccepted(next.guess, parsed, chain.state) && !(await missesMatch(chain, parsed))) {
      next.flush = requestFlush(true);
      const before = chain.state;
      const state = inheritedState(parsed, before);
      if (
        state.diagnosticContextFile !== parsed.state.diagnosticContextFile ||
        state.pendingNinjaFailure !== parsed.state.pendingNinjaFailure
      ) {
        // Later requests to that parser queue behind this one, so they see the inherited values.
        next.inherit = pool.request(next.worker, { type: "inherit", parser: next.id, state: before });
        next.inherit.catch(() => {});
      }
      chain = {
        worker: next.worker,
        parser: next.id,
        indexOffset: chain.indexOffset + chain.stepCount,
        stepCount: parsed.stepCount,
        state,
      };
      return;
    }
    const dropped = pool.request(next.worker, { type: "drop", parser: next.id });
    dropped.catch(() => {});
    const again = expectReply(
      await pool.request(chain.worker, { type: "continue", parser: chain.parser, block: next.block }),
      "parsed",
    );
    expectReply(await dropped, "dropped");
    chain.stepCount = again.stepCount;
    chain.state = again.state;
    next.flush = requestFlush(false);
  };

  const dispatch = (block: Block) => {
    const id = nextId++;
    const worker = id % pool.size;
    const start = id === 0 ? undefined : guess.snapshot();
    guess.scan(Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength));
    const reply = pool.request(worker, { type: "parse", parser: id, block, start });
    const entry: PendingBlock = {
      id,
      block,
      worker,
      guess: start,
      reply,
      decided: lastDecision,
      flush: undefined,
      inherit: undefined,
    };
    entry.decided = lastDecision.then(() => decide(entry));
    // A rejection is raised where the entry is awaited, in log order; this keeps it from being reported
    // as unhandled before that.
    entry.decided.catch(() => {});
    lastDecision = entry.decided;
    queue.push(entry);
  };

  const release = async function* (flush: Promise<HostReply>): AsyncGenerator<ParallelEvent> {
    const reply = expectReply(await flush, "flushed");
    if (reply.totals) totals = totals ? addTotals(totals, reply.totals) : reply.totals;
    let output = reply.output;
    if (dropComma && reply.entries > 0) {
      output = output.subarray(1);
      dropComma = false;
    }
    // Yielded even when empty, because the text format has no output but `recognised` still counts.
    yield { type: "output", output, entries: reply.entries, recognised: reply.recognised };
  };

  const releaseOldest = async function* (): AsyncGenerator<ParallelEvent> {
    const oldest = queue.shift() as PendingBlock;
    await oldest.decided;
    if (oldest.inherit) expectReply(await oldest.inherit, "inherited");
    if (oldest.flush) yield* release(oldest.flush);
  };

  for await (const chunk of probeBinary(chunks, settings.file)) {
    for (const block of splitter.push(chunk)) {
      dispatch(block);
      while (queue.length >= options.maxBlocksInFlight) yield* releaseOldest();
    }
  }
  const last = splitter.finish();
  if (last) dispatch(last);
  while (queue.length > 0) yield* releaseOldest();
  if (chain) yield* release(requestFlush(true));

  totals ??= new LogParser({
    file: settings.file,
    initialDirectory: settings.initialDirectory,
    readResponseFile: undefined,
    responseFileRoots: [],
  }).totals();
  yield { type: "end", summary: totals.summary, diagnostics: summaryDiagnostics(totals) };
}

/**
 * Tells whether a block parsed from `guess` gave the steps that a parser in the real state `real` would
 * have given, and whether its parser can carry on for the blocks after it. Latin-1 directory names are
 * not guessed, so any of them before the block fails the check.
 */
function blockAccepted(
  guess: TrackerSnapshot | undefined,
  parsed: Extract<HostReply, { type: "parsed" }>,
  real: BoundaryState,
): boolean {
  const { dependencies } = parsed;
  if (guess === undefined || !sameTrackerState(guess, real.tracker)) return false;
  // The parser's window lacks the steps before its start. Once it holds a full window of its own steps,
  // it equals the window of a parser that read the whole log, so later blocks cannot reach further back.
  if (parsed.stepCount < WINDOW_SIZE) return false;
  if (real.latin1Directories.length > 0) return false;
  if (dependencies.readDiagnosticContext && real.diagnosticContextFile !== undefined) return false;
  if (dependencies.readPendingNinjaFailure && real.pendingNinjaFailure !== undefined) return false;
  return true;
}

/**
 * Returns the state after an accepted block: the block's own state, with the values of the state before
 * it that the block's parser never replaced. Those are the diagnostic context, which only compiler
 * messages set, and the pending ninja failure, which only command lines and ninja's FAILED lines set.
 */
function inheritedState(
  parsed: Extract<HostReply, { type: "parsed" }>,
  before: BoundaryState,
): BoundaryState {
  const { dependencies, state } = parsed;
  return {
    ...state,
    diagnosticContextFile: dependencies.wroteDiagnosticContext
      ? state.diagnosticContextFile
      : before.diagnosticContextFile,
    pendingNinjaFailure: dependencies.wrotePendingNinjaFailure
      ? state.pendingNinjaFailure
      : before.pendingNinjaFailure,
  };
}

function expectReply<T extends HostReply["type"]>(
  reply: HostReply,
  type: T,
): Extract<HostReply, { type: T }> {
  if (reply.type !== type) throw new Error(`block host replied ${reply.type} where ${type} was expected`);
  return reply as Extract<HostReply, { type: T }>;
}

/**
 * Cuts a stream of bytes into blocks of whole lines. A block never ends after a line that continues on
 * the next one (backslash-newline), so each block's logical lines are complete.
 */
export class BlockSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private linesBefore = 0;

  constructor(private readonly blockBytes: number) {}

  /** Adds a chunk and returns the blocks it completes. */
  push(chunk: Buffer | Uint8Array | string): Block[] {
    const bytes =
      typeof chunk === "string"
        ? Buffer.from(chunk, "utf8")
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.parts.push(bytes);
    this.size += bytes.length;
    const blocks: Block[] = [];
    while (this.size >= this.blockBytes) {
      const joined = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
      const cut = findCut(joined, this.blockBytes - 1);
      if (cut < 0) {
        this.parts = [joined];
        break;
      }
      // A copy, so the block does not keep the rest of a larger read buffer alive.
      blocks.push(this.take(Buffer.from(joined.subarray(0, cut))));
      const rest = joined.subarray(cut);
      this.parts = rest.length > 0 ? [rest] : [];
      this.size = rest.length;
    }
    return blocks;
  }

  /** Returns the bytes after the last block, if any. */
  finish(): Block | undefined {
    if (this.size === 0) return undefined;
    const bytes = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    return this.take(bytes);
  }

  private take(bytes: Buffer): Block {
    const block = { bytes, linesBefore: this.linesBefore };
    this.linesBefore += countLineEnds(bytes);
    return block;
  }
}

/** Returns the offset just after the first safe line end at or after `from`, or -1 if there is none. */
function findCut(bytes: Buffer, from: number): number {
  let newline = bytes.indexOf(10, from);
  while (newline >= 0) {
    const lineStart = bytes.lastIndexOf(10, newline - 1) + 1;
    if (!continuesOnNextLine(bytes.subarray(lineStart, newline))) return newline + 1;
    newline = bytes.indexOf(10, newline + 1);
  }
  return -1;
}

function countLineEnds(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

// Words of the lines that change the directory state: make's Entering and Leaving messages (English,
// German and French, as `directory.ts` recognises them), ninja's Entering, and automake's `Making all in`.
const DIRECTORY_WORDS = [
  "Entering directory",
  "Leaving directory",
  "wird betreten",
  "wird verlassen",
  "on entre dans le r",
  "on quitte le r",
  "Making ",
].map((word) => Buffer.from(word, "utf8"));

/**
 * A cheap estimate of the directory state at each block boundary: it applies only the directory messages
 * and `Making all in` lines, found by searching the bytes for their words. It misses the directories that
 * `make -C` implies and lines joined by backslash-newline, which only cost a block parsed twice.
 */
class DirectoryGuess {
  private readonly tracker: DirectoryTracker;

  constructor(initialDirectory: string) {
    this.tracker = new DirectoryTracker(initialDirectory);
  }

  snapshot(): TrackerSnapshot {
    return this.tracker.snapshot();
  }

  scan(bytes: Buffer): void {
    const lineStarts = new Set<number>();
    for (const word of DIRECTORY_WORDS) {
      for (let at = bytes.indexOf(word); at >= 0; at = bytes.indexOf(word, at + word.length))
        lineStarts.add(bytes.lastIndexOf(10, at) + 1);
    }
    if (lineStarts.size === 0) return;
    for (const start of [...lineStarts].sort((a, b) => a - b)) {
      const end = bytes.indexOf(10, start);
      const text = cleanPhysicalLine(bytes.subarray(start, end < 0 ? bytes.length : end));
      if (text.trim() === "") continue;
      const message = parseDirectoryMessage(text);
      if (message) {
        this.tracker.apply(message);
        continue;
      }
      const makingIn = parseMakingIn(text);
      if (makingIn !== undefined) this.tracker.infer(makingIn, "automake");
    }
  }
}

/** Runs the block hosts in worker threads, one per worker. */
export class ThreadBlockHostPool implements BlockHostPool {
  private readonly workers: Worker[] = [];
  private readonly waiting: { resolve: (reply: HostReply) => void; reject: (error: Error) => void }[][] = [];
  private failure: Error | undefined;

  constructor(settings: BlockSettings, size: number) {
    for (let k = 0; k < size; k++) {
      const worker = new Worker(new URL("./block-worker.js", import.meta.url), { workerData: settings });
      const queue: (typeof this.waiting)[number] = [];
      worker.on("message", (reply: HostReply) => queue.shift()?.resolve(reply));
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (queue.length > 0) this.fail(new Error(`parser worker thread exited with code ${code}`));
      });
      this.workers.push(worker);
      this.waiting.push(queue);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  request(worker: number, request: HostRequest): Promise<HostReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting[worker]?.push({ resolve, reject });
      this.workers[worker]?.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const queue of this.waiting) {
      for (const waiter of queue.splice(0)) waiter.reject(error);
    }
  }
}

/** Runs the block hosts in the calling thread; the same protocol as the threads, for tests. */
export class LocalBlockHostPool implements BlockHostPool {
  private readonly hosts: BlockParserHost[];

  constructor(settings: BlockSettings, size: number, readResponseFile?: ResponseFileReader) {
    this.hosts = Array.from({ length: size }, () => new BlockParserHost(settings, readResponseFile));
  }

  get size(): number {
    return this.hosts.length;
  }

  async request(worker: number, request: HostRequest): Promise<HostReply> {
    await Promise.resolve();
    return (this.hosts[worker] as BlockParserHost).handle(structuredClone(request));
  }

  async close(): Promise<void> {}
}
