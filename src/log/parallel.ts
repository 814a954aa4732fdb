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
import type {
  Block,
  BlockSettings,
  HostReply,
  HostRequest,
  RecycleMessage,
  ReplyMessage,
  RequestMessage,
} from "./block-host.js";
import { BlockParserHost, ByteBufferPool, HostRequestQueue } from "./block-host.js";
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
  /**
   * Gives the memory of a `flushed` reply's output back to the worker that wrote it. The caller must not
   * read the output afterwards.
   */
  recycle(worker: number, output: Uint8Array): void;
  close(): Promise<void>;
}

export interface ParallelOptions {
  /** Bytes of log per block; a block ends at the first line end at or after this size. */
  blockBytes: number;
  /** Blocks sent to the workers and not yet accepted, which bounds the memory the parse holds. */
  maxBlocksInFlight: number;
}

export type ParallelEvent =
  | {
      type: "output";
      output: Uint8Array;
      entries: number;
      recognised: boolean;
      /**
       * Lets the worker that wrote `output` reuse its memory. A caller that has finished writing the
       * output and keeps no reference to it should call this, so that no fresh buffer is needed.
       */
      recycle: () => void;
    }
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
  flush: PendingFlush | undefined;
  /** The request that gave the block's parser the state it did not replace, when one was needed. */
  inherit: Promise<HostReply> | undefined;
}

interface PendingFlush {
  worker: number;
  reply: Promise<HostReply>;
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

  const requestFlush = (final: boolean): PendingFlush => {
    const current = chain as Chain;
    const reply = pool.request(current.worker, {
      type: "flush",
      parser: current.parser,
      indexOffset: current.indexOffset,
      final,
    });
    // Awaited later, in log order; see `dispatch`.
    reply.catch(() => {});
    return { worker: current.worker, reply };
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
    next.block = { bytes: parsed.bytes, linesBefore: next.block.linesBefore };

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
        state.pendingNinjaFailure !== parsed.state.pendingNinjaFailure ||
        state.linkScriptDirectory !== parsed.state.linkScriptDirectory
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

    // The guess failed, so the parser of the blocks before this one parses it again.
    const dropped = pool.request(next.worker, { type: "drop", parser: next.id });
    dropped.catch(() => {});
    const again = expectReply(
      await pool.request(chain.worker, { type: "continue", parser: chain.parser, block: next.block }),
      "parsed",
    );
    expectReply(await dropped, "dropped");
    next.block = { bytes: again.bytes, linesBefore: next.block.linesBefore };
    chain.stepCount = again.stepCount;
    chain.state = again.state;
    next.flush = requestFlush(false);
  };

  // Each block goes to the host with the fewest blocks waiting, the last such host on a tie, because with
  // `mainThreadHost` host 0 shares its thread with this coordinator.
  const waitingParses = new Array<number>(pool.size).fill(0);
  const pickHost = (): number => {
    let best = pool.size - 1;
    for (let k = best - 1; k >= 0; k--)
      if ((waitingParses[k] as number) < (waitingParses[best] as number)) best = k;
    return best;
  };

  const dispatch = (block: Block) => {
    const id = nextId++;
    const worker = pickHost();
    const start = id === 0 ? undefined : guess.snapshot();
    guess.scan(Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength));
    const reply = pool.request(worker, { type: "parse", parser: id, block, start });
    waitingParses[worker] = (waitingParses[worker] as number) + 1;
    const settled = () => {
      waitingParses[worker] = (waitingParses[worker] as number) - 1;
    };
    reply.then(settled, settled);
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

  const release = async function* (flush: PendingFlush): AsyncGenerator<ParallelEvent> {
    const reply = expectReply(await flush.reply, "flushed");
    if (reply.totals) totals = totals ? addTotals(totals, reply.totals) : reply.totals;
    let output = reply.output;
    if (dropComma && reply.entries > 0) {
      output = output.subarray(1);
      dropComma = false;
    }
    const recycle = () => pool.recycle(flush.worker, reply.output);
    // Yielded even when empty, because the text format has no output but `recognised` still counts.
    yield { type: "output", output, entries: reply.entries, recognised: reply.recognised, recycle };
  };

