/**
 * Parsing a log in a worker thread while the calling thread uses the steps, for `vmsport translate`. The
 * worker parses the whole log and posts its steps in batches, in log order. A batch is JSON text plus the
 * steps' commands as one string, and posting strings copies flat buffers. JSON was the cheaper handover in
 * one measurement: the 49,551 whole steps of a 32 MB log took 0.57 s to read back with `JSON.parse` and
 * 0.85 s with `v8.deserialize`, the format `postMessage` uses for objects (Node.js 20, one thread of a
 * shared 2-core machine). What translation does not read, and what repeats from one step to the next, is
 * left out of the batches (see `BatchWriter`), which brings reading them down to about 0.14 s.
 */
import { Worker } from "node:worker_threads";
import type { DclLimits } from "../dcl/index.js";
import { headingRecords } from "../emit/heading.js";
import type { BuildStep, Define, IncludeDirectory, LogDiagnostic, ParseSummary } from "../model/steps.js";
import { createStep, type StepFields } from "./step-object.js";

/** Settings of a threaded parse; response files are not read, as for `parseLogText` without a reader. */
export interface StepStreamSettings {
  /** Name recorded in each step's `origin.file`. */
  file: string;
  /** The log, in memory that both threads can read. */
  log: SharedArrayBuffer;
  /** Steps per batch. */
  batchSteps: number;
  /** Batches the worker may post ahead of the consumer, which bounds the memory of queued batches. */
  maxBatchesAhead: number;
  /**
   * Two 32-bit counters shared with the worker: batches posted, then batches consumed. The worker waits
   * on the second one when it is `maxBatchesAhead` behind.
   */
  progress: SharedArrayBuffer;
  /** Limits of the procedure whose step headings the worker renders ahead, or none for other output. */
  headingLimits: DclLimits | undefined;
  /** Directories against which the worker reads the log's `@file` response files, as the one-thread parse does. */
  responseFileRoots: string[];
  /** Working directory of the steps before the log names one. */
  initialDirectory: string;
}

/** Message from the worker: a batch of steps, the end of the log, or a failure. */
export type StepStreamMessage =
  | ({ type: "steps" } & Batch)
  | { type: "end"; summary: ParseSummary; diagnostics: LogDiagnostic[] }
  | { type: "failed"; message: string; stack?: string };

/** Index of the posted-batches counter in `StepStreamSettings.progress`. */
export const POSTED = 0;
/** Index of the consumed-batches counter in `StepStreamSettings.progress`. */
export const CONSUMED = 1;

/**
 * Array fields of a compile step that usually equal those of the compile before it. The first two contain
 * objects (includes and defines), the others strings.
 */
const REPEATED_FIELDS = [
  "includes",
  "defines",
  "undefines",
  "warnings",
  "debug",
  "otherFlags",
  "dependencyFlags",
  "forcedIncludes",
] as const;

type RepeatedField = (typeof REPEATED_FIELDS)[number];

/** Indexes of the lists of objects in `REPEATED_FIELDS`. The other fields are lists of strings. */
const INCLUDES = 0;
const DEFINES = 1;

/** Bit of a step's mask that is set when it runs in the directory of the step before it. */
const SAME_DIRECTORY = 1 << REPEATED_FIELDS.length;

/**
 * The JSON part of a batch: the steps without their commands, and for each step a mask of the fields it
 * shares with the step before and the length of its command in the batch's command text. When headings are
 * rendered, it also gives the length of each step's heading records in the heading text, or -1 for none.
 */
interface WireBatch {
  steps: BuildStep[];
  masks: number[];
  commandLengths: number[];
  headingLengths?: number[];
}

/** A batch as the worker posts it. */
export interface Batch {
  json: string;
  /** The steps' commands, one after another. They are most of a batch, and need no JSON escaping this way. */
  commands: string;
  /** The heading records of the steps, one after another, each step's records joined by line feeds. */
  headings?: string;
}

