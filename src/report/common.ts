import type { Finding, Severity } from "../model/finding.js";
import type { ScanRule } from "../rules/scan/model.js";
import { compareFindings as compareFindingPositions } from "../scan/file-scan.js";
import { compareText } from "../util/compare.js";
import type { FormatOptions } from "./types.js";

// NOTE: the project's public repository address is assumed here; change it when the repository is published.
/** Home page of the tool, written as the SARIF `informationUri`. */
export const PROJECT_URI = "https://github.com/vmsport/vmsport";

/** Base of the rule pages' URLs when the caller gives none. */
export const DEFAULT_HELP_URI_BASE = `${PROJECT_URI}/blob/main/docs/rules/`;

export const SEVERITY_ORDER: readonly Severity[] = ["error", "warning", "info"];

export { compareText };

/** Order of every format's output: the scanner's order (path, line, column, rule id), then message and fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareFindingPositions(a, b) ||
    compareText(a.message, b.message) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

export function ruleIndex(rules: readonly ScanRule[]): Map<string, ScanRule> {
  const index = new Map<string, ScanRule>();
  for (const rule of rules) index.set(rule.id, rule);
  return index;
}

/** Absolute URL of a rule's documentation page. */
export function helpUriOf(ruleId: string, options: FormatOptions): string {
  const base = options.helpUriBase ?? DEFAULT_HELP_URI_BASE;
  return `${base.endsWith("/") ? base : `${base}/`}${ruleId}.md`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export function comparePaths<T extends { path: string }>(a: T, b: T): number {
  return compareText(a.path, b.path);
}