  const releaseOldest = async function* (): AsyncGenerator<ParallelEvent> {
    const oldest = queue.shift() as PendingBlock;
    await oldest.decided;
    splitter.recycle(oldest.block);
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
  if (dependencies.readLinkScriptDirectory && real.linkScriptDirectory !== undefined) return false;
  return true;
}

/**
 * Returns the state after an accepted block: the block's own state, with the values of the state before
 * it that the block's parser never replaced. Those are the diagnostic context, which only compiler
 * messages set, the pending ninja failure, which only command lines and ninja's FAILED lines set, and the
 * directory of a CMake link script, which command lines and directory messages set.
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
    linkScriptDirectory: dependencies.wroteLinkScriptDirectory
      ? state.linkScriptDirectory
      : before.linkScriptDirectory,
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
 * the next one (backslash-newline), so each block's logical lines are complete. The splitter copies what
 * it keeps, so the caller may reuse a chunk's memory once `push` returns.
 */
export class BlockSplitter {
  /** Bytes after the last block, in `carry[0, size)`. */
  private carry = Buffer.alloc(0);
  private size = 0;
  private linesBefore = 0;
  private readonly buffers = new ByteBufferPool();

  constructor(private readonly blockBytes: number) {}

  /** Adds a chunk and returns the blocks it completes. */
  push(chunk: Buffer | Uint8Array | string): Block[] {
    const bytes =
      typeof chunk === "string"
        ? Buffer.from(chunk, "utf8")
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.size + bytes.length > this.carry.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.carry.length, this.size + bytes.length));
      this.carry.copy(grown, 0, 0, this.size);
      this.carry = grown;
    }
    bytes.copy(this.carry, this.size);
    this.size += bytes.length;

    const blocks: Block[] = [];
    while (this.size >= this.blockBytes) {
      const cut = findCut(this.carry.subarray(0, this.size), this.blockBytes - 1);
      if (cut < 0) break;
      blocks.push(this.take(cut));
      this.carry.copyWithin(0, cut, this.size);
      this.size -= cut;
    }
    return blocks;
  }

  /** Returns the bytes after the last block, if any. */
  finish(): Block | undefined {
    if (this.size === 0) return undefined;
    const block = this.take(this.size);
    this.size = 0;
    return block;
  }

  /** Takes back the memory of a block that nothing reads any more, for the blocks after it. */
  recycle(block: Block): void {
    if (block.bytes.byteOffset === 0) this.buffers.release(block.bytes.buffer as ArrayBuffer);
  }

  private take(length: number): Block {
    // A little room above the block size lets most later blocks reuse the buffer.
    const bytes = new Uint8Array(this.buffers.acquire(Math.max(length, this.blockBytes * 1.25)), 0, length);
    bytes.set(this.carry.subarray(0, length));
    const block = { bytes, linesBefore: this.linesBefore };
    this.linesBefore += countLineEnds(bytes);
    return block;
  }
}

/**
 * Bytes past the first safe line end that `findCut` searches for a line that starts a new piece of
 * output. Blocks are then at most this much larger than the block size.
 */
const QUIET_CUT_SEARCH_BYTES = 64 * 1024;

/**
 * Returns the offset just after a safe line end at or after `from`, or -1 if there is none. Within
 * QUIET_CUT_SEARCH_BYTES of the first safe line end, a cut before a line of make's is preferred, then a cut
 * before other new output (see `lineStartKind`). A block that starts inside a group of compiler messages,
 * or just after a compile whose messages follow, reads state from before its start, and is parsed twice.
 */
function findCut(bytes: Buffer, from: number): number {
  const first = findSafeCut(bytes, from);
  if (first < 0) return -1;
  const limit = Math.min(bytes.length, first + QUIET_CUT_SEARCH_BYTES);
  let newOutput = -1;
  for (let cut = first; cut >= 0 && cut < limit; cut = findSafeCut(bytes, cut)) {
    const kind = lineStartKind(bytes, cut);
    if (kind === "make") return cut;
    if (kind === "new-output" && newOutput < 0) newOutput = cut;
  }
  return newOutput >= 0 ? newOutput : first;
}

/** Returns the offset just after the first line end at or after `from` that no backslash continues. */
function findSafeCut(bytes: Buffer, from: number): number {
  let newline = bytes.indexOf(10, from);
  while (newline >= 0) {
    const lineStart = bytes.lastIndexOf(10, newline - 1) + 1;
    if (!continuesOnNextLine(bytes.subarray(lineStart, newline))) return newline + 1;
    newline = bytes.indexOf(10, newline + 1);
  }
  return -1;
}

