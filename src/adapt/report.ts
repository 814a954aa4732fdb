import { plural } from "../report/common.js";
import type { ConfigReport } from "./adjust.js";
import type { SetupReport } from "./setup.js";

/** Version of the JSON document written by `vmsport config --format json`. */
export const CONFIG_REPORT_VERSION = 1;

/** Formats the report as the JSON document that `vmsport config --format json` prints. */
export function configReportJson(report: ConfigReport): string {
  return `${JSON.stringify({ schemaVersion: CONFIG_REPORT_VERSION, ...report }, null, 2)}\n`;
}

/** Formats the report for a terminal: changes first, then the macros left for review. */
export function configReportText(report: ConfigReport): string {
  const lines: string[] = [];
  const settings = [
    `OpenVMS ${report.settings.vmsVersion ?? "any version (tested with __CRTL_VER)"}`,
    `pointer size ${report.settings.pointerSize ?? "either (tested with __INITIAL_POINTER_SIZE)"}`,
    `target ${report.settings.target ?? "any"}`,
  ];
  const tests = report.review.filter((item) => item.category === "platform-test");
  const undefinedTests = report.review.filter((item) => item.category === "undefined-test");
  const settingsKept = report.review.filter((item) => item.category === "project-setting");
  // The same three groups as the lists below, so that the counts and the lists agree.
  const counts = [
    plural(report.changes.length, "change"),
    `${plural(report.unchanged, "known macro")} already right`,
    `${plural(tests.length, "configure result")} to check by hand`,
  ];
  if (undefinedTests.length > 0)
    counts.push(`${plural(undefinedTests.length, "failed test")} kept undefined`);
  if (settingsKept.length > 0) counts.push(`${plural(settingsKept.length, "project setting")} kept`);
  lines.push(`${report.file}: ${counts.join(", ")}`);
  lines.push(`  for ${settings.join(", ")}`);

  if (report.changes.length > 0) lines.push("", "Changes:");
  for (const change of report.changes) {
    lines.push(
      `  ${report.file}:${change.line}: ${change.macro} ${change.kind}: ${change.reason} [${change.ruleId}]`,
    );
  }

  if (tests.length > 0)
    lines.push("", "Configure results the knowledge base does not decide (check these by hand):");
  for (const item of tests) {
    const reason = item.reason === undefined ? "" : `  (${item.reason} [${item.ruleId ?? ""}])`;
    lines.push(`  ${report.file}:${item.line}: ${item.text.trim()}${reason}`);
  }
  if (undefinedTests.length > 0) {
    lines.push(
      "",
      `Configure tests that failed on Unix, kept undefined: ${unique(undefinedTests).join(", ")}`,
    );
  }
  if (settingsKept.length > 0) {
    lines.push("", `Project settings kept as they are: ${unique(settingsKept).join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}

function unique(items: readonly { macro: string }[]): string[] {
  return [...new Set(items.map((item) => item.macro))];
}

/** Summarises a setup report in one line for standard error. */
export function setupSummary(report: SetupReport): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `${count(report.executables.length, "foreign command", "foreign commands")}, ${count(report.shareables.length, "shareable image logical name", "shareable image logical names")}, ${count(report.features.length, "CRTL feature logical", "CRTL feature logicals")} (profile ${report.profile})`;
}
