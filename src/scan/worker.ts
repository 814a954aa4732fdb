/**
 * Worker thread of `scanTree`. It takes file indexes from a counter shared with the other threads
 * (Atomics.add), so no thread waits for a message to get more work, and posts all its results at the end.
 */

import { parentPort, workerData } from "node:worker_threads";
import type { ScanRule } from "../rules/scan/model.js";
import { compileRules } from "./compile.js";
import { scanSelectedFile } from "./read.js";
import type { SelectedFile } from "./select.js";
import type { ScanSourceOptions } from "./types.js";

/** What a worker gets when it starts. */
export interface WorkerSetup {
  rules: ScanRule[];
  options: ScanSourceOptions;
  maxFileSize: number;
  files: SelectedFile[];
  /** [0]: next file index to take; [1]: number of files done, for the progress bar. */
  counters: Int32Array;
}

const setup = workerData as WorkerSetup;
const compiled = compileRules(setup.rules);
const results: [number, ReturnType<typeof scanSelectedFile>][] = [];
for (;;) {
  const index = Atomics.add(setup.counters, 0, 1);
  if (index >= setup.files.length) break;
  results.push([
    index,
    scanSelectedFile(setup.files[index] as SelectedFile, compiled, setup.options, setup.maxFileSize),
  ]);
  Atomics.add(setup.counters, 1, 1);
}
parentPort?.postMessage(results);
