import type { ScanResult } from "../scan/types.js";
import { UserError } from "../util/errors.js";
import { formatCsv } from "./csv.js";
import { formatGcc } from "./gcc.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";
import { type FormatOptions, REPORT_FORMATS, type ReportFormat } from "./types.js";

export { compareFindings, DEFAULT_HELP_URI_BASE, helpUriOf, sortFindings } from "./common.js";
export { formatCsv, quoteCsvField } from "./csv.js";
export { explainRule, listScanRules } from "./explain.js";
export { formatGcc } from "./gcc.js";
export { escapeCommandData, escapeCommandProperty, formatGithub } from "./github.js";
export { buildJsonReport, JSON_SCHEMA_VERSION, type JsonReport } from "./json.js";
export { buildSarifLog, FINGERPRINT_KEY, formatSarif } from "./sarif.js";
export { formatText, formatTextSummary } from "./text.js";
export * from "./types.js";

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * Formats the result of a scan in one of the output formats. Every format sorts findings by path, line,
 * column and rule id. The text format leaves the summary out, so callers write `formatTextSummary` to
 * standard error.
 */
export function formatFindings(
  format: ReportFormat | string,
  result: ScanResult,
  options: FormatOptions = {},
): string {
  switch (format) {
    case "text":
      return formatText(result, options);
    case "gcc":
      return formatGcc(result);
    case "json":
      return formatJson(result, options);
    case "sarif":
      return formatSarif(result, options);
    case "github":
      return formatGithub(result);
    case "csv":
      return formatCsv(result);
    default:
      throw new UserError(`unknown output format "${format}"`, {
        hint: `Use one of: ${REPORT_FORMATS.join(", ")}.`,
      });
  }
}
