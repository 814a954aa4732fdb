import { createWriteStream, promises as fs, readSync } from "node:fs";
import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { type Command, Option } from "commander";
import type { BlockSettings } from "../../log/block-host.js";
import { parseLogInBatches } from "../../log/index.js";
import { DEFAULT_BLOCK_BYTES, parseInParallel, ThreadBlockHostPool } from "../../log/parallel.js";
import { createResponseFileReader } from "../../log/response-reader.js";
import { createStepFormatter, PARSE_FORMATS, type ParseFormat } from "../../log/step-format.js";
import type { LogDiagnostic, ParseSummary } from "../../model/steps.js";
import { ExitCode, UserError } from "../../util/errors.js";
import { checkOutputPaths, inputError, isWrittenInPlace, STDIO_NAME } from "../../util/io.js";
import { releaseTemporary, temporaryPath } from "../../util/temporary.js";
import { limitJobs, resolveSetting } from "../context.js";
import { reportLogDiagnostics } from "../log-diagnostics.js";
import type { Wrap } from "./index.js";

export { PARSE_FORMATS, type ParseFormat };

interface ParseCommandOptions {
  format: ParseFormat;
  output?: string;
  force?: boolean;
  directory?: string;
  jobs?: string;
}

/**
 * Size of each read from the log. Chunks this small decode to strings in V8's young generation, which is
 * collected cheaply. Megabyte chunks land in the large-object space instead and raise the peak memory.
 * On 80 MB logs, 16 KiB chunks took 10 to 20 MB less peak RSS than 64 KiB ones, for about the same CPU
 * time (2 CPUs, Node.js 20).
 */
const READ_CHUNK_BYTES = 16 * 1024;
/**
 * Smallest log file that `--jobs` parses in several threads. Smaller logs stay in the main thread, because
 * starting a worker thread and warming up its JIT takes about half a second of CPU time (on 2 CPUs with
 * Node.js 20), more than the threads save on such logs.
 */
const PARALLEL_MIN_BYTES = 4 << 20;
/** Size of each read in a parallel parse, which the main thread cuts into blocks. */
const PARALLEL_READ_CHUNK_BYTES = 1 << 20;
/** Blocks handed to each thread ahead of the one being accepted. */
const BLOCKS_IN_FLIGHT_PER_THREAD = 2;
/** Size in bytes of the buffer that collects output, so that one write covers many steps. */
const WRITE_BUFFER_BYTES = 1 << 20;
/**
 * Output bytes held back until the log shows some build output, so that a file that is not a build log
 * fails without printing anything. Past this size the output is written anyway and the check still runs at
 * the end.
 */
const HOLD_BACK_BYTES = 16 << 20;

export function registerParseCommand(program: Command, wrap: Wrap): void {
  program
    .command("parse")
    .summary("parse a Unix build log into build steps")
    .description(
      "Read a captured build log (make, cmake, ninja, libtool; `-` for standard input) and list the build steps it shows: compiles, archives, links, file operations and unrecognised commands, each with its log lines and working directory. Nothing from the log is ever run.",
    )
    .argument("<log>", "build log file, or - for standard input")
    .addOption(
      new Option("-f, --format <format>", "output format").choices([...PARSE_FORMATS]).default("text"),
    )
    .option("-o, --output <file>", "write the result to this file instead of standard output")
    .option("--force", "replace an existing output file")
    .option(
      "--directory <dir>",
      "working directory of the build before the log names one, and the base of relative directories in compdb output (default: .)",
    )
    // NOTE: on a 2-CPU machine, two threads (the main thread and one worker) take a quarter to two fifths
    // more CPU time than one. Their peak RSS on a 1 GB log is about 240 MB, against a budget of 150 MB
    // (docs/benchmarks.md, "Log parser"). So the default stays 1.
    .option(
      "-j, --jobs <n>",
      `parse a log file of ${PARALLEL_MIN_BYTES >> 20} MiB or more in this many threads, the main thread included, which can finish sooner when a CPU is idle but takes more CPU time and memory in all (default: 1)`,
    )
    .action(
      wrap(async (context, log: string, options: ParseCommandOptions) => {
        // The directory names a place on the machine that ran the build, so a configured value is used as
        // written rather than resolved against the configuration file's folder.
        const settings = context.config.settings.parse;
        const directory = resolveSetting(options.directory, settings?.directory, ".");
        const jobs = limitJobs(resolveSetting(parseJobs(options.jobs), settings?.jobs, 1), context.logger);
        return runParse(context.io, context.logger, log, options, directory, jobs);
      }),
    );
}

