/**
 * `scanTree`: select files, scan them on several threads, then run the tree-wide checks. The calling thread
 * and `jobs - 1` worker threads take file indexes from one shared counter, so each thread holds one file at
 * a time and memory stays bounded by the largest file per thread. Small trees are scanned in the calling
 * thread alone, because starting a worker costs more than it saves there.
 */

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SkippedFile } from "../model/finding.js";
import { compileRules } from "./compile.js";
import { scanFileBytes } from "./file-scan.js";
import { DEFAULT_MAX_FILE_SIZE, scanSelectedFile } from "./read.js";
import { assembleResult } from "./scan-source.js";
import { type SelectedFile, selectFiles } from "./select.js";
import type { FileScan, ScanResult, ScanSourceOptions, ScanTreeOptions } from "./types.js";
import type { WorkerSetup } from "./worker.js";

/** Below this many files the scan runs in the calling thread only. */
const MIN_FILES_FOR_WORKERS = 48;

type Outcome = { scan: FileScan } | { skipped: SkippedFile };

export async function scanTree(options: ScanTreeOptions): Promise<ScanResult> {
  const started = performance.now();
  const selection = await selectFiles({
    paths: [...options.paths, ...(options.filesFrom ?? [])],
    cwd: options.cwd,
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.followSymlinks ? { followSymlinks: true } : {}),
    ...(options.gitignore === false ? { gitignore: false } : {}),
  });
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
  const compiled = compileRules(options.rules);
  const requestedJobs = Math.max(1, options.jobs ?? availableParallelism());

  const outcomes: Outcome[] = new Array(selection.files.length);
  const useWorkers =
    requestedJobs > 1 && selection.files.length >= MIN_FILES_FOR_WORKERS && workerScriptExists();
  const jobs = useWorkers ? requestedJobs : 1;
  if (useWorkers)
    await scanInParallel(selection.files, outcomes, jobs - 1, options, sourceOptions, maxFileSize);
  else {
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

async function scanInParallel(
  files: readonly SelectedFile[],
  outcomes: Outcome[],
  workerCount: number,
  options: ScanTreeOptions,
  sourceOptions: ScanSourceOptions,
  maxFileSize: number,
): Promise<void> {
  const compiled = compileRules(options.rules);
  const counters = new Int32Array(new SharedArrayBuffer(8));
  const setup: WorkerSetup = {
    rules: [...options.rules],
    options: sourceOptions,
    maxFileSize,
    files: [...files],
    counters,
  };
  const workers = Array.from({ length: workerCount }, () => new Worker(workerUrl, { workerData: setup }));
  const finished = workers.map(
    (worker) =>
      new Promise<void>((resolve, reject) => {
        worker.once("message", (results: [number, Outcome][]) => {
          for (const [index, outcome] of results) outcomes[index] = outcome;
          resolve();
        });
        worker.once("error", reject);
        worker.once("exit", (code) => {
          if (code !== 0) reject(new Error(`scan worker stopped with exit code ${code}`));
        });
      }),
  );

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
  await Promise.all(workers.map((worker) => worker.terminate()));
}