const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;
const IN_PREFIX = Buffer.from("In ", "latin1");
const MAKE_PREFIX = Buffer.from("make", "latin1");
const FAILURE_MARK = Buffer.from(": ***", "latin1");

/**
 * Classifies the complete line at `start` for choosing where a block starts. A line of make's own
 * (`make[N]: Entering directory …`) is the best start, because make writes it between recipes, unless it
 * is a failure report (`make: *** …`), which names the step of an earlier line. Next best
 * is "new-output": a line that does not start with white space (source excerpts, caret lines, `inlined
 * from` and `from` lines), nor with gcc's `In function` or `In file included from`, and whose first word
 * has no colon (`file:line:column:` messages). A line without an end is not judged, because its first
 * word may be incomplete.
 */
function lineStartKind(bytes: Buffer, start: number): "make" | "new-output" | "other" {
  const end = bytes.indexOf(10, start);
  if (end < 0 || end === start) return "other";
  const first = bytes[start];
  if (first === SPACE || first === TAB || first === 13) return "other";
  if (bytes.subarray(start, start + MAKE_PREFIX.length).equals(MAKE_PREFIX)) {
    const failure = bytes.indexOf(FAILURE_MARK, start);
    return failure >= 0 && failure < end ? "other" : "make";
  }
  if (bytes.subarray(start, start + IN_PREFIX.length).equals(IN_PREFIX)) return "other";
  const space = bytes.indexOf(SPACE, start);
  const wordEnd = space >= 0 && space < end ? space : end;
  const colon = bytes.indexOf(COLON, start);
  return colon < 0 || colon >= wordEnd ? "new-output" : "other";
}

/**
 * Counts the newline bytes. A plain loop, because one `indexOf` call per line costs more on logs of short
 * lines.
 */
function countLineEnds(bytes: Uint8Array): number {
  let count = 0;
  for (let k = 0; k < bytes.length; k++) if (bytes[k] === 10) count++;
  return count;
}

// Byte strings that every line changing the directory state contains: make's Entering and Leaving
// messages in English ("directory"), German ("wird betreten", "wird verlassen") and French ("on entre dans
// le répertoire", "on quitte le répertoire"), as `directory.ts` recognises them, ninja's Entering, and
// automake's `Making all in`. Shared parts keep the number of searches per block low. A line found by
// mistake costs only a failed match, because every line found is recognised as the parser would.
const DIRECTORY_WORDS = ["directory", "wird ", "le r", "Making "].map((word) => Buffer.from(word, "utf8"));

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

/**
 * Heap limits of each parser worker thread. Without them V8 sizes a worker's heap for the machine's
 * memory, and two workers next to the main thread took about 250 to 300 MB of peak RSS on a 96 MB log.
 * A 48 MB young generation is what V8 gives the main thread by default (three 16 MB semi-spaces on 64-bit
 * Node.js 20). A worker that parsed a whole 80 MB V=1 log alone took 7.1 s of CPU time with a 24 MB
 * young generation, 5.8 s with 48 MB and 5.5 s with 96 MB, on 2 CPUs. The smaller one saves about 20 MB.
 * NOTE: a worker whose heap outgrows the old-generation limit fails the parse, which could happen with
 * single log lines of tens of megabytes; one thread has no such limit.
 */
const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 128 };

/** Options of `ThreadBlockHostPool`. */
export interface ThreadPoolOptions {
  /**
   * Runs host 0 in the calling thread, between the coordinator's own tasks, and only the other hosts in
   * worker threads. On two CPUs this keeps both busy with one worker, which saves a V8 heap and a JIT
   * warm-up against two workers and an idle coordinator. The reader reads that host's response files.
   */
  mainThreadHost?: { readResponseFile: ResponseFileReader | undefined };
}

interface Waiter {
  worker: number;
  resolve: (reply: HostReply) => void;
  reject: (error: Error) => void;
}

/** Runs the block hosts in worker threads, one per worker, or all but the first with `mainThreadHost`. */
export class ThreadBlockHostPool implements BlockHostPool {
  /** Per host: its worker thread, or undefined for the host in the calling thread. */
  private readonly workers: (Worker | undefined)[] = [];
  private readonly local: QueuedBlockHost | undefined;
  /** Requests sent to worker threads that have no reply yet, by request number. */
  private readonly waiting = new Map<number, Waiter>();
  private nextRequest = 0;
  private failure: Error | undefined;

