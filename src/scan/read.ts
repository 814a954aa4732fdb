/** Reading one selected file, with the reasons a file is skipped instead of scanned. */

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { SkippedFile } from "../model/finding.js";
import type { CompiledRules } from "./compile.js";
import { scanFileBytes } from "./file-scan.js";
import type { SelectedFile } from "./select.js";
import type { FileScan, ScanSourceOptions } from "./types.js";

/** Default --max-file-size in bytes: larger files are generated tables rather than code to port. */
export const DEFAULT_MAX_FILE_SIZE = 8 * 1024 * 1024;

/** A file's bytes, or why it was skipped. */
export type ReadOutcome = { content: Buffer } | { skipped: SkippedFile };

/**
 * Read a selected file whole, or return why it is skipped: missing, unreadable, larger than `maxFileSize`
 * or binary (it contains NUL bytes). The content owns its ArrayBuffer, so a worker can transfer it.
 */
export function readSelectedFile(file: SelectedFile, maxFileSize: number): ReadOutcome {
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
    const content = Buffer.allocUnsafeSlow(size);
    let read = 0;
    while (read < size) {
      const count = readSync(descriptor, content, read, size - read, read);
      if (count === 0) break;
      read += count;
    }
    // A file that shrank while it was read is scanned as far as it was read.
    let bytes = content;
    if (read < size) {
      bytes = Buffer.allocUnsafeSlow(read);
      content.copy(bytes, 0, 0, read);
    }
    // Buffer#indexOf with a number runs memchr over every byte of the tree. Called once per file, its
    // JavaScript wrapper stays unoptimized (unlike in the lexer), so V8 spends no compile time on it.
    if (bytes.indexOf(0) >= 0)
      return { skipped: { path: file.relative, reason: "binary", detail: "contains NUL bytes" } };
    return { content: bytes };
  } catch (error) {
    return { skipped: unreadable(file, error) };
  } finally {
    closeSync(descriptor);
  }
}

/** Build the skip record of a file that could not be read or scanned. */
export function unreadable(file: SelectedFile, error: unknown): SkippedFile {
  return { path: file.relative, reason: "unreadable", detail: (error as Error).message };
}

/** Read and scan one file, or return why it was skipped. */
export function scanSelectedFile(
  file: SelectedFile,
  compiled: CompiledRules,
  options: ScanSourceOptions,
  maxFileSize: number,
): { scan: FileScan } | { skipped: SkippedFile } {
  const outcome = readSelectedFile(file, maxFileSize);
  if ("skipped" in outcome) return outcome;
  try {
    return { scan: scanFileBytes(outcome.content, file.relative, compiled, options) };
  } catch (error) {
    return { skipped: unreadable(file, error) };
  }
}
