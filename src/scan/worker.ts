/**
 * Worker thread of `scanTree`. It starts before the file list exists: it loads the scanner, and compiles the
 * rules when they arrive, while the calling thread walks the directories.
 *
 * A worker runs in one of two modes. A "lex" worker lexes the files that the calling thread reads and sends
 * it, reads their top level, and sends each one back for the calling thread to run the rules over. That
 * splits the scanner's code between two threads, so each thread's JIT compiler warms up only its half. A
 * "scan" worker takes file indexes from a counter shared with the calling thread (Atomics.add), scans whole
 * files and posts all its results at the end.
 */

import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { type CompiledRules, compileRules } from "./compile.js";
import { lexFileBytes, readSourceTopLevel } from "./file-scan.js";
import { packedTokenBytes, packLexedSource, TokenBuffer, transferablesOf } from "./lexed-transfer.js";
import { scanSelectedFile } from "./read.js";
import type { SelectedFile } from "./select.js";
import { lexWarmUpFiles } from "./warm-up.js";
import { prepareLexerCore } from "./wasm-lexer.js";
import {
  Counter,
  LEX_BATCH_BYTES,
  LEX_BATCH_FILES,
  LEX_TOKEN_BUFFER_BYTES,
  type LexedFileMessage,
  type LexRequest,
  type LexWorkerMessage,
  type ScanWorkerMessage,
  type WorkerFiles,
  type WorkerResult,
  type WorkerSetup,
  type WorkerStart,
} from "./worker-protocol.js";

const start = workerData as WorkerStart;

// The lexer's WebAssembly module compiles while the calling thread walks the directories.
if (start.mode === "lex") prepareLexerCore();

parentPort?.once("message", (setup: WorkerSetup) => {
  const compiled = compileRules(setup.rules);
  if (start.mode === "lex") {
    const files = lexWarmUpFiles(compiled, setup.options);
    post(
      { warmUp: files },
      files.flatMap((file) => transferablesOf(file.lexed)),
    );
    lexFiles(compiled, setup);
  } else parentPort?.once("message", ({ files }: WorkerFiles) => scanFiles(files, compiled, setup));
});

function scanFiles(files: readonly SelectedFile[], compiled: CompiledRules, setup: WorkerSetup): void {
  const { counters } = start;
  const results: WorkerResult[] = [];
  for (;;) {
    const index = Atomics.add(counters, Counter.Next, 1);
    if (index >= files.length) break;
    results.push([
      index,
      scanSelectedFile(files[index] as SelectedFile, compiled, setup.options, setup.maxFileSize),
    ]);
    Atomics.add(counters, Counter.Done, 1);
  }
  parentPort?.postMessage({ results } satisfies ScanWorkerMessage);
}

/**
 * Milliseconds a lex worker blocks waiting for a file before it checks again, so that it can be terminated
 * while it waits.
 */
const FEED_WAIT_MS = 100;

/** Lex the files the calling thread reads and sends, until it sends `end`. */
function lexFiles(compiled: CompiledRules, setup: WorkerSetup): void {
  const { counters, port } = start;
  if (port === undefined) throw new Error("a lex worker needs a port");
  let received = 0;
  let batch: LexedFileMessage[] = [];
  let transfer: ArrayBuffer[] = [];
  let batchBytes = 0;
  // The token buffer of the batch: its files' tokens, transferred once with the message.
  let tokens: TokenBuffer | undefined;
  const flush = () => {
    if (batch.length === 0) return;
    if (tokens !== undefined) transfer.push(tokens.buffer);
    post({ files: batch }, transfer);
    batch = [];
    transfer = [];
    batchBytes = 0;
    tokens = undefined;
  };
  for (;;) {
    const next = receiveMessageOnPort(port);
    if (next === undefined) {
      // The calling thread may be waiting for these files, so they go out before this thread waits itself.
      flush();
      Atomics.wait(counters, Counter.Fed, received, FEED_WAIT_MS);
      continue;
    }
    received++;
    const request = next.message as LexRequest;
    if ("end" in request) break;
    const { index, path } = request;
    const content = Buffer.from(request.content);
    try {
      const source = readSourceTopLevel(lexFileBytes(content, path, compiled, setup.options), path, compiled);
      const size = packedTokenBytes(source.file);
      if (tokens !== undefined && !tokens.fits(size)) flush();
      tokens ??= new TokenBuffer(Math.max(size, LEX_TOKEN_BUFFER_BYTES));
      const lexed = packLexedSource(source, tokens);
      batch.push({ index, lexed });
      transfer.push(lexed.content);
    } catch (error) {
      const skipped = { path, reason: "unreadable" as const, detail: (error as Error).message };
      batch.push({ index, bytes: content.length, skipped });
    }
    batchBytes += content.length;
    if (batch.length >= LEX_BATCH_FILES || batchBytes >= LEX_BATCH_BYTES) flush();
  }
  flush();
  post({ done: true }, []);
}

/** Post a message of a "lex" worker and wake the calling thread if it waits for one. */
function post(message: LexWorkerMessage, transfer: ArrayBuffer[]): void {
  start.port?.postMessage(message, transfer);
  Atomics.add(start.counters, Counter.Sent, 1);
  Atomics.notify(start.counters, Counter.Sent);
}