/** A step as `BatchReader` returns it, with the heading records the worker rendered, joined by line feeds. */
export type StreamedStep = BuildStep & { renderedHeading?: string };

function sameWords(first: readonly string[], second: readonly string[]): boolean {
  if (first.length !== second.length) return false;
  for (let index = 0; index < first.length; index++) if (first[index] !== second[index]) return false;
  return true;
}

function sameIncludes(first: readonly IncludeDirectory[], second: readonly IncludeDirectory[]): boolean {
  if (first.length !== second.length) return false;
  for (let index = 0; index < first.length; index++) {
    const left = first[index] as IncludeDirectory;
    const right = second[index] as IncludeDirectory;
    if (left !== right && (left.path !== right.path || left.kind !== right.kind)) return false;
  }
  return true;
}

function sameDefines(first: readonly Define[], second: readonly Define[]): boolean {
  if (first.length !== second.length) return false;
  for (let index = 0; index < first.length; index++) {
    const left = first[index] as Define;
    const right = second[index] as Define;
    if (left !== right && (left.name !== right.name || left.value !== right.value)) return false;
  }
  return true;
}

/**
 * Writes steps into batches, in the worker. A step leaves out what translation never reads: its diagnostics,
 * status, wrappers, environment and encoding, the file name of its origin, and the argument vector of a
 * compile, whose parsed fields carry everything translation uses. A directory equal to the previous step's
 * is sent as a bit of the mask, and so is each option list of a compile equal to the previous compile's.
 * The reader then reuses the objects it decoded before, so most compiles cost little more than their
 * command text.
 */
export class BatchWriter {
  private steps: BuildStep[] = [];
  private masks: number[] = [];
  private commands: string[] = [];
  private commandLengths: number[] = [];
  private headings: string[] = [];
  private headingLengths: number[] = [];
  private previousDirectory: BuildStep["directory"] | undefined;
  private readonly previousLists: (readonly unknown[] | undefined)[] = REPEATED_FIELDS.map(() => undefined);

  /** With `headingLimits`, the writer also renders each step's heading comment for a procedure. */
  constructor(private readonly headingLimits?: DclLimits) {}

  get length(): number {
    return this.steps.length;
  }

  add(step: BuildStep): void {
    if (this.headingLimits !== undefined) {
      const records = headingRecords(step, { limits: this.headingLimits });
      const text = records === undefined ? "" : records.join("\n");
      this.headings.push(text);
      this.headingLengths.push(records === undefined ? -1 : text.length);
    }
    this.commands.push(step.command);
    this.commandLengths.push(step.command.length);

    const mask = this.leaveOutRepeated(step);
    const wire = step as Partial<BuildStep>;
    wire.command = undefined;
    wire.diagnostics = undefined;
    wire.status = undefined;
    wire.wrappers = undefined;
    wire.environment = undefined;
    wire.encoding = undefined;
    (step.origin as Partial<BuildStep["origin"]>).file = undefined;
    if (step.kind === "compile") wire.argv = undefined;
    this.steps.push(step);
    this.masks.push(mask);
  }

  /** Remove the fields equal to those of the step or compile before, and return the mask that names them. */
  private leaveOutRepeated(step: BuildStep): number {
    const wire = step as Partial<BuildStep> & Partial<Record<RepeatedField, unknown>>;
    let mask = 0;
    const directory = step.directory;
    const previous = this.previousDirectory;
    if (
      previous !== undefined &&
      directory.path === previous.path &&
      directory.source === previous.source &&
      directory.ambiguous === undefined &&
      previous.ambiguous === undefined
    ) {
      mask |= SAME_DIRECTORY;
      wire.directory = undefined;
    }
    this.previousDirectory = directory;
    if (step.kind !== "compile") return mask;

    for (let field = 0; field < REPEATED_FIELDS.length; field++) {
      const name = REPEATED_FIELDS[field] as RepeatedField;
      const list = step[name] as readonly unknown[];
      const before = this.previousLists[field];
      this.previousLists[field] = list;
      if (before === undefined) continue;
      let same: boolean;
      if (field === INCLUDES) same = sameIncludes(list as IncludeDirectory[], before as IncludeDirectory[]);
      else if (field === DEFINES) same = sameDefines(list as Define[], before as Define[]);
      else same = sameWords(list as string[], before as string[]);
      if (same) {
        mask |= 1 << field;
        wire[name] = undefined;
      }
    }
    return mask;
  }

