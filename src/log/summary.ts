/** The readable summary printed by `vmsport parse --format text`. */
import type { LogDiagnostic, ParseSummary, StepKind } from "../model/steps.js";

const KIND_ORDER: readonly StepKind[] = ["compile", "archive", "link", "shell", "unknown"];

/** Formats the counts of a parse and the diagnostics about the log as a whole. */
export function formatSummaryText(
  log: string,
  summary: ParseSummary,
  diagnostics: readonly LogDiagnostic[],
): string {
  const total = KIND_ORDER.reduce((sum, kind) => sum + summary.steps[kind], 0);
  const lines = [`${log}: ${summary.lines} lines, ${total} steps`];
  for (const kind of KIND_ORDER) lines.push(`  ${kind.padEnd(8)} ${String(summary.steps[kind]).padStart(7)}`);
  lines.push(`  ambiguous directories     ${summary.ambiguousDirectories}`);
  lines.push(`  silent-rule targets       ${summary.silentRuleTargets}`);
  lines.push(`  unresolved response files ${summary.unresolvedResponseFiles}`);
  if (summary.unattachedDiagnostics !== undefined)
    lines.push(`  unattached diagnostics    ${summary.unattachedDiagnostics}`);
  if (summary.lineCounts) {
    const used = Object.entries(summary.lineCounts)
      .filter(([, count]) => count > 0)
      .map(([category, count]) => `${category} ${count}`)
      .join(", ");
    lines.push(`  lines by use: ${used}`);
  }
  for (const diagnostic of diagnostics) {
    const where = diagnostic.line === undefined ? "" : ` (line ${diagnostic.line})`;
    lines.push(`${diagnostic.severity}: ${diagnostic.message}${where}`);
    if (diagnostic.hint) lines.push(`  ${diagnostic.hint}`);
  }
  return `${lines.join("\n")}\n`;
}
