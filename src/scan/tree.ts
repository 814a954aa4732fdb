/**
 * `scanTree`: select files, scan them on several threads, then run the tree-wide checks. With two threads,
 * the calling thread reads the files, a worker lexes them and reads their top level, and the calling thread
 * runs the rules over each lexed file. Each further worker scans whole files. All threads take file indexes
 * from one shared counter. The calling thread reads ahead of the lexing worker by at most MAX_BYTES_AHEAD
 * bytes, so memory stays bounded by the largest file per thread plus that queue. Small trees are scanned in
 * the calling thread alone, because starting a worker costs more than it saves there.
 */

import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { SkippedFile } from "../model/finding.js";
import { type CompiledRules, compileRules } from "./compile.js";
import {
  failureOf,
  type LexWorkerHandle,
  startLexWorker,
  takeEarlyLexWorker,
  WORKER_URL,
  workerScriptExists,
} from "./early-worker.js";
import { scanFileBytes, scanLexedSource } from "./file-scan.js";
import { unpackLexedSource } from "./lexed-transfer.js";
import { DEFAULT_MAX_FILE_SIZE, readSelectedFile, scanSelectedFile, unreadable } from "./read.js";
import { assembleResult } from "./scan-source.js";
import { mayBeGlob, type SelectedFile, type Selection, selectFiles } from "./select.js";
import type { FileScan, ScanResult, ScanSourceOptions, ScanTreeOptions } from "./types.js";
import { lexWarmUpFiles } from "./warm-up.js";
import {
  Counter,
  type LexRequest,
  type LexWorkerMessage,
  MAX_BYTES_AHEAD,
  type ScanWorkerMessage,
  type WarmUpFile,
  type WorkerFiles,
  type WorkerSetup,
  type WorkerStart,
} from "./worker-protocol.js";

/**
 * Files each thread should get at least; fewer files than twice this are scanned in the calling thread.
 * NOTE: an estimate of where a worker's start-up (a thread, the scanner's modules, compiled rules) stops
 * costing more than it saves, not a value measured on many machines.
 */
const MIN_FILES_PER_THREAD = 24;

type Outcome = { scan: FileScan } | { skipped: SkippedFile };

export async function scanTree(options: ScanTreeOptions): Promise<ScanResult> {
  const started = performance.now();
  const paths = [...options.paths, ...(options.filesFrom ?? [])];
  const sourceOptions: ScanSourceOptions = {
    ...(options.vmsVersion ? { vmsVersion: options.vmsVersion } : {}),
    ...(options.target ? { target: options.target } : {}),
    ...(options.ods ? { ods: options.ods } : {}),
    ...(options.pointerSize ? { pointerSize: options.pointerSize } : {}),
    ...(options.define ? { define: [...options.define] } : {}),
    ...(options.undefine ? { undefine: [...options.undefine] } : {}),
    ...(options.includeInactive ? { includeInactive: true } : {}),
    ...(options.inlineSuppressions === false ? { inlineSuppressions: false } : {}),
    ...(options.disable ? { disable: [...options.disable] } : {}),
    ...(options.fingerprintBase ? { fingerprintBase: options.fingerprintBase } : {}),
  };
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const requestedJobs = Math.max(1, options.jobs ?? availableParallelism());

  // Workers start before the directories are walked, so they load the scanner and compile the rules on
  // other cores meanwhile. They are started only when the paths may name enough files to need them. The
  // lexing worker may already run, started by the CLI before it parsed the command line.
  const early = takeEarlyLexWorker();
  const pool =
    requestedJobs > 1 && workerScriptExists() && mayNeedWorkers(paths, options.cwd)
      ? startWorkers(
          requestedJobs - 1,
          { rules: [...options.rules], options: sourceOptions, maxFileSize },
          early,
        )
      : undefined;
  if (pool === undefined) void early?.worker.terminate();

  let selection: Selection;
  try {
    selection = await selectFiles({
      paths,
      cwd: options.cwd,
      ...(options.include ? { include: options.include } : {}),
      ...(options.exclude ? { exclude: options.exclude } : {}),
      ...(options.followSymlinks ? { followSymlinks: true } : {}),
      ...(options.gitignore === false ? { gitignore: false } : {}),
    });
  } catch (error) {
    await pool?.stop(0);
    throw error;
  }
  const compiled = compileRules(options.rules);
  const threads = Math.min(requestedJobs, threadsFor(selection.files.length));

  const outcomes: Outcome[] = new Array(selection.files.length);
  const jobs = pool && threads > 1 ? threads : 1;
  if (pool && jobs > 1) {
    try {
      await scanInParallel(
        pool,
        jobs - 1,
        selection.files,
        outcomes,
        compiled,
        options,
        sourceOptions,
        maxFileSize,
      );
    } catch (error) {
      await pool.stop(0);
      throw error;
    }
    // Each worker exits by itself after its last message, so none is terminated here.
    pool.lexPort.close();
  } else {
    // Unused workers are not waited for: terminating them takes milliseconds this thread can spend scanning.
    void pool?.stop(0);
    // A tree with few files ends before V8 optimizes the scanner, so a warm-up would only add to its time.
    if (threadsFor(selection.files.length) > 1)
      warmUpMatching(lexWarmUpFiles(compiled, sourceOptions), compiled, sourceOptions);
    selection.files.forEach((file, index) => {
      outcomes[index] = scanSelectedFile(file, compiled, sourceOptions, maxFileSize);
      options.onProgress?.(index + 1, selection.files.length);
    });
  }

  const scans: FileScan[] = [];
  const skipped = [...selection.skipped];
  for (const outcome of outcomes) {
    if ("scan" in outcome) scans.push(outcome.scan);
    else skipped.push(outcome.skipped);
  }
  if (options.stdin) {
    const { content, fileName } = options.stdin;
    if (content.indexOf(0) >= 0)
      skipped.push({ path: fileName, reason: "binary", detail: "contains NUL bytes" });
    else scans.push(scanFileBytes(content, fileName, compiled, sourceOptions));
  }

  return assembleResult(scans, skipped, options.rules, sourceOptions, {
    started,
    jobs,
    symlinksNotFollowed: selection.symlinksNotFollowed,
    baseDirectory: options.cwd,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    // File selection's notes are about the arguments, not about one file, so they name no path.
    notes: selection.notes.map((message) => ({ path: "", message })),
  });
}

