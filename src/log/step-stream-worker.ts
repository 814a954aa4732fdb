/**
 * Entry point of the parser thread of `streamSteps`: parses the shared log from start to end, as
 * `parseLogText` does, and posts its steps in JSON batches. Before each post it waits while the consumer is
 * `maxBatchesAhead` batches behind, so a slow consumer never lets the queued batches grow with the log.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { BuildStep } from "../model/steps.js";
import { ContinuationJoiner, readLinesFromBuffer } from "./lines.js";
import { LogParser } from "./parser.js";
import { createResponseFileReader } from "./response-reader.js";
import {
  BatchWriter,
  CONSUMED,
  POSTED,
  type StepStreamMessage,
  type StepStreamSettings,
} from "./step-stream.js";

const port = parentPort;
if (!port) throw new Error("step-stream-worker.js must run in a worker thread");
const settings = workerData as StepStreamSettings;
const counters = new Int32Array(settings.progress);
const batch = new BatchWriter(settings.headingLimits);

function post(message: StepStreamMessage): void {
  port?.postMessage(message);
}

function postBatch(): void {
  if (batch.length === 0) return;
  const posted = Atomics.load(counters, POSTED);
  for (;;) {
    const consumed = Atomics.load(counters, CONSUMED);
    if (posted - consumed < settings.maxBatchesAhead) break;
    Atomics.wait(counters, CONSUMED, consumed);
  }
  post({ type: "steps", ...batch.take() });
  Atomics.store(counters, POSTED, posted + 1);
}

/** Steps of the first batch, kept small so that the consumer can start while the worker parses on. */
const FIRST_BATCH_STEPS = 16;
let batchSteps = Math.min(FIRST_BATCH_STEPS, settings.batchSteps);

function add(steps: readonly BuildStep[]): void {
  for (let index = 0; index < steps.length; index++) {
    batch.add(steps[index] as BuildStep);
    if (batch.length >= batchSteps) {
      postBatch();
      batchSteps = settings.batchSteps;
    }
  }
}

try {
  const parser = new LogParser({
    file: settings.file,
    initialDirectory: settings.initialDirectory,
    readResponseFile: settings.responseFileRoots.length > 0 ? createResponseFileReader() : undefined,
    responseFileRoots: settings.responseFileRoots,
  });
  const joiner = new ContinuationJoiner();
  for (const lines of readLinesFromBuffer(Buffer.from(settings.log))) {
    for (const line of joiner.push(lines)) add(parser.push(line));
  }
  for (const line of joiner.finish()) add(parser.push(line));
  const end = parser.finish();
  add(end.steps);
  postBatch();
  post({ type: "end", summary: end.summary, diagnostics: end.diagnostics });
} catch (error) {
  const failure = error instanceof Error ? error : new Error(String(error));
  post({
    type: "failed",
    message: failure.message,
    ...(failure.stack === undefined ? {} : { stack: failure.stack }),
  });
}
