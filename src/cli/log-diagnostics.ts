/**
 * The log parser's warnings about a log as a whole (silent rules, unread response files, ambiguous
 * directories), written the same way by every command that reads a build log.
 */
import type { LogDiagnostic } from "../model/steps.js";
import type { Logger } from "../util/terminal.js";

/** Writes each diagnostic as a warning naming the log (and its line), then its hint. */
export function reportLogDiagnostics(
  logger: Logger,
  log: string,
  diagnostics: readonly LogDiagnostic[],
): void {
  for (const diagnostic of diagnostics) {
    logger.warn(`${log}${diagnostic.line === undefined ? "" : `:${diagnostic.line}`}: ${diagnostic.message}`);
    if (diagnostic.hint) logger.info(`  ${diagnostic.hint}`);
  }
}
