/**
 * Names of the temporary files that outputs are written to before they are renamed into place, and their
 * removal when the process is interrupted. Without it, Ctrl-C during a large `translate` leaves thousands
 * of hidden `.tmp` files beside the outputs.
 */
import { randomBytes } from "node:crypto";
import { unlinkSync } from "node:fs";
import { constants } from "node:os";
import path from "node:path";

const pending = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let handlersInstalled = false;

function removePending(): void {
  for (const file of pending) {
    try {
      unlinkSync(file);
    } catch {
      // A file that is already gone, or cannot be removed, must not stop the others from going.
    }
  }
}

/**
 * Removes the pending temporary files and exits with 128 plus the signal number, as a shell reports a command
 * ended by that signal. Re-raising the signal instead left the process running for a while when libuv still
 * caught it, and writes queued in the thread pool kept creating temporary files meanwhile. The exit handler
 * removes the few that such writes create between this removal and the exit.
 */
function interrupted(signal: NodeJS.Signals): void {
  removePending();
  process.on("exit", removePending);
  process.exit(128 + (constants.signals[signal] ?? 0));
}

/**
 * Returns a new temporary file name beside `target` and records it for removal on SIGINT, SIGTERM or SIGHUP
 * until `releaseTemporary` is called for it.
 */
export function temporaryPath(target: string): string {
  return trackTemporary(
    path.join(
      path.dirname(target),
      `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
    ),
  );
}

/** Records a temporary file named by the caller for removal on interruption, and returns its name. */
export function trackTemporary(file: string): string {
  if (!handlersInstalled) {
    handlersInstalled = true;
    for (const signal of SIGNALS) process.on(signal, interrupted);
  }
  pending.add(file);
  return file;
}

/** Stops tracking a temporary file, once it was renamed into place or removed. */
export function releaseTemporary(file: string): void {
  pending.delete(file);
}
