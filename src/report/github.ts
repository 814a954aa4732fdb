import { posix } from "node:path";
import type { Severity } from "../model/finding.js";
import type { ScanResult } from "../scan/types.js";
import { ruleIndex, sortFindings } from "./common.js";
import type { FormatOptions } from "./types.js";

/** GitHub Actions has three annotation levels; `notice` is its name for information. */
const COMMAND_OF: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

/** Escapes the message part of a workflow command, which ends at the line break. */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value, where `:` ends the property list and `,` separates properties. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * Formats findings as GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), which
 * the runner turns into annotations on the pull request. Suppressed findings are left out.
 */
export function formatGithub(
  result: Pick<ScanResult, "findings" | "rules">,
  options: Pick<FormatOptions, "workspaceBase"> = {},
): string {
  const rules = ruleIndex(result.rules);
  const base = options.workspaceBase ?? "";
  let output = "";
  for (const finding of sortFindings(result.findings)) {
    if (finding.suppression) continue;
    const title = rules.get(finding.ruleId)?.title;
    // The runner reads `file` relative to the top of the repository, not to the directory the scan ran in.
    const file = base === "" ? finding.path : posix.normalize(posix.join(base, finding.path));
    const properties = [
      `file=${escapeCommandProperty(file)}`,
      `line=${finding.line}`,
      `col=${finding.column}`,
    ];
    if (finding.endLine !== undefined) properties.push(`endLine=${finding.endLine}`);
    // GitHub ignores endColumn on annotations that span several lines.
    if (
      finding.endColumn !== undefined &&
      (finding.endLine === undefined || finding.endLine === finding.line)
    ) {
      properties.push(`endColumn=${finding.endColumn}`);
    }
    properties.push(`title=${escapeCommandProperty(title ? `${finding.ruleId} ${title}` : finding.ruleId)}`);
    output += `::${COMMAND_OF[finding.severity]} ${properties.join(",")}::${escapeCommandData(finding.message)}\n`;
  }
  return output;
}
