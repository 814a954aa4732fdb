/**
 * The messages and shared counters between `scanTree` and its worker threads. This module has no side
 * effects, unlike `./worker.js`, which starts scanning when it is loaded.
 */

import type { MessagePort } from "node:worker_threads";
import type { SkippedFile } from "../model/finding.js";
import type { ScanRule } from "../rules/scan/model.js";
import type { PackedLexedSource } from "./lexed-transfer.js";
import type { SelectedFile } from "./select.js";
import type { FileScan, ScanSourceOptions } from "./types.js";

/** Slots of `WorkerStart.counters`. */
export const Counter = {
  /** Index of the next file to take. */
  Next: 0,
  /** Files finished by any thread, for the progress bar. */
  Done: 1,
  /** Messages the calling thread has posted to the lex worker. */
  Fed: 2,
  /** Messages the lex worker has posted on its port. */
  Sent: 3,
} as const;

/** Number of `Counter` slots. */
export const COUNTER_SLOTS = Object.keys(Counter).length;

/**
 * Bytes of source the calling thread may have read for the lex worker and not yet scanned. Each such file
 * takes about five times its size once it is lexed, so this bounds that memory to about 20 MiB plus the
 * largest file.
 */
export const MAX_BYTES_AHEAD = 4 * 1024 * 1024;

/** Worker data: what a worker needs before the scan's options are known. */
export interface WorkerStart {
  mode: "lex" | "scan";
  /** Shared counters, indexed by `Counter`. */
  counters: Int32Array;
  /** The port a "lex" worker exchanges its messages on; both ends read it with receiveMessageOnPort. */
  port?: MessagePort;
}

/** The first message to a worker: the rules to compile and the scan's options. */
export interface WorkerSetup {
  rules: ScanRule[];
  options: ScanSourceOptions;
  maxFileSize: number;
}

/** The second message to a "scan" worker, which starts it: the files, in the order of the counter's indexes. */
export interface WorkerFiles {
  files: SelectedFile[];
}

export type WorkerResult = [index: number, outcome: { scan: FileScan } | { skipped: SkippedFile }];

/** Messages of the calling thread to a "lex" worker: one per file it read, then `end`. */
export type LexRequest = { index: number; path: string; content: ArrayBuffer } | { end: true };

/** A file a "lex" worker sends back: lexed, or skipped because lexing failed. */
export type LexedFileMessage =
  | { index: number; lexed: PackedLexedSource }
  | { index: number; bytes: number; skipped: SkippedFile };

/** A lexed file of the "lex" worker's warm-up, with the path that sets its language. */
export interface WarmUpFile {
  path: string;
  lexed: PackedLexedSource;
}

/**
 * Messages of a "lex" worker on its port. The first, `warmUp`, carries files lexed from a built-in source,
 * which the calling thread runs the rules over and drops, so that V8 gets type feedback for the rare paths
 * before it optimizes them. Then come batches of the files it received, and then `done`.
 */
export type LexWorkerMessage = { warmUp: WarmUpFile[] } | { files: LexedFileMessage[] } | { done: true };

/**
 * Files and bytes of source a "lex" worker collects before it posts them as one message. Each message costs
 * a system call to wake the receiving thread, and a scan of a large tree sends one per file otherwise.
 */
export const LEX_BATCH_FILES = 16;
export const LEX_BATCH_BYTES = 256 * 1024;

/**
 * Bytes of the token buffer that the files of one "lex" worker message share. A file whose tokens need more
 * gets a buffer of its own size. Tokens took 2.6 times the size of the source on Erlang/OTP 25 (15 bytes per
 * token and 4 per line), so a full batch of LEX_BATCH_BYTES usually fits.
 */
export const LEX_TOKEN_BUFFER_BYTES = 1024 * 1024;

/** The one message of a "scan" worker. */
export interface ScanWorkerMessage {
  results: WorkerResult[];
}