  /** Returns the batch so far and starts a new one. */
  take(): Batch {
    const batch: WireBatch = { steps: this.steps, masks: this.masks, commandLengths: this.commandLengths };
    const commands = this.commands.join("");
    let headings: string | undefined;
    if (this.headingLimits !== undefined) {
      batch.headingLengths = this.headingLengths;
      headings = this.headings.join("");
    }
    this.steps = [];
    this.masks = [];
    this.commands = [];
    this.commandLengths = [];
    this.headings = [];
    this.headingLengths = [];
    const json = JSON.stringify(batch);
    return headings === undefined ? { json, commands } : { json, commands, headings };
  }
}

const UNKNOWN_STATUS = Object.freeze({ result: "unknown" as const });
const NO_WORDS: readonly string[] = Object.freeze([]);
const NO_DIAGNOSTICS: readonly BuildStep["diagnostics"][number][] = Object.freeze([]);

/**
 * Reads the batches of a `BatchWriter` in the order they were written, and restores the steps: the fields
 * left out get empty values, and shared fields the objects of the step before. Steps may therefore share a
 * directory object or option lists, which translation only reads.
 *
 * Each step is rebuilt with `createStep`, as the parser builds it, instead of completing the object that
 * `JSON.parse` returns. Those objects lack the fields that were left out or undefined, so the compiles of one
 * log had over a dozen V8 hidden classes, and the translator's property reads became megamorphic.
 */
export class BatchReader {
  private previousDirectory: BuildStep["directory"] | undefined;
  private readonly previousLists: unknown[] = REPEATED_FIELDS.map(() => undefined);

  constructor(private readonly file: string) {}

  read(batch: Batch): StreamedStep[] {
    const wire = JSON.parse(batch.json) as WireBatch;
    const { masks, commandLengths, headingLengths } = wire;
    const wireSteps = wire.steps as Partial<BuildStep>[];
    const commands = batch.commands;
    const headings = batch.headings ?? "";
    const steps: StreamedStep[] = [];
    let offset = 0;
    let headingOffset = 0;
    for (let index = 0; index < wireSteps.length; index++) {
      const fields = wireSteps[index] as Partial<BuildStep>;
      const mask = masks[index] as number;
      const end = offset + (commandLengths[index] as number);
      const command = commands.slice(offset, end);
      offset = end;

      let directory = fields.directory;
      if (mask & SAME_DIRECTORY) directory = this.previousDirectory;
      else this.previousDirectory = directory;
      const origin = fields.origin as BuildStep["origin"];
      origin.file = this.file;
      const compile = fields.kind === "compile";
      if (compile) {
        const record = fields as Record<RepeatedField, unknown>;
        for (let field = 0; field < REPEATED_FIELDS.length; field++) {
          const name = REPEATED_FIELDS[field] as RepeatedField;
          if (mask & (1 << field)) record[name] = this.previousLists[field];
          else this.previousLists[field] = record[name];
        }
      }

      const step: StreamedStep = createStep(
        {
          index: fields.index as number,
          origin,
          directory: directory as BuildStep["directory"],
          command,
          argv: compile ? (NO_WORDS as string[]) : (fields.argv as string[]),
          diagnostics: NO_DIAGNOSTICS as BuildStep["diagnostics"],
          status: UNKNOWN_STATUS,
          wrappers: undefined,
          environment: undefined,
          encoding: undefined,
        },
        fields as StepFields,
      );
      if (headingLengths !== undefined) {
        // Set on every step, with or without a heading, so that all steps of a kind keep one hidden class.
        const headingLength = headingLengths[index] as number;
        if (headingLength >= 0) {
          step.renderedHeading = headings.slice(headingOffset, headingOffset + headingLength);
          headingOffset += headingLength;
        } else step.renderedHeading = undefined;
      }
      steps.push(step);
    }
    return steps;
  }
}

