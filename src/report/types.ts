import type { ChalkInstance } from "chalk";

/**
 * Options of the scanner's output formatters. The formatters read the engine's `ScanResult` (see
 * `src/scan/types.ts`) and these options, nothing else.
 */

/** Output formats of `vmsport scan --format`. */
export const REPORT_FORMATS = ["text", "gcc", "json", "sarif", "github", "csv"] as const;

export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface FormatOptions {
  /** Chalk instance of the text format; a level-0 instance (no colour) when left out. */
  color?: ChalkInstance;
  toolVersion?: string;
  /** Exit code of the scan, written into the SARIF invocation and the JSON document. */
  exitCode?: number;
  /** URL that rule page names (`VMS1001.md`) are appended to; default the project's `docs/rules/`. */
  helpUriBase?: string;
  /** Command line of the scan, for the SARIF invocation. */
  commandLine?: string;
  /**
   * The current directory relative to the top of the repository (`GITHUB_WORKSPACE` or the git work tree),
   * with `/` separators. The `github` and `sarif` formats write paths relative to that top.
   */
  workspaceBase?: string;
}
