/** Reading one selected file, with the reasons a file is skipped instead of scanned. */

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { SkippedFile } from "../model/finding.js";
import type { CompiledRules } from "./compile.js";
import { scanFileBytes } from "./file-scan.js";
import type { SelectedFile } from "./select.js";
import type { FileScan, ScanSourceOptions } from "./types.js";

/** Default --max-file-size in bytes: larger files are generated tables rather than code to port. */
export const DEFAULT_MAX_FILE_SIZE = 8 * 1024 * 1024;

/** Read and scan one file, or return why it was skipped. */
export function scanSelectedFile(
  file: SelectedFile,
  compiled: CompiledRules,
  options: ScanSourceOptions,
  maxFileSize: number,
): { scan: FileScan } | { skipped: SkippedFile } {
  let descriptor: number;
  try {
    descriptor = openSync(file.absolute, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      skipped: {
        path: file.relative,
        reason: code === "ENOENT" ? "not-found" : "unreadable",
        detail: (error as Error).message,
      },
    };
  }
  try {
    const size = fstatSync(descriptor).size;
    if (size > maxFileSize) {
      return {
        skipped: {
          path: file.relative,
          reason: "too-large",
          detail: `${size} bytes; the limit is ${maxFileSize} (--max-file-size)`,
        },
      };
    }
    const content = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const count = readSync(descriptor, content, read, size - read, read);
      if (count === 0) break;
      read += count;
    }
    const bytes = read === size ? content : content.subarray(0, read);
    if (bytes.indexOf(0) >= 0)
      return { skipped: { path: file.relative, reason: "binary", detail: "contains NUL bytes" } };
    return { scan: scanFileBytes(bytes, file.relative, compiled, options) };
  } catch (error) {
    return { skipped: { path: file.relative, reason: "unreadable", detail: (error as Error).message } };
  } finally {
    closeSync(descriptor);
  }
}
