/**
 * Names of the temporary files that outputs are written to before they are renamed into place, and their
 * removal when the process is interrupted. Without it, Ctrl-C during a large `translate` leaves thousands
 * of hidden `.tmp` files beside the outputs.
 */
import { randomBytes } from "node:crypto";
import { unlinkSync } from "node:fs";
import path from "node:path";

const pending = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let handlersInstalled = false;

/** Removes the pending temporary files, then ends the process by the same signal, as it would have ended. */
function interrupted(signal: NodeJS.Signals): void {
  for (const file of pending) {
    try {
      unlinkSync(file);
    } catch {
      // A file that is already gone, or cannot be removed, must not stop the others from going.
    }
  }
  pending.clear();
  for (const other of SIGNALS) process.removeListener(other, interrupted);
  process.kill(process.pid, signal);
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
