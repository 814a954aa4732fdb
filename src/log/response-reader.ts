/**
 * Reading response files from the file system for one parse. A log names the same `@file` on many command
 * lines, and under ninja most of them were deleted after the build, so each path's result is kept for the
 * rest of the run, the missing ones included.
 */
import { readFileSync, statSync } from "node:fs";
import type { ResponseFileReader } from "./response.js";

/** Response files larger than this are not read; real ones hold a few kilobytes of options. */
export const MAX_RESPONSE_FILE_BYTES = 1 << 20;
/** Number of paths whose result is kept. Past it the cache starts again empty. */
const MAX_CACHED_PATHS = 4096;
/** Bytes of file content kept. Past it the cache starts again empty, so memory stays bounded. */
const MAX_CACHED_BYTES = 4 << 20;
/** Files larger than this are read again on each use instead of being kept. */
const MAX_CACHED_FILE_BYTES = 64 * 1024;

/** Creates a reader that returns a regular file's bytes, or undefined when it is missing or unreadable. */
export function createResponseFileReader(): ResponseFileReader {
  const cache = new Map<string, Buffer | null>();
  let cachedBytes = 0;
  return (file) => {
    const cached = cache.get(file);
    if (cached !== undefined) return cached ?? undefined;
    const content = readResponseFile(file);
    const size = content?.length ?? 0;
    if (size <= MAX_CACHED_FILE_BYTES) {
      if (cache.size >= MAX_CACHED_PATHS || cachedBytes + size > MAX_CACHED_BYTES) {
        cache.clear();
        cachedBytes = 0;
      }
      cache.set(file, content ?? null);
      cachedBytes += size;
    }
    return content;
  };
}

function readResponseFile(file: string): Buffer | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > MAX_RESPONSE_FILE_BYTES) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
