/**
 * Options and results of the scanner. `ScanResult` is what the formatters in `src/report/` receive.
 */

import type { Finding, Severity, SkippedFile } from "../model/finding.js";
import type { Ods, PointerSize, ScanRule, Target } from "../rules/scan/model.js";
import type { Suppression } from "./suppression.js";

/** Facts about the OpenVMS system the port is for; they decide #if branches and conditional severities. */
export interface ScanTargetOptions {
  /** Oldest OpenVMS version the port must run on, such as `8.4` or `9.2-2`. Unknown when absent. */
  vmsVersion?: string;
  /** Processor architecture; its predefined macros are unknown when absent. */
  target?: Target;
  ods?: Ods;
  pointerSize?: PointerSize;
  /** `--define NAME[=VALUE]`, as `NAME` or `NAME=VALUE`. */
  define?: readonly string[];
  /** `--undefine NAME`: treated as not defined, also overriding the built-in facts. */
  undefine?: readonly string[];
}

/** Options for one file. */
export interface ScanSourceOptions extends ScanTargetOptions {
  /** Report findings in branches that are dead on OpenVMS, as `info` with context `inactive`. */
  includeInactive?: boolean;
  /** Honour `vmsport-ignore` comments; default true. */
  inlineSuppressions?: boolean;
  /** Rule ids that are not reported. */
  disable?: readonly string[];
  /**
   * The current directory relative to the project's root, with `/` separators ("" when they are the same).
   * Fingerprints hash each finding's path joined to it, so a baseline matches from whichever directory of the
   * project the scan runs from.
   */
  fingerprintBase?: string;
}

export type FileEncoding = "utf-8" | "iso-8859-1";

/** A non-fatal remark about one file, such as a Latin-1 fallback or an unterminated comment. */
export interface ScanNote {
  path: string;
  line?: number;
  message: string;
}

/** Everything scanning one file produced. */
export interface FileScan {
  path: string;
  /** Findings of the per-file rules; `calledName` names the function a call finding is about. */
  findings: (Finding & { calledName?: string })[];
  lines: number;
  bytes: number;
  encoding: FileEncoding;
  /** Findings dropped because they sit in the non-OpenVMS branch of an `#ifdef __VMS`-style conditional. */
  alreadyPorted: number;
  /** Findings dropped because their branch is dead on OpenVMS (kept as info with --include-inactive). */
  inactive: number;
  notes: ScanNote[];
  /** File-scope names with external linkage, for the tree-wide checks. */
  externalNames: ExternalName[];
  /** Functions the file defines; calls to them are not calls into the C library. */
  definedFunctions: string[];
  /** Inline suppression directives, with how often each was used so far. */
  suppressions: Suppression[];
}

export interface ExternalName {
  name: string;
  line: number;
  column: number;
  /** The source line, for the finding's fingerprint. */
  lineText: string;
}

export interface ScanTreeOptions extends ScanSourceOptions {
  /** Files, directories and globs; relative ones are resolved against `cwd`. */
  paths: readonly string[];
  cwd: string;
  /** Globs a file must match (default: the C/C++ extensions). */
  include?: readonly string[];
  exclude?: readonly string[];
  /** Extra file list (already read from --files-from). */
  filesFrom?: readonly string[];
  /** Standard input contents and the name it is scanned as. */
  stdin?: { content: Buffer; fileName: string };
  followSymlinks?: boolean;
  /** Honour .gitignore inside a git work tree; default true. */
  gitignore?: boolean;
  /** In bytes. */
  maxFileSize?: number;
  /** Worker threads; 1 scans in the calling thread. Default: the number of CPUs. */
  jobs?: number;
  rules: readonly ScanRule[];
  /** Fingerprints of accepted findings; matching findings get `suppression.kind = "baseline"`. */
  baseline?: Baseline;
  /** Called after each file with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface Baseline {
  version: 1;
  fingerprints: string[];
}

export interface ScanSummary {
  filesScanned: number;
  filesSkipped: number;
  skippedByReason: Partial<Record<SkippedFile["reason"], number>>;
  /** Symbolic links that were not followed (without --follow-symlinks). */
  symlinksNotFollowed: number;
  lines: number;
  bytes: number;
  latin1Files: number;
  /** Reported findings (not suppressed) by rule id and by severity. */
  findingsByRule: Record<string, number>;
  findingsBySeverity: Record<Severity, number>;
  suppressed: { inline: number; baseline: number };
  alreadyPorted: number;
  inactive: number;
  durationMs: number;
  jobs: number;
}

export interface ScanResult {
  /** Relative paths of the scanned files, sorted. */
  files: string[];
  skipped: SkippedFile[];
  /** Sorted by path, line, column, rule; suppressed findings are included with `suppression` set. */
  findings: Finding[];
  notes: ScanNote[];
  summary: ScanSummary;
  /** The rules that were in effect, for SARIF `rules` and help texts. */
  rules: readonly ScanRule[];
  /** Directory the paths are relative to. */
  baseDirectory: string;
}
