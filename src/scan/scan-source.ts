/**
 * Pure entry points: scan one file or a set of in-memory files, and put per-file scans and tree-wide
 * findings together into a `ScanResult`.
 */

import type { Finding, SkippedFile } from "../model/finding.js";
import type { ScanRule } from "../rules/scan/model.js";
import { compareText } from "../util/compare.js";
import { compileRules } from "./compile.js";
import { assignFingerprints, compareFindings, fingerprintOf, scanFileBytes } from "./file-scan.js";
import { SuppressionIndex } from "./suppression.js";
import { checkTree } from "./tree-checks.js";
import type { Baseline, FileScan, ScanNote, ScanResult, ScanSourceOptions, ScanSummary } from "./types.js";

export interface SourceInput {
  /** Relative path with `/` separators, as findings report it. */
  path: string;
  content: string | Buffer;
}

const toBuffer = (content: string | Buffer) =>
  typeof content === "string" ? Buffer.from(content, "utf8") : content;

/**
 * Scan one file. Tree-wide rules see only this file, so external-name collisions across files are not found;
 * use `scanSources` or `scanTree` for those.
 */
export function scanSource(
  source: string | Buffer,
  fileName: string,
  rules: readonly ScanRule[],
  options: ScanSourceOptions = {},
): Finding[] {
  return scanSources([{ path: fileName, content: source }], rules, options).findings;
}

/** Scan in-memory files as one tree: per-file rules, tree-wide rules and unused-directive reports. */
export function scanSources(
  files: readonly SourceInput[],
  rules: readonly ScanRule[],
  options: ScanSourceOptions = {},
): ScanResult {
  const started = performance.now();
  const compiled = compileRules(rules);
  const scans = files.map((file) => scanFileBytes(toBuffer(file.content), file.path, compiled, options));
  return assembleResult(scans, [], rules, options, {
    started,
    jobs: 1,
    symlinksNotFollowed: 0,
    baseDirectory: "",
  });
}

export interface AssembleExtras {
  started: number;
  jobs: number;
  symlinksNotFollowed: number;
  baseDirectory: string;
  baseline?: Baseline;
  notes?: ScanNote[];
}

/** Fallback for VMS0001 when the rule files do not define it. */
const UNUSED_DIRECTIVE_RULE: ScanRule = {
  id: "VMS0001",
  title: "Unused vmsport-ignore directive",
  family: "meta",
  severity: "warning",
  confidence: "high",
  message: "{text}",
  alternative: "Delete the directive, or correct its rule id.",
  match: { meta: "unused-suppression" },
  examples: { fire: [], pass: [] },
  kind: "meta",
  file: "(built in)",
};

/** Combine per-file scans into the final result: tree checks, suppressions, baseline, order and summary. */
export function assembleResult(
  scans: readonly FileScan[],
  skipped: readonly SkippedFile[],
  rules: readonly ScanRule[],
  options: ScanSourceOptions,
  extras: AssembleExtras,
): ScanResult {
  const findings: Finding[] = [];
  const defined = new Set<string>();
  for (const scan of scans) for (const name of scan.definedFunctions) defined.add(name);

  const indexes = new Map<string, SuppressionIndex>();
  for (const scan of scans) {
    indexes.set(scan.path, new SuppressionIndex(scan.suppressions));
    for (const finding of scan.findings) {
      // A call to a function the tree defines is a call to the project's own code.
      if (finding.calledName !== undefined && defined.has(finding.calledName)) {
        if (finding.suppression?.kind === "inline") releaseSuppression(scan, finding);
        continue;
      }
      const { calledName: _calledName, ...plain } = finding;
      findings.push(plain);
    }
  }

  const treeFindings = checkTree(scans, rules, options);
  const treeWithText: Finding[] = [];
  for (const { lineText, ...finding } of treeFindings) {
    finding.fingerprint = lineText;
    const suppression = indexes.get(finding.path)?.take(finding.ruleId, finding.line);
    if (suppression) {
      finding.suppression = {
        kind: "inline",
        ...(suppression.justification ? { justification: suppression.justification } : {}),
      };
    }
    treeWithText.push(finding);
  }
  assignFingerprints(treeWithText, options.fingerprintBase);
  findings.push(...treeWithText);

  if (options.inlineSuppressions !== false) findings.push(...unusedDirectiveFindings(scans, rules, options));

  if (extras.baseline) {
    const accepted = new Set(extras.baseline.fingerprints);
    for (const finding of findings) {
      if (!finding.suppression && accepted.has(finding.fingerprint))
        finding.suppression = { kind: "baseline" };
    }
  }
  findings.sort(compareFindings);

  const notes = [...(extras.notes ?? []), ...scans.flatMap((scan) => scan.notes)];
  return {
    files: scans.map((scan) => scan.path).sort(),
    skipped: [...skipped].sort((a, b) => compareText(a.path, b.path)),
    findings,
    notes,
    summary: summarize(scans, skipped, findings, extras),
    rules,
    baseDirectory: extras.baseDirectory,
  };
}