interface Sink {
  /**
   * True when the sink hands each chunk to a file descriptor and keeps no reference to it, so its memory
   * may be used again once written. An in-process stream, such as a test's PassThrough, passes the chunk
   * object on to its readers instead.
   */
  writesToDescriptor: boolean;
  write(chunk: Buffer): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

async function runParse(
  io: import("../context.js").CliIo,
  logger: import("../../util/terminal.js").Logger,
  log: string,
  options: ParseCommandOptions,
  directory: string,
  jobs: number,
): Promise<number> {
  if (options.output !== undefined && options.output !== STDIO_NAME) {
    await checkOutputPaths([options.output], { force: options.force === true });
  }
  const { chunks: input, size } = await openInput(log, io, jobs > 1);
  const threads = size !== undefined && size >= PARALLEL_MIN_BYTES ? jobs : 1;
  const logDirectory = log === STDIO_NAME ? io.cwd : path.dirname(path.resolve(io.cwd, log));
  const baseDirectory = path.resolve(io.cwd, directory);
  const sink = await openSink(options.output, io);
  const formatter = createStepFormatter(options.format, log, baseDirectory);
  const output = new OutputBuffer(WRITE_BUFFER_BYTES);
  let heldChunks: Buffer[] | undefined = [];
  let heldBytes = 0;
  let recognised = false;
  let summary: ParseSummary | undefined;
  let diagnostics: LogDiagnostic[] = [];

  // Returns true when the chunk has been written and nothing holds on to it. A chunk that did not come from
  // `output` is not given back to it, because its memory belongs to the pool of a block host.
  const writeChunk = async (chunk: Buffer, fromOutput = true): Promise<boolean> => {
    if (heldChunks) {
      heldChunks.push(chunk);
      heldBytes += chunk.length;
      if (!recognised && heldBytes < HOLD_BACK_BYTES) return false;
      const chunks = heldChunks;
      heldChunks = undefined;
      for (const held of chunks) if (held.length > 0) await sink.write(held);
      return false;
    }
    if (chunk.length > 0) await sink.write(chunk);
    if (!sink.writesToDescriptor) return false;
    if (fromOutput) output.recycle(chunk);
    return true;
  };
  // JSON Lines output skips the formatter, so that the newline is written as a byte instead of being
  // joined to each step's text, which would make V8 copy the text once more to flatten it.
  const jsonLines = options.format === "jsonl";
  const emit = async (text: string) => {
    if (text === "") return;
    const full = output.append(text);
    if (full) await writeChunk(full);
  };

  const settings: BlockSettings = {
    file: log,
    initialDirectory: directory,
    responseFileRoots: [...new Set([logDirectory, io.cwd])],
    format: options.format,
    baseDirectory,
  };
  // The main thread parses blocks too, so N threads need N - 1 workers.
  const pool =
    threads > 1
      ? new ThreadBlockHostPool(settings, threads, {
          mainThreadHost: { readResponseFile: createResponseFileReader() },
        })
      : undefined;
  try {
    await emit(formatter.start());
    if (pool) {
      const events = parseInParallel(input, settings, pool, {
        blockBytes: DEFAULT_BLOCK_BYTES,
        maxBlocksInFlight: BLOCKS_IN_FLIGHT_PER_THREAD * threads,
      });
      for await (const event of readEvents(events, log)) {
        if (event.type === "end") {
          summary = event.summary;
          diagnostics = event.diagnostics;
          break;
        }
        if (event.recognised) recognised = true;
        formatter.addEntries(event.entries);
        // Text that the formatter wrote before goes first.
        // NOTE: when the file turns out not to be a build log after more than HOLD_BACK_BYTES of output,
        // the partial output written before the error is not the same length as with one thread.
        const before = output.take();
        if (before.length > 0) await writeChunk(before);
        if (event.output.length === 0) continue;
        const written = await writeChunk(
          Buffer.from(event.output.buffer, event.output.byteOffset, event.output.byteLength),
          false,
        );
        if (written) event.recycle();
      }
    } else {
      const events = parseLogInBatches(input, {
        file: log,
        initialDirectory: directory,
        responseFileRoots: settings.responseFileRoots,
        readResponseFile: createResponseFileReader(),
      });
      for await (const event of readEvents(events, log)) {
        if (event.type === "end") {
          summary = event.summary;
          diagnostics = event.diagnostics;
          break;
        }
        for (const step of event.steps) {
          if (!recognised && step.kind !== "unknown") recognised = true;
          // Awaited only when the buffer is full, because an await per step costs a turn of the event loop's
          // microtask queue.
          const full = jsonLines
            ? output.appendLine(JSON.stringify(step))
            : output.appendText(formatter.step(step));
          if (full) await writeChunk(full);
        }
      }
    }
    if (summary === undefined) throw new Error("the log reader ended without a summary");
    if (!recognised && summary.silentRuleTargets === 0 && (summary.lineCounts?.directory ?? 0) === 0) {
      throw new UserError("the file contains no recognisable build output", {
        location: { file: log },
        hint: "Give the log of a make, cmake or ninja build, captured with its commands shown (V=1, VERBOSE=1 or ninja -v).",
      });
    }
    recognised = true;
    await emit(formatter.end(summary, diagnostics));
    const rest = output.take();
    if (rest.length > 0 || heldChunks) await writeChunk(rest);
    await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  } finally {
    await pool?.close();
  }

  if (options.format !== "text") {
    reportLogDiagnostics(logger, log, diagnostics);
    const counts = summary.steps;
    logger.verbose(
      `${log}: ${counts.compile} compile, ${counts.archive} archive, ${counts.link} link, ${counts.shell} shell, ${counts.unknown} unknown steps`,
    );
  }
  // Said in every format, so that a user who set parse.jobs can see whether the log was large enough for it.
  if (jobs > 1) {
    logger.verbose(
      threads > 1
        ? `${log}: parsed in ${threads} threads`
        : `${log}: parsed in the main thread (several threads start at ${PARALLEL_MIN_BYTES >> 20} MiB of log file)`,
    );
  }
  return ExitCode.ok;
}

async function* readEvents<T>(events: AsyncIterable<T>, log: string): AsyncGenerator<T> {
  try {
    yield* events;
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as NodeJS.ErrnoException).code !== undefined) throw inputError(error, log, "build log");
    throw error;
  }
}

