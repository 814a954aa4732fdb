import type { Finding, SkippedFile } from "../model/finding.js";
import type { ScanNote, ScanResult, ScanSummary } from "../scan/types.js";
import { comparePaths, helpUriOf, ruleIndex, sortFindings } from "./common.js";
import type { FormatOptions } from "./types.js";

/**
 * Version of the JSON document. Adding a field keeps the number, while renaming or removing one, or changing
 * a field's meaning, raises it.
 */
export const JSON_SCHEMA_VERSION = 1;

export interface JsonFinding {
  ruleId: string;
  title?: string;
  severity: Finding["severity"];
  confidence: Finding["confidence"];
  path: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  alternative?: string;
  context?: Finding["context"];
  fingerprint: string;
  suppression?: Finding["suppression"];
  helpUri: string;
}

/** The document `vmsport scan --format json` writes. */
export interface JsonReport {
  schemaVersion: typeof JSON_SCHEMA_VERSION;
  tool: { name: "vmsport"; version?: string };
  exitCode?: number;
  /** Directory the paths are relative to. */
  baseDirectory: string;
  summary: ScanSummary;
  /** Findings sorted by path, line, column and rule, suppressed ones included with `suppression` set. */
  findings: JsonFinding[];
  files: string[];
  skipped: SkippedFile[];
  notes: ScanNote[];
}

function jsonFindingOf(finding: Finding, title: string | undefined, options: FormatOptions): JsonFinding {
  const entry: JsonFinding = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    confidence: finding.confidence,
    path: finding.path,
    line: finding.line,
    column: finding.column,
    message: finding.message,
    fingerprint: finding.fingerprint,
    helpUri: helpUriOf(finding.ruleId, options),
  };
  if (title !== undefined) entry.title = title;
  if (finding.endLine !== undefined) entry.endLine = finding.endLine;
  if (finding.endColumn !== undefined) entry.endColumn = finding.endColumn;
  if (finding.alternative !== undefined) entry.alternative = finding.alternative;
  if (finding.context !== undefined) entry.context = finding.context;
  if (finding.suppression !== undefined) entry.suppression = finding.suppression;
  return entry;
}

/** Builds the JSON document as an object, for callers that embed it in something larger. */
export function buildJsonReport(result: ScanResult, options: FormatOptions = {}): JsonReport {
  const rules = ruleIndex(result.rules);
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool:
      options.toolVersion === undefined
        ? { name: "vmsport" }
        : { name: "vmsport", version: options.toolVersion },
    ...(options.exitCode === undefined ? {} : { exitCode: options.exitCode }),
    baseDirectory: result.baseDirectory,
    summary: result.summary,
    findings: sortFindings(result.findings).map((finding) =>
      jsonFindingOf(finding, rules.get(finding.ruleId)?.title, options),
    ),
    files: [...result.files],
    skipped: [...result.skipped].sort(comparePaths),
    notes: [...result.notes],
  };
}

/** Formats a scan as one JSON document (two-space indentation, final newline), suppressed findings included. */
export function formatJson(result: ScanResult, options: FormatOptions = {}): string {
  return `${JSON.stringify(buildJsonReport(result, options), null, 2)}\n`;
}