function releaseSuppression(scan: FileScan, finding: Finding): void {
  const directive = scan.suppressions.find(
    (candidate) =>
      candidate.used > 0 &&
      candidate.ruleIds.includes(finding.ruleId) &&
      finding.line >= candidate.fromLine &&
      finding.line <= candidate.toLine,
  );
  if (directive) {
    directive.used--;
    const counts = directive.usedByRule;
    if (counts?.[finding.ruleId] !== undefined) counts[finding.ruleId] = (counts[finding.ruleId] ?? 1) - 1;
  }
}

function unusedDirectiveFindings(
  scans: readonly FileScan[],
  rules: readonly ScanRule[],
  options: ScanSourceOptions,
): Finding[] {
  const rule = rules.find((candidate) => candidate.id === "VMS0001") ?? UNUSED_DIRECTIVE_RULE;
  if ((options.disable ?? []).includes(rule.id)) return [];
  const findings: Finding[] = [];
  const knownIds = new Set(rules.map((candidate) => candidate.id));
  const disabled = new Set(options.disable ?? []);
  for (const scan of scans) {
    for (const directive of scan.suppressions) {
      if (directive.inDeadBranch) continue;
      // Of several ids, those that suppressed nothing while the others did, and that are switched on.
      const idle =
        directive.used > 0 && directive.ruleIds.length > 1
          ? directive.ruleIds.filter((id) => !disabled.has(id) && !((directive.usedByRule?.[id] ?? 0) > 0))
          : [];
      if (directive.unclosed !== true && directive.used > 0 && idle.length === 0) continue;
      // A rule switched off with --disable finds nothing for its directives to suppress, and they are
      // still needed once the rule is on again.
      if (
        directive.invalid === undefined &&
        directive.ruleIds.length > 0 &&
        directive.ruleIds.every((id) => disabled.has(id))
      )
        continue;
      const unknown = directive.ruleIds.filter((id) => !knownIds.has(id));
      const text =
        directive.invalid ??
        (directive.unclosed === true
          ? `vmsport-ignore-begin[${directive.ruleIds.join(",")}] has no matching vmsport-ignore-end, so it covers the rest of the file${directive.used > 0 ? "" : " and suppresses nothing"}`
          : undefined) ??
        (idle.length > 0
          ? `vmsport-ignore directive for ${directive.ruleIds.join(", ")} suppresses nothing for ${idle.join(", ")}; remove ${idle.length === 1 ? "that id" : "those ids"}`
          : undefined) ??
        (unknown.length > 0
          ? `vmsport-ignore directive names ${unknown.join(", ")}, which ${unknown.length === 1 ? "is no vmsport rule" : "are no vmsport rules"}, so it suppresses nothing`
          : `vmsport-ignore directive for ${directive.ruleIds.join(", ")} suppresses nothing`);
      const placeholders: Record<string, string> = { text, name: directive.ruleIds.join(", "), reason: text };
      findings.push({
        ruleId: rule.id,
        severity: rule.severity,
        confidence: rule.confidence,
        path: scan.path,
        line: directive.line,
        column: directive.column,
        message: rule.message.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => placeholders[key] ?? whole),
        ...(rule.alternative !== undefined ? { alternative: rule.alternative } : {}),
        fingerprint: fingerprintOf(
          rule.id,
          scan.path,
          `${directive.scope}:${directive.ruleIds.join(",")}`,
          directive.line,
          options.fingerprintBase,
        ),
        context: "active",
      });
    }
  }
  return findings;
}

function summarize(
  scans: readonly FileScan[],
  skipped: readonly SkippedFile[],
  findings: readonly Finding[],
  extras: AssembleExtras,
): ScanSummary {
  const findingsByRule: Record<string, number> = {};
  const findingsBySeverity = { error: 0, warning: 0, info: 0 };
  const suppressed = { inline: 0, baseline: 0 };
  for (const finding of findings) {
    if (finding.suppression) {
      suppressed[finding.suppression.kind]++;
      continue;
    }
    findingsByRule[finding.ruleId] = (findingsByRule[finding.ruleId] ?? 0) + 1;
    findingsBySeverity[finding.severity]++;
  }
  const skippedByReason: ScanSummary["skippedByReason"] = {};
  for (const skip of skipped) skippedByReason[skip.reason] = (skippedByReason[skip.reason] ?? 0) + 1;
  let lines = 0;
  let bytes = 0;
  let latin1Files = 0;
  let alreadyPorted = 0;
  let inactive = 0;
  for (const scan of scans) {
    lines += scan.lines;
    bytes += scan.bytes;
    if (scan.encoding === "iso-8859-1") latin1Files++;
    alreadyPorted += scan.alreadyPorted;
    inactive += scan.inactive;
  }
  return {
    filesScanned: scans.length,
    filesSkipped: skipped.length,
    skippedByReason,
    symlinksNotFollowed: extras.symlinksNotFollowed,
    lines,
    bytes,
    latin1Files,
    findingsByRule,
    findingsBySeverity,
    suppressed,
    alreadyPorted,
    inactive,
    durationMs: Math.round(performance.now() - extras.started),
    jobs: extras.jobs,
  };
}