/** Validates `--jobs`. */
function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number.parseInt(value, 10) < 1) {
    throw new UserError(`invalid value for --jobs: "${value}"`, {
      hint: "--jobs takes a whole number of 1 or more.",
    });
  }
  return Number.parseInt(value, 10);
}

/**
 * Opens the log. `size` is set for a regular file only, because only a file's size is known in advance.
 * With `parallel`, a large file is read in larger chunks, which are cut into blocks and decoded there.
 */
async function openInput(
  log: string,
  io: import("../context.js").CliIo,
  parallel: boolean,
): Promise<{ chunks: AsyncIterable<Buffer | string>; size: number | undefined }> {
  if (log === STDIO_NAME) return { chunks: io.stdin as AsyncIterable<Buffer | string>, size: undefined };
  let handle: import("node:fs/promises").FileHandle;
  let size: number | undefined;
  try {
    handle = await fs.open(path.resolve(io.cwd, log), "r");
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    }
    if (stat.isFile()) size = stat.size;
  } catch (error) {
    throw inputError(error, log, "build log");
  }
  if (size === undefined)
    return { chunks: handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES }), size };
  const large = parallel && size >= PARALLEL_MIN_BYTES;
  return { chunks: readRegularFile(handle, log, large ? PARALLEL_READ_CHUNK_BYTES : READ_CHUNK_BYTES), size };
}

