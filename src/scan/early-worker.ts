/**
 * Starting the lexing worker of `scanTree` before the command line is parsed. A worker takes about as long to
 * start as the calling thread takes to load the CLI's modules, so starting it first lets both happen at once.
 * This module imports only Node.js built-ins and the worker protocol's constants, so importing it adds
 * little start-up time itself.
 */

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import { COUNTER_SLOTS, type WorkerStart } from "./worker-protocol.js";

/** A started lexing worker with what the calling thread needs to talk to it. */
export interface LexWorkerHandle {
  worker: Worker;
  /** The port on which the worker's messages arrive. */
  port: MessagePort;
  counters: Int32Array;
  /** Promise that rejects when the worker fails or exits. A rejection that no caller awaits is ignored. */
  failure: Promise<never>;
}

export const WORKER_URL = new URL("./worker.js", import.meta.url);

/**
 * Check for the worker script next to this module. It exists in the built package only.
 * NOTE: run from the TypeScript sources (as in vitest), scanTree therefore always scans in one thread.
 */
export function workerScriptExists(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

/** Start a lexing worker. It waits for a `WorkerSetup` message, then lexes the files sent on its port. */
export function startLexWorker(): LexWorkerHandle {
  const channel = new MessageChannel();
  const counters = new Int32Array(new SharedArrayBuffer(COUNTER_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  const workerData: WorkerStart = { mode: "lex", counters, port: channel.port2 };
  const worker = new Worker(WORKER_URL, { workerData, transferList: [channel.port2] });
  return { worker, port: channel.port1, counters, failure: failureOf(worker) };
}

/** Return a promise that rejects when `worker` fails or exits. Its listeners are attached before any await. */
export function failureOf(worker: Worker): Promise<never> {
  const failure = new Promise<never>((_, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`scan worker stopped with exit code ${code}`)));
  });
  // A worker stops on its own after its last message, or is stopped unused, so most of these promises
  // reject after nothing awaits them any more.
  failure.catch(() => {});
  return failure;
}

let early: LexWorkerHandle | undefined;

/**
 * Start the lexing worker now, for a `scanTree` call that is expected soon. The worker does not keep the
 * process alive: if the command ends without scanning, for example on a usage error, it is dropped.
 */
export function startLexWorkerEarly(): void {
  if (early !== undefined || !workerScriptExists()) return;
  early = startLexWorker();
  early.worker.unref();
}

/** Take the worker `startLexWorkerEarly` started, if any; the caller must use or terminate it. */
export function takeEarlyLexWorker(): LexWorkerHandle | undefined {
  const handle = early;
  early = undefined;
  handle?.worker.ref();
  return handle;
}
