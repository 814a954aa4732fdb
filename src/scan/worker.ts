/**
 * Worker thread of `scanTree`. It starts before the file list exists: it loads the scanner and compiles the
 * rules while the calling thread walks the directories, then waits for the list. It takes file indexes
 * from a counter shared with the other threads (Atomics.add), so no thread waits for a message to get more
 * work, and posts all its results at the end.
 */

import { parentPort, workerData } from "node:worker_threads";
import type { ScanRule } from "../rules/scan/model.js";
import { compileRules } from "./compile.js";
import { scanSelectedFile } from "./read.js";
import type { SelectedFile } from "./select.js";
import type { ScanSourceOptions } from "./types.js";

/** Worker data: the setup a worker receives when it starts. */
export interface WorkerSetup {
  rules: ScanRule[];
  options: ScanSourceOptions;
  maxFileSize: number;
  /** [0]: next file index to take; [1]: number of files done, for the progress bar. */
  counters: Int32Array;
}

/** The message that starts the scan: the files to share out, in the order of the counter's indexes. */
export interface WorkerFiles {
  files: SelectedFile[];
}

export type WorkerResult = [index: number, outcome: ReturnType<typeof scanSelectedFile>];

const setup = workerData as WorkerSetup;
const compiled = compileRules(setup.rules);

parentPort?.once("message", ({ files }: WorkerFiles) => {
  const results: WorkerResult[] = [];
  for (;;) {
    const index = Atomics.add(setup.counters, 0, 1);
    if (index >= files.length) break;
    results.push([
      index,
      scanSelectedFile(files[index] as SelectedFile, compiled, setup.options, setup.maxFileSize),
    ]);
    Atomics.add(setup.counters, 1, 1);
  }
  parentPort?.postMessage(results);
});