/**
 * Reads a regular file into one buffer that every read reuses, so the parse leaves no read buffers behind
 * for the garbage collector. Each chunk is valid only until the next one is requested. The reads are
 * synchronous: from the page cache, one took about 5 µs of CPU time against about 28 µs for a read through
 * `FileHandle.read` (16 KiB reads, 2 CPUs, Node.js 20), and the kernel's read-ahead keeps most of them there.
 * NOTE: when the file is not cached, parsing waits for each read instead of overlapping it.
 */
async function* readRegularFile(
  handle: import("node:fs/promises").FileHandle,
  log: string,
  chunkBytes: number,
) {
  const buffer = Buffer.allocUnsafeSlow(chunkBytes);
  try {
    for (;;) {
      let bytesRead: number;
      try {
        bytesRead = readSync(handle.fd, buffer, 0, buffer.length, null);
      } catch (error) {
        throw inputError(error, log, "build log");
      }
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
      // V8 posts parts of its garbage collection as tasks of the event loop. Without this turn they waited
      // for the next output write, which raised the peak RSS of an 80 MB log by 10 to 20 MB.
      await nextTurn();
    }
  } finally {
    await handle.close();
  }
}

async function openSink(output: string | undefined, io: import("../context.js").CliIo): Promise<Sink> {
  if (output === undefined || output === STDIO_NAME) {
    const stream = io.stdout;
    return {
      writesToDescriptor: typeof (stream as { fd?: unknown }).fd === "number",
      write: (chunk) => writeTo(stream, chunk, writeFailure("standard output", STDOUT_HINT)),
      close: async () => {},
      abort: async () => {},
    };
  }
  // Written to a temporary file beside the target and renamed at the end, so a failed parse leaves no
  // partial file and a reader never sees one.
  const target = path.resolve(io.cwd, output);
  if (isWrittenInPlace(target)) return openDeviceSink(target, output);
  const temporary = temporaryPath(target);
  const failure = writeFailure(output, FILE_HINT);
  let created: string | undefined;
  try {
    created = await fs.mkdir(path.dirname(target), { recursive: true });
  } catch (error) {
    throw failure(error);
  }
  // A failed parse leaves no trace, so the directories made for the output go again, deepest first.
  const removeCreatedDirectories = async () => {
    if (created === undefined) return;
    for (let directory = path.dirname(target); ; directory = path.dirname(directory)) {
      await fs.rmdir(directory).catch(() => {});
      if (directory === created || path.dirname(directory) === directory) break;
    }
  };
  const stream = createWriteStream(temporary, { flags: "wx" });
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (error) => reject(failure(error)));
  });
  const finish = () =>
    new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  return {
    writesToDescriptor: true,
    write: (chunk) => writeTo(stream, chunk, failure),
    close: async () => {
      try {
        await finish();
        await fs.rename(temporary, target);
        releaseTemporary(temporary);
      } catch (error) {
        await fs.rm(temporary, { force: true });
        releaseTemporary(temporary);
        throw failure(error);
      }
    },
    abort: async () => {
      await finish().catch(() => {});
      await fs.rm(temporary, { force: true });
      releaseTemporary(temporary);
      await removeCreatedDirectories();
    },
  };
}

/** Open a sink that writes straight into a character device or FIFO, such as /dev/null (see `writtenInPlace`). */
async function openDeviceSink(target: string, output: string): Promise<Sink> {
  const failure = writeFailure(output, DEVICE_HINT);
  const stream = createWriteStream(target, { flags: "w" });
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (error) => reject(failure(error)));
  });
  const finish = () =>
    new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(failure(error)) : resolve())),
    );
  return {
    writesToDescriptor: true,
    write: (chunk) => writeTo(stream, chunk, failure),
    close: finish,
    abort: () => finish().catch(() => {}),
  };
}