/**
 * Failure of the parser thread itself, such as an exception in the parser or a thread that exits early, as
 * opposed to an error of the consumer.
 */
export class ParserThreadFailed extends Error {}

/** Receives the batches of a threaded parse in log order. */
export interface StepStreamConsumer {
  /** Called for each batch. The worker may parse ahead while this runs. */
  steps(steps: BuildStep[]): void;
}

/** Result of a threaded parse once the worker has read the whole log. */
export interface StepStreamEnd {
  summary: ParseSummary;
  diagnostics: LogDiagnostic[];
}

/**
 * Returns `bytes` in memory that a worker thread can share: `bytes` itself when it already fills a
 * `SharedArrayBuffer`, else a copy. A caller that keeps the copy instead of `bytes` lets the original go, and
 * `streamSteps` then shares it with the worker without copying the log again.
 */
export function sharedBuffer(bytes: Uint8Array): Buffer {
  const buffer = bytes.buffer;
  if (buffer instanceof SharedArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength)
    return Buffer.from(buffer);
  const shared = Buffer.from(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}

/**
 * Parses a log held in `bytes` in a worker thread and hands its steps to `consumer` in batches, in log
 * order. Resolves with the summary after the last batch was consumed. An error thrown by the consumer ends
 * the worker and rejects with that error, and a failure of the worker rejects with `ParserThreadFailed`. With `headingLimits`,
 * each step carries the records of its procedure heading. With `responseFileRoots`, `@file` response files
 * are read from the file system below those directories.
 */
export function streamSteps(
  bytes: Uint8Array,
  file: string,
  consumer: StepStreamConsumer,
  {
    batchSteps = 256,
    maxBatchesAhead = 16,
    headingLimits,
    responseFileRoots = [],
    initialDirectory = ".",
  }: {
    batchSteps?: number;
    maxBatchesAhead?: number;
    headingLimits?: DclLimits;
    responseFileRoots?: string[];
    initialDirectory?: string;
  } = {},
): Promise<StepStreamEnd> {
  const log = sharedBuffer(bytes).buffer as SharedArrayBuffer;
  const progress = new SharedArrayBuffer(8);
  const counters = new Int32Array(progress);
  const settings: StepStreamSettings = {
    file,
    log,
    batchSteps,
    maxBatchesAhead,
    progress,
    headingLimits,
    responseFileRoots,
    initialDirectory,
  };
  const reader = new BatchReader(file);
  // The worker's heap keeps V8's default limits, as the calling thread's does, because a thread that runs
  // out of memory can end the whole process. It contains the parser's window and a few batches, not the log.
  const worker = new Worker(new URL("./step-stream-worker.js", import.meta.url), { workerData: settings });

  return new Promise<StepStreamEnd>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    worker.on("message", (message: StepStreamMessage) => {
      if (settled) return;
      try {
        if (message.type === "steps") {
          consumer.steps(reader.read(message));
          Atomics.add(counters, CONSUMED, 1);
          Atomics.notify(counters, CONSUMED);
        } else if (message.type === "end") {
          settled = true;
          void worker.terminate();
          resolve({ summary: message.summary, diagnostics: message.diagnostics });
        } else {
          const error = new ParserThreadFailed(`the log parser thread failed: ${message.message}`);
          if (message.stack !== undefined) error.stack = message.stack;
          fail(error);
        }
      } catch (error) {
        fail(error);
      }
    });
    worker.on("error", (error) =>
      fail(new ParserThreadFailed(`the log parser thread failed: ${error.message}`, { cause: error })),
    );
    worker.on("exit", (code) =>
      fail(new ParserThreadFailed(`the log parser thread exited with code ${code}`)),
    );
  });
}