/** Threads worth using for a number of files: one per MIN_FILES_PER_THREAD files, at least one. */
function threadsFor(fileCount: number): number {
  return Math.max(1, Math.floor(fileCount / MIN_FILES_PER_THREAD));
}

/**
 * Could these paths select enough files for a second thread? A directory or a glob may; a list of files
 * may only when it is long enough.
 */
function mayNeedWorkers(paths: readonly string[], cwd: string): boolean {
  if (threadsFor(paths.length) > 1) return true;
  return paths.some((entry) => {
    if (mayBeGlob(entry)) return true;
    try {
      return statSync(path.resolve(cwd, entry)).isDirectory();
    } catch {
      return false;
    }
  });
}

interface WorkerPool {
  /** Worker 0 runs in "lex" mode, the others in "scan" mode. */
  workers: Worker[];
  /** The port on which the lex worker's messages arrive. */
  lexPort: MessagePort;
  /** Per worker: rejects when the worker fails or exits before it has sent its results. */
  failures: Promise<never>[];
  counters: Int32Array;
  /** Terminate the workers from index `from` on; all of them with 0. */
  stop(from: number): Promise<void>;
}

/**
 * Start `count` workers, or adopt `early` as the lexing worker and start `count - 1`, and send them the setup.
 */
function startWorkers(count: number, setup: WorkerSetup, early: LexWorkerHandle | undefined): WorkerPool {
  const lex = early ?? startLexWorker();
  const workers = [lex.worker];
  const failures = [lex.failure];
  for (let index = 1; index < count; index++) {
    const workerData: WorkerStart = { mode: "scan", counters: lex.counters };
    const worker = new Worker(WORKER_URL, { workerData });
    workers.push(worker);
    failures.push(failureOf(worker));
  }
  for (const worker of workers) worker.postMessage(setup);
  return {
    workers,
    lexPort: lex.port,
    failures,
    counters: lex.counters,
    stop: async (from) => {
      await Promise.all(workers.slice(from).map((worker) => worker.terminate()));
      if (from === 0) lex.port.close();
    },
  };
}

/**
 * Milliseconds the calling thread blocks waiting for the lex worker before it lets events run, so that it
 * notices a worker that failed.
 */
const LEX_WAIT_MS = 50;

/**
 * Scan the files with `workerCount` workers. The calling thread reads files and sends them to the lex worker,
 * and runs the rules over each file the worker sends back lexed. The other workers, if any, scan whole files.
 * NOTE: the calling thread never scans files itself here, even while it waits for the worker to start. With
 * the WebAssembly lexer and both threads scanning whole files, a scan of Erlang/OTP 25 on an idle machine
 * with 2 CPUs took 0.62 s instead of 0.54 s. Each thread ran at about half the speed of one thread alone,
 * because two isolates' JIT compilers and two scanning threads compete for the two cores.
 */
