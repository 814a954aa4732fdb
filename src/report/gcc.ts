import type { ScanResult } from "../scan/types.js";
import { sortFindings } from "./common.js";

/** Line breaks would split one finding over several lines, which editors' error parsers would misread. */
function singleLine(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, " ");
}

/**
 * Formats findings as `path:line:column: severity: message [VMSnnnn]`, the form that compilers print and that
 * editors and CI problem matchers parse, with `note` for info as gcc has it. Suppressed findings are left out.
 */
export function formatGcc(result: Pick<ScanResult, "findings">): string {
  let output = "";
  for (const finding of sortFindings(result.findings)) {
    if (finding.suppression) continue;
    const message = singleLine(finding.message);
    // gcc calls its informational messages notes, and problem matchers look for that word.
    const severity = finding.severity === "info" ? "note" : finding.severity;
    output += `${finding.path}:${finding.line}:${finding.column}: ${severity}: ${message} [${finding.ruleId}]\n`;
  }
  return output;
}