  constructor(settings: BlockSettings, size: number, options: ThreadPoolOptions = {}) {
    if (options.mainThreadHost) {
      this.local = new QueuedBlockHost(
        new BlockParserHost(settings, options.mainThreadHost.readResponseFile),
        false,
      );
      this.workers.push(undefined);
    }
    while (this.workers.length < size) {
      const index = this.workers.length;
      const worker = new Worker(new URL("./block-worker.js", import.meta.url), {
        workerData: settings,
        resourceLimits: WORKER_RESOURCE_LIMITS,
      });
      worker.on("message", (message: ReplyMessage) => {
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        waiter?.resolve(message.reply);
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        for (const waiter of this.waiting.values()) {
          if (waiter.worker === index) {
            this.fail(new Error(`parser worker thread exited with code ${code}`));
            return;
          }
        }
      });
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  request(worker: number, request: HostRequest): Promise<HostReply> {
    if (this.failure) return Promise.reject(this.failure);
    const thread = this.workers[worker];
    if (!thread) {
      if (!this.local) return Promise.reject(new Error(`no block host ${worker} in this pool`));
      return this.local.request(request);
    }
    // A block moves to the worker, which hands it back in its reply.
    const transfer =
      request.type === "parse" || request.type === "continue"
        ? [request.block.bytes.buffer as ArrayBuffer]
        : [];
    const id = this.nextRequest++;
    const message: RequestMessage = { type: "request", id, request };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { worker, resolve, reject });
      thread.postMessage(message, transfer);
    });
  }

  recycle(worker: number, output: Uint8Array): void {
    const buffer = output.buffer as ArrayBuffer;
    if (this.failure || buffer.byteLength === 0) return;
    const thread = this.workers[worker];
    if (!thread) {
      this.local?.recycle(buffer);
      return;
    }
    const message: RecycleMessage = { type: "recycle", buffer };
    // Transferred, so the memory leaves this thread now instead of at its next garbage collection.
    thread.postMessage(message, [buffer]);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker?.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiter of waiters) waiter.reject(error);
  }
}

/**
 * A block host in the calling thread that handles one request per macrotask, in the order of
 * `HostRequestQueue`, so that worker messages, reads and writes run between two blocks.
 */
class QueuedBlockHost {
  private readonly queue = new HostRequestQueue<{
    request: HostRequest;
    resolve: (reply: HostReply) => void;
    reject: (error: unknown) => void;
  }>();
  private scheduled = false;

  /** With `clone`, each request is copied as a worker thread would receive it, for tests. */
  constructor(
    readonly host: BlockParserHost,
    private readonly clone: boolean,
  ) {}

  request(request: HostRequest): Promise<HostReply> {
    return new Promise((resolve, reject) => {
      this.queue.push(request, { request: this.clone ? structuredClone(request) : request, resolve, reject });
      this.schedule();
    });
  }

  recycle(buffer: ArrayBuffer): void {
    this.host.recycle(buffer);
  }

  private schedule(): void {
    if (this.scheduled || this.queue.size === 0) return;
    this.scheduled = true;
    setImmediate(() => this.handleNext());
  }

  private handleNext(): void {
    this.scheduled = false;
    const item = this.queue.shift();
    if (item) {
      try {
        item.resolve(this.host.handle(item.request));
      } catch (error) {
        item.reject(error);
      }
    }
    this.schedule();
  }
}

/** Runs the block hosts in the calling thread, with the protocol and request order of the threads, for tests. */
export class LocalBlockHostPool implements BlockHostPool {
  private readonly hosts: QueuedBlockHost[];

  constructor(settings: BlockSettings, size: number, readResponseFile?: ResponseFileReader) {
    this.hosts = Array.from(
      { length: size },
      () => new QueuedBlockHost(new BlockParserHost(settings, readResponseFile), true),
    );
  }

  get size(): number {
    return this.hosts.length;
  }

  request(worker: number, request: HostRequest): Promise<HostReply> {
    return (this.hosts[worker] as QueuedBlockHost).request(request);
  }

  recycle(worker: number, output: Uint8Array): void {
    (this.hosts[worker] as QueuedBlockHost).recycle(output.buffer as ArrayBuffer);
  }

  /** Number of free buffers in each host's pool, for tests. */
  get freeBuffers(): number[] {
    return this.hosts.map((queued) => queued.host.freeBuffers);
  }

  async close(): Promise<void> {}
}
