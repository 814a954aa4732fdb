/**
 * Entry points of the build-log reader. `parseLog` streams: it reads byte chunks, yields steps as soon as
 * they leave the parser's window of recent steps, and keeps only that window and the directory state, so
 * the data it keeps does not grow with the log. `parseLogText` collects the same steps into a `ParsedLog`
 * document for tests and for callers that have the whole log in memory.
 */
import {
  type BuildStep,
  type LogDiagnostic,
  type ParsedLog,
  type ParseSummary,
  STEP_SCHEMA_VERSION,
} from "../model/steps.js";
import { UserError } from "../util/errors.js";
import { ContinuationJoiner, readLinesFromBuffer, readPhysicalLines } from "./lines.js";
import { LogParser } from "./parser.js";

/** Settings of one parse. */
export interface ParseOptions {
  /** Name recorded in each step's `origin.file`, `-` for standard input. Default `-`. */
  file?: string;
  /** Working directory assumed before the log names one. Default `.`. */
  initialDirectory?: string;
  /**
   * Directories against which a relative step directory is resolved when a `@file` response file is not
   * found in the step's directory itself (for example the log's folder and the current directory).
   */
  responseFileRoots?: string[];
  /**
   * Reads a response file. Returns its bytes, or `undefined` when it does not exist. The caller supplies it
   * so that the parser itself does no IO. Without it, every response file is reported as unresolved.
   */
  readResponseFile?: (path: string) => Buffer | undefined;
}

/** Event of the streaming parser: each step as it completes, then one final record with the summary. */
export type ParseEvent =
  | { type: "step"; step: BuildStep }
  | { type: "end"; summary: ParseSummary; diagnostics: LogDiagnostic[] };

/** Bytes of a log, as a Node.js readable stream or any async iterable of chunks. */
export type LogChunks = AsyncIterable<Buffer | Uint8Array | string>;

/** Number of leading bytes checked for NUL, the sign of a binary file, as git and grep do. */
const BINARY_PROBE_BYTES = 8000;

function createParser(options: ParseOptions): LogParser {
  return new LogParser({
    file: options.file ?? "-",
    initialDirectory: options.initialDirectory ?? ".",
    readResponseFile: options.readResponseFile,
    responseFileRoots: options.responseFileRoots ?? [],
  });
}

function binaryInputError(file: string): UserError {
  return new UserError("input is a binary file, not a build log", {
    location: { file },
    hint: "Give the text log that make, cmake or ninja wrote, for example captured with `make -w V=1 > build.log 2>&1`.",
  });
}

/** Passes the chunks on, and throws a `UserError` when the first bytes of the log contain a NUL. */
export async function* probeBinary(
  chunks: LogChunks,
  file: string,
): AsyncGenerator<Buffer | Uint8Array | string> {
  let checked = 0;
  for await (const chunk of chunks) {
    if (checked < BINARY_PROBE_BYTES) {
      const bytes =
        typeof chunk === "string"
          ? Buffer.from(chunk)
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const probe = bytes.subarray(0, BINARY_PROBE_BYTES - checked);
      if (probe.includes(0)) throw binaryInputError(file);
      checked += probe.length;
    }
    yield chunk;
  }
}

/** Event of `parseLogInBatches`: the steps completed by one chunk of the log, or the final record. */
export type ParseBatchEvent =
  | { type: "steps"; steps: BuildStep[] }
  | { type: "end"; summary: ParseSummary; diagnostics: LogDiagnostic[] };

/**
 * Parses a build log from a stream of byte chunks, yielding steps in log order and then one `end` event
 * with the summary. Throws a `UserError` when the input is binary.
 */
export async function* parseLog(
  chunks: LogChunks,
  options: ParseOptions = {},
): AsyncGenerator<ParseEvent, void, void> {
  for await (const event of parseLogInBatches(chunks, options)) {
    if (event.type === "end") yield event;
    else for (const step of event.steps) yield { type: "step", step };
  }
}

/**
 * Parses a build log as `parseLog` does, but yields the steps of each chunk together. A consumer that
 * handles a step in a few microseconds spends less time resuming the generator this way than with one
 * event per step. Batches may be empty.
 */
export async function* parseLogInBatches(
  chunks: LogChunks,
  options: ParseOptions = {},
): AsyncGenerator<ParseBatchEvent, void, void> {
  const parser = createParser(options);
  const joiner = new ContinuationJoiner();
  for await (const batch of readPhysicalLines(probeBinary(chunks, options.file ?? "-"))) {
    const steps: BuildStep[] = [];
    for (const line of joiner.push(batch)) {
      for (const step of parser.push(line)) steps.push(step);
    }
    yield { type: "steps", steps };
  }
  const steps: BuildStep[] = [];
  for (const line of joiner.finish()) {
    for (const step of parser.push(line)) steps.push(step);
  }
  const end = parser.finish();
  for (const step of end.steps) steps.push(step);
  yield { type: "steps", steps };
  yield { type: "end", summary: end.summary, diagnostics: end.diagnostics };
}

/** Parses a whole log held in memory. Throws a `UserError` when the input is binary. */
export function parseLogText(text: string | Buffer, options: ParseOptions = {}): ParsedLog {
  const file = options.file ?? "-";
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) throw binaryInputError(file);
  const parser = createParser(options);
  const joiner = new ContinuationJoiner();
  const steps: BuildStep[] = [];
  for (const batch of readLinesFromBuffer(bytes)) {
    for (const line of joiner.push(batch)) steps.push(...parser.push(line));
  }
  for (const line of joiner.finish()) steps.push(...parser.push(line));
  const end = parser.finish();
  steps.push(...end.steps);
  return {
    schemaVersion: STEP_SCHEMA_VERSION,
    log: file,
    steps,
    summary: end.summary,
    diagnostics: end.diagnostics,
  };
}

export type { LineCategory } from "./parser.js";
