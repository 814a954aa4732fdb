/**
 * `scanTree`: select files, scan them on several threads, then run the tree-wide checks. The calling thread
 * and `jobs - 1` worker threads take file indexes from one shared counter, so each thread has one file in
 * memory at a time and memory stays bounded by the largest file per thread. Small trees are scanned in the calling
 * thread alone, because starting a worker costs more than it saves there.
 */

import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SkippedFile } from "../model/finding.js";
import { type CompiledRules, compileRules } from "./compile.js";
import { scanFileBytes } from "./file-scan.js";
import { DEFAULT_MAX_FILE_SIZE, scanSelectedFile } from "./read.js";
import { assembleResult } from "./scan-source.js";
import { mayBeGlob, type SelectedFile, type Selection, selectFiles } from "./select.js";
import type { FileScan, ScanResult, ScanSourceOptions, ScanTreeOptions } from "./types.js";
import type { WorkerFiles, WorkerResult, WorkerSetup } from "./worker.js";

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
  };
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const requestedJobs = Math.max(1, options.jobs ?? availableParallelism());

  // Workers start before the directories are walked, so they load the scanner and compile the rules on
  // other cores meanwhile. They are started only when the paths may name enough files to need them.
  const pool =
    requestedJobs > 1 && workerScriptExists() && mayNeedWorkers(paths, options.cwd)
      ? startWorkers(requestedJobs - 1, {
          rules: [...options.rules],
          options: sourceOptions,
          maxFileSize,
          counters: new Int32Array(new SharedArrayBuffer(8)),
        })
      : undefined;

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
    } finally {
      await pool.stop(0);
    }
  } else {
    await pool?.stop(0);
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
    notes: selection.notes.map((message) => ({ path: ".", message })),
  });
}

const workerUrl = new URL("./worker.js", import.meta.url);

/**
 * Check for the worker script next to this module. It exists in the built package only.
 * NOTE: run from the TypeScript sources (as in vitest), scanTree therefore always scans in one thread.
 */
function workerScriptExists(): boolean {
  return existsSync(fileURLToPath(workerUrl));
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
  workers: Worker[];
  /** Per worker: its results, or the error or exit that ended it without results. */
  results: Promise<WorkerResult[]>[];
  setup: WorkerSetup;
  /** Terminate the workers from index `from` on; all of them with 0. */
  stop(from: number): Promise<void>;
}

function startWorkers(count: number, setup: WorkerSetup): WorkerPool {
  const workers = Array.from({ length: count }, () => new Worker(workerUrl, { workerData: setup }));
  // Listeners are attached at once: a worker can fail while the files are still being selected.
  const results = workers.map(
    (worker) =>
      new Promise<WorkerResult[]>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`scan worker stopped with exit code ${code}`)));
      }),
  );
  // A worker that is stopped unused rejects its promise, and nothing awaits that promise.
  for (const result of results) result.catch(() => {});
  return {
    workers,
    results,
    setup,
    stop: async (from) => {
      await Promise.all(workers.slice(from).map((worker) => worker.terminate()));
    },
  };
}

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
  const { counters } = pool.setup;
  await pool.stop(workerCount);
  const workers = pool.workers.slice(0, workerCount);
  const finished = pool.results.slice(0, workerCount).map(async (result) => {
    for (const [index, outcome] of await result) outcomes[index] = outcome;
  });
  const message: WorkerFiles = { files: [...files] };
  for (const worker of workers) worker.postMessage(message);

  // The calling thread takes files from the same counter while the workers start.
  for (;;) {
    const index = Atomics.add(counters, 0, 1);
    if (index >= files.length) break;
    outcomes[index] = scanSelectedFile(files[index] as SelectedFile, compiled, sourceOptions, maxFileSize);
    const done = Atomics.add(counters, 1, 1) + 1;
    options.onProgress?.(done, files.length);
  }
  if (options.onProgress) {
    const timer = setInterval(() => options.onProgress?.(Atomics.load(counters, 1), files.length), 100);
    try {
      await Promise.all(finished);
    } finally {
      clearInterval(timer);
    }
  } else await Promise.all(finished);
}
