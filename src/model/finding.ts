/**
 * Findings of `vmsport scan`, kept as data. Formatters in `src/report/` turn them into text, gcc-style lines,
 * JSON, SARIF, GitHub annotations or CSV; no other module writes prose about a finding.
 */

export type Severity = "error" | "warning" | "info";

export type Confidence = "high" | "medium" | "low";

export interface Finding {
  /** Rule id such as `VMS1001`. */
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  /** Path relative to the scan's base directory, with `/` separators. */
  path: string;
  /** 1-based physical line and column of the name or construct the finding is about. */
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  /** What to do instead on OpenVMS. */
  alternative?: string;
  /** Stable across inserted lines: rule, path, normalised line text and occurrence number, hashed. */
  fingerprint: string;
  /** Set when an inline directive or a baseline suppressed the finding; such findings are reported, not counted. */
  suppression?: { kind: "inline" | "baseline"; justification?: string };
  /** `inactive` when the finding sits in a branch that is dead for OpenVMS and --include-inactive was given. */
  context?: "active" | "unknown-condition" | "inactive";
}

export interface SkippedFile {
  path: string;
  reason: "binary" | "unreadable" | "too-large" | "not-found" | "symlink-loop";
  detail?: string;
}