async function scanInParallel(
  pool: WorkerPool,
  workerCount: number,
  files: readonly SelectedFile[],
  outcomes: Outcome[],
  compiled: CompiledRules,
  options: ScanTreeOptions,
  sourceOptions: ScanSourceOptions,
  maxFileSize: number,
): Promise<void> {
  const { counters } = pool;
  void pool.stop(workerCount);
  const workers = pool.workers.slice(0, workerCount);
  const scanWorkers = workers.slice(1);
  let lexFailure: unknown;
  pool.failures[0]?.catch((error: unknown) => {
    lexFailure = error;
  });
  const scanned = scanWorkers.map((worker, index) =>
    Promise.race([
      new Promise<void>((resolve) => {
        worker.once("message", ({ results }: ScanWorkerMessage) => {
          for (const [fileIndex, outcome] of results) outcomes[fileIndex] = outcome;
          resolve();
        });
      }),
      pool.failures[index + 1] as Promise<never>,
    ]),
  );

  const message: WorkerFiles = { files: [...files] };
  for (const worker of scanWorkers) worker.postMessage(message);

  const finishOne = () => {
    const done = Atomics.add(counters, Counter.Done, 1) + 1;
    options.onProgress?.(done, files.length);
  };
  const port = pool.lexPort;
  const post = (request: LexRequest, transfer: ArrayBuffer[]) => {
    port.postMessage(request, transfer);
    Atomics.add(counters, Counter.Fed, 1);
    Atomics.notify(counters, Counter.Fed);
  };
  // Reading here rather than in the worker balances the two threads: the worker lexes and reads the top level.
  let bytesAhead = 0;
  let allRead = false;
  const feed = () => {
    while (!allRead && bytesAhead < MAX_BYTES_AHEAD) {
      const index = Atomics.add(counters, Counter.Next, 1);
      if (index >= files.length) {
        allRead = true;
        post({ end: true }, []);
        return;
      }
      const file = files[index] as SelectedFile;
      const read = readSelectedFile(file, maxFileSize);
      if ("skipped" in read) {
        outcomes[index] = read;
        finishOne();
        continue;
      }
      bytesAhead += read.content.length;
      const content = read.content.buffer as ArrayBuffer;
      post({ index, path: file.relative, content }, [content]);
    }
  };

  let received = 0;
  for (;;) {
    feed();
    const next = receiveMessageOnPort(port);
    if (next !== undefined) {
      received++;
      const lexMessage = next.message as LexWorkerMessage;
      if ("done" in lexMessage) break;
      if ("warmUp" in lexMessage) {
        warmUpMatching(lexMessage.warmUp, compiled, sourceOptions);
        continue;
      }
      for (const lexedFile of lexMessage.files) {
        const { index } = lexedFile;
        if ("lexed" in lexedFile) {
          bytesAhead -= lexedFile.lexed.content.byteLength;
          outcomes[index] = scanReceived(
            lexedFile.lexed,
            files[index] as SelectedFile,
            compiled,
            sourceOptions,
          );
        } else {
          bytesAhead -= lexedFile.bytes;
          outcomes[index] = { skipped: lexedFile.skipped };
        }
        finishOne();
        // Reading on keeps the worker supplied while this thread works through a batch.
        feed();
      }
      continue;
    }
    if (Atomics.wait(counters, Counter.Sent, received, LEX_WAIT_MS) === "timed-out") {
      await new Promise(setImmediate);
      if (lexFailure !== undefined) throw lexFailure;
    }
  }

  // The scan workers report progress only through the shared counter.
  const timer =
    options.onProgress && scanWorkers.length > 0
      ? setInterval(() => options.onProgress?.(Atomics.load(counters, Counter.Done), files.length), 100)
      : undefined;
  try {
    await Promise.all(scanned);
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }
}

/**
 * Run the rules over warm-up files and drop the findings. The matchers keep nothing between files except
 * caches of compiled rules and macro facts, so this changes no later result.
 */
function warmUpMatching(
  files: readonly WarmUpFile[],
  compiled: CompiledRules,
  sourceOptions: ScanSourceOptions,
): void {
  for (const { path, lexed } of files)
    scanLexedSource(unpackLexedSource(lexed), path, compiled, sourceOptions);
}

/** Run the rules over a file the lex worker sent. An error in them skips the file, as in `scanSelectedFile`. */
function scanReceived(
  packed: Parameters<typeof unpackLexedSource>[0],
  file: SelectedFile,
  compiled: CompiledRules,
  sourceOptions: ScanSourceOptions,
): Outcome {
  try {
    return { scan: scanLexedSource(unpackLexedSource(packed), file.relative, compiled, sourceOptions) };
  } catch (error) {
    return { skipped: unreadable(file, error) };
  }
}