const FILE_HINT = "Check that the path names a writable directory, or pass another -o path.";
const DEVICE_HINT = "Check that the device or pipe accepts writes, or pass another -o path.";
const STDOUT_HINT =
  "Check where standard output goes (a full disk, a closed pipe), or write to a file with -o.";

/** Return a function that turns a write error on `name` into a message a user can act on. */
function writeFailure(name: string, hint: string): (error: unknown) => UserError {
  return (error) =>
    error instanceof UserError
      ? error
      : new UserError(`cannot write output: ${describeWriteError(error)}`, {
          location: { file: name },
          hint,
        });
}

/**
 * Describe a file-system error by its code and plain words, without the path of the temporary file that the
 * operating system message would name.
 */
function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a parent of the path is a file, not a directory";
    case "EISDIR":
      return "the path is a directory";
    case "ENOSPC":
      return "no space left on the device";
    case "EROFS":
      return "the file system is read-only";
    default:
      return code ?? (error as Error).message;
  }
}

/**
 * Collects output text as UTF-8 in a byte buffer. Encoding each piece straight into the buffer avoids
 * joining the pieces into one long string first, which V8 would have to copy again to encode it. A buffer
 * that has been written is used again, because fresh megabyte buffers live outside the JavaScript heap,
 * and the garbage collector frees them late enough to raise the peak memory by tens of megabytes.
 */
class OutputBuffer {
  private buffer: Buffer;
  private spare: Buffer | undefined;
  private used = 0;

  constructor(private readonly size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  /** Adds text, which may be empty. Returns the collected bytes when they must be written before it fits. */
  appendText(text: string): Buffer | undefined {
    return text === "" ? undefined : this.append(text);
  }

  /** Adds text. Returns the collected bytes when they must be written before the text fits. */
  append(text: string): Buffer | undefined {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8, so this bound never lets `write` truncate.
    const maxBytes = text.length * 3;
    if (this.used + maxBytes <= this.size) {
      this.used += this.buffer.write(text, this.used, "utf8");
      return undefined;
    }
    const full = this.take();
    if (maxBytes > this.size) return Buffer.concat([full, Buffer.from(text, "utf8")]);
    this.used = this.buffer.write(text, 0, "utf8");
    return full;
  }

  /** Adds text and a newline, as `append` does for the text followed by "\n". */
  appendLine(text: string): Buffer | undefined {
    const maxBytes = text.length * 3 + 1;
    if (this.used + maxBytes <= this.size) {
      this.used += this.buffer.write(text, this.used, "utf8");
      this.buffer[this.used++] = 10;
      return undefined;
    }
    return this.append(`${text}\n`);
  }

  /** Returns the collected bytes and starts a new buffer, because the stream may still hold the old one. */
  take(): Buffer {
    const full = this.buffer.subarray(0, this.used);
    this.buffer = this.spare ?? Buffer.allocUnsafe(this.size);
    this.spare = undefined;
    this.used = 0;
    return full;
  }

  /** Takes back the memory of a chunk from `take` once the stream has finished writing it. */
  recycle(chunk: Buffer): void {
    if (chunk.byteOffset === 0 && chunk.buffer.byteLength === this.size)
      this.spare = Buffer.from(chunk.buffer, 0, this.size);
  }
}

/**
 * Writes a chunk and resolves once the stream has written it, so the chunk's memory can be used again.
 * With one chunk in flight at a time, the stream's own buffer never grows past that chunk.
 */
function writeTo(
  stream: NodeJS.WritableStream,
  chunk: Buffer,
  failure: (error: unknown) => UserError,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    stream.write(chunk, (error) => {
      if (error) reject(failure(error));
      else resolve();
    });
  });
}
