/**
 * Baseline files: the fingerprints of findings a project has accepted, so CI fails only on new ones.
 * A fingerprint hashes the rule, the path, the finding's line text with white space normalised and the
 * occurrence number, so inserting or deleting other lines does not change it.
 */

import type { Finding } from "../model/finding.js";
import { UserError } from "../util/errors.js";
import type { Baseline } from "./types.js";

/** The baseline file as written to disk. */
export interface BaselineDocument {
  tool: "vmsport";
  kind: "scan-baseline";
  version: 1;
  /** One entry per accepted finding; only `fingerprint` is read back, the rest helps reviewers. */
  findings: { fingerprint: string; ruleId: string; path: string; line: number }[];
}

/** Baseline text for the findings that are not suppressed inline, sorted so diffs stay small. */
export function serializeBaseline(findings: readonly Finding[]): string {
  const entries = findings
    .filter((finding) => finding.suppression?.kind !== "inline")
    .map((finding) => ({
      fingerprint: finding.fingerprint,
      ruleId: finding.ruleId,
      path: finding.path,
      line: finding.line,
    }));
  const document: BaselineDocument = {
    tool: "vmsport",
    kind: "scan-baseline",
    version: 1,
    findings: entries,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Read a baseline file's text; `file` is for messages. */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`invalid baseline file: ${(error as Error).message}`, {
      location: { file },
      hint: "Write a new one with --write-baseline.",
    });
  }
  const document = data as Partial<BaselineDocument> | null;
  if (document?.kind !== "scan-baseline" || document.version !== 1 || !Array.isArray(document.findings)) {
    throw new UserError("invalid baseline file: expected a vmsport scan baseline of version 1", {
      location: { file },
      hint: "Write a new one with --write-baseline.",
    });
  }
  const fingerprints: string[] = [];
  for (const [index, entry] of document.findings.entries()) {
    const fingerprint = (entry as { fingerprint?: unknown } | null)?.fingerprint;
    // A hand-edited entry without its fingerprint would accept nothing, and CI would fail on findings
    // the project meant to accept, so the file is refused instead.
    if (typeof fingerprint !== "string" || !/^[0-9a-f]{32}$/.test(fingerprint)) {
      throw new UserError(
        `invalid baseline file: entry ${index + 1} of "findings" has no valid fingerprint (32 hexadecimal digits)`,
        {
          location: { file },
          hint: "Write a new one with --write-baseline, or restore the entry as vmsport wrote it.",
        },
      );
    }
    fingerprints.push(fingerprint);
  }
  return { version: 1, fingerprints };
}
