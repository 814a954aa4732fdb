import type { Finding } from "../model/finding.js";
import type { ScanResult } from "../scan/types.js";
import { ruleIndex, sortFindings } from "./common.js";

const COLUMNS = [
  "path",
  "line",
  "column",
  "end_line",
  "end_column",
  "severity",
  "confidence",
  "rule",
  "title",
  "message",
  "alternative",
  "context",
  "suppressed",
  "justification",
  "fingerprint",
] as const;

/** Quotes a field as RFC 4180 requires: when it contains a quote, a comma, CR or LF, with quotes doubled. */
export function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function rowOf(finding: Finding, title: string): string[] {
  return [
    finding.path,
    String(finding.line),
    String(finding.column),
    finding.endLine === undefined ? "" : String(finding.endLine),
    finding.endColumn === undefined ? "" : String(finding.endColumn),
    finding.severity,
    finding.confidence,
    finding.ruleId,
    title,
    finding.message,
    finding.alternative ?? "",
    finding.context ?? "",
    finding.suppression ? finding.suppression.kind : "",
    finding.suppression?.justification ?? "",
    finding.fingerprint,
  ];
}

/**
 * Formats findings as CSV with a header row and CRLF record ends (RFC 4180). Suppressed findings are included,
 * with the suppression kind (`inline` or `baseline`) in the `suppressed` column, so a spreadsheet shows them all.
 */
export function formatCsv(result: Pick<ScanResult, "findings" | "rules">): string {
  const rules = ruleIndex(result.rules);
  const lines = [COLUMNS.join(",")];
  for (const finding of sortFindings(result.findings)) {
    const row = rowOf(finding, rules.get(finding.ruleId)?.title ?? "");
    lines.push(row.map(quoteCsvField).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
