/**
 * Importing one output format's formatter. A scan writes one format, so `vmsport scan` imports only that
 * formatter instead of `./index.js`, which loads all of them at start-up.
 */

import type { ScanResult } from "../scan/types.js";
import { UserError } from "../util/errors.js";
import { type FormatOptions, REPORT_FORMATS } from "./types.js";

/** A formatter as `formatFindings` calls it. */
export type Formatter = (result: ScanResult, options: FormatOptions) => string;

/**
 * Import the formatter of `format`. It writes the same text as `formatFindings(format, …)`, and an unknown
 * format raises the same UserError.
 */
export async function loadFormatter(format: string): Promise<Formatter> {
  switch (format) {
    case "text":
      return (await import("./text.js")).formatText;
    case "gcc":
      return (await import("./gcc.js")).formatGcc;
    case "json":
      return (await import("./json.js")).formatJson;
    case "sarif":
      return (await import("./sarif.js")).formatSarif;
    case "github":
      return (await import("./github.js")).formatGithub;
    case "csv":
      return (await import("./csv.js")).formatCsv;
    default:
      throw new UserError(`unknown output format "${format}"`, {
        hint: `Use one of: ${REPORT_FORMATS.join(", ")}.`,
      });
  }
}
