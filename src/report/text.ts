import { Chalk, type ChalkInstance } from "chalk";
import type { Finding, Severity, SkippedFile } from "../model/finding.js";
import type { ScanResult, ScanSummary } from "../scan/types.js";
import { comparePaths, plural, SEVERITY_ORDER, sortFindings } from "./common.js";
import type { FormatOptions } from "./types.js";

const NO_COLOR = new Chalk({ level: 0 });

function paintSeverity(color: ChalkInstance, severity: Severity, text: string): string {
  if (severity === "error") return color.red.bold(text);
  if (severity === "warning") return color.yellow(text);
  return color.cyan(text);
}

/** Indents the continuation lines of a multi-line message so they stay under the finding they belong to. */
function indentContinuation(text: string, indent: string): string {
  return text.replace(/\r\n|[\r\n]/g, `\n${indent}`);
}

function formatFinding(finding: Finding, color: ChalkInstance, width: { position: number }): string {
  const position = `${finding.line}:${finding.column}`.padEnd(width.position);
  const severity = finding.severity.padEnd(7);
  const indent = " ".repeat(2 + width.position + 2 + 7 + 2);
  let text = `  ${color.dim(position)}  ${paintSeverity(color, finding.severity, severity)}  `;
  text += `${indentContinuation(finding.message, indent)}  ${color.dim(finding.ruleId)}`;
  if (finding.context === "inactive") text += ` ${color.dim("(in a branch inactive on OpenVMS)")}`;
  text += "\n";
  if (finding.alternative) {
    text += `${indent}${color.green("OpenVMS:")} ${indentContinuation(finding.alternative, `${indent}         `)}\n`;
  }
  text += `${indent}${color.dim(`More: vmsport rules explain ${finding.ruleId}`)}\n`;
  return text;
}

/**
 * Formats findings for a person at a terminal: grouped by file, one block per finding with its position,
 * severity, message, rule id, the OpenVMS alternative and the command that explains the rule. Suppressed
 * findings are left out; the summary from `formatTextSummary` counts them.
 */
export function formatText(result: Pick<ScanResult, "findings">, options: FormatOptions = {}): string {
  const color = options.color ?? NO_COLOR;
  const findings = sortFindings(result.findings).filter((finding) => !finding.suppression);
  const byPath = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = byPath.get(finding.path);
    if (list) list.push(finding);
    else byPath.set(finding.path, [finding]);
  }

  const blocks: string[] = [];
  for (const [filePath, list] of byPath) {
    const positionWidth = Math.max(...list.map((finding) => `${finding.line}:${finding.column}`.length));
    let block = `${color.underline(filePath)}\n`;
    for (const finding of list) block += formatFinding(finding, color, { position: positionWidth });
    blocks.push(block);
  }
  return blocks.join("\n");
}

function formatDuration(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(2)} s`;
}

/** Words for the reasons a file was skipped, which the JSON and SARIF formats keep as tokens. */
const SKIP_REASONS: Record<SkippedFile["reason"], string> = {
  binary: "binary",
  unreadable: "unreadable",
  "too-large": "too large",
  "not-found": "not found",
  "symlink-loop": "symbolic link loop",
};

function describeCounts(summary: ScanSummary): string {
  const counts = summary.findingsBySeverity;
  const total = counts.error + counts.warning + counts.info;
  // "info" is a mass noun, so it keeps its form after any number.
  const parts = SEVERITY_ORDER.filter((severity) => counts[severity] > 0).map((severity) =>
    severity === "info" ? `${counts.info} info` : plural(counts[severity], severity),
  );
  return total === 0 ? "no findings" : `${plural(total, "finding")} (${parts.join(", ")})`;
}

/**
 * Formats the scan summary that text mode writes to standard error: files scanned and skipped with reasons,
 * findings per severity and per rule, suppressed and already-ported counts, and the time taken.
 */
export function formatTextSummary(
  result: Pick<ScanResult, "skipped" | "summary"> & Partial<Pick<ScanResult, "findings">>,
  options: FormatOptions & { hidden?: { count: number; minSeverity: string } } = {},
): string {
  const color = options.color ?? NO_COLOR;
  const summary = result.summary;
  const lines: string[] = [];

  let files = `Scanned ${plural(summary.filesScanned, "file")}`;
  if (summary.filesSkipped > 0) {
    const reasons = Object.entries(summary.skippedByReason)
      .map(([reason, count]) => `${count} ${SKIP_REASONS[reason as SkippedFile["reason"]] ?? reason}`)
      .join(", ");
    files += `, skipped ${summary.filesSkipped} (${reasons})`;
  }
  files += ` in ${formatDuration(summary.durationMs)}`;
  lines.push(`${files}.`);
  if (summary.symlinksNotFollowed > 0) {
    lines.push(
      `${plural(summary.symlinksNotFollowed, "symbolic link")} not followed; --follow-symlinks scans what ${summary.symlinksNotFollowed === 1 ? "it points" : "they point"} to.`,
    );
  }

  const counts = describeCounts(summary);
  let findings = counts === "no findings" ? "No findings" : `Found ${counts}`;
  const suppressed = summary.suppressed.inline + summary.suppressed.baseline;
  if (suppressed > 0) findings += `, ${suppressed} suppressed`;
  if (summary.alreadyPorted > 0) findings += `, ${summary.alreadyPorted} already handled for OpenVMS`;
  if (summary.inactive > 0) {
    // With --include-inactive those findings are among the ones counted above, so they are not added twice.
    const shown = result.findings?.some((finding) => finding.context === "inactive") === true;
    findings += shown
      ? `; ${summary.inactive} of them in branches inactive on OpenVMS`
      : `, ${summary.inactive} more in branches inactive on OpenVMS`;
  }
  lines.push(`${findings}.`);
  if (options.hidden !== undefined && options.hidden.count > 0) {
    const { count, minSeverity } = options.hidden;
    lines.push(
      `${plural(count, "finding")} below --min-severity ${minSeverity} ${count === 1 ? "is" : "are"} not shown.`,
    );
  }

  const perRule = Object.keys(summary.findingsByRule)
    .sort()
    .map((id) => `${id} ${summary.findingsByRule[id]}`);
  if (perRule.length > 0) lines.push(color.dim(`By rule: ${perRule.join(", ")}`));

  for (const skip of [...result.skipped].sort(comparePaths)) {
    const reason = SKIP_REASONS[skip.reason] ?? skip.reason;
    lines.push(color.yellow(`Skipped ${skip.path}: ${reason}${skip.detail ? ` (${skip.detail})` : ""}`));
  }
  return `${lines.join("\n")}\n`;
}
