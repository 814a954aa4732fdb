/**
 * Inline suppression directives. They are recognised only when a real comment starts with them:
 *   vmsport-ignore[VMS1001]: reason            the line the comment is on
 *   vmsport-ignore-next-line[VMS1001]: reason  the next line that contains code
 *   vmsport-ignore-begin[VMS1001] … vmsport-ignore-end[VMS1001]
 *   vmsport-ignore-file[VMS1001]: reason       the whole file
 * Several ids are separated by commas. A directive that suppresses nothing is reported as unused.
 */

export type SuppressionScope = "line" | "next-line" | "range" | "file";

/** One directive with the lines it covers; plain data so it can cross worker threads. */
export interface Suppression {
  ruleIds: string[];
  scope: SuppressionScope;
  /** Line and column of the directive comment. */
  line: number;
  column: number;
  /** First and last covered line, inclusive. */
  fromLine: number;
  toLine: number;
  justification?: string;
  /** The directive sits in a branch that is dead on OpenVMS, so it is never reported as unused. */
  inDeadBranch: boolean;
  /** Number of findings it suppressed. */
  used: number;
  /** The same by rule id, so that an id of several that suppresses nothing is reported too. */
  usedByRule?: Record<string, number>;
  /** Set when the directive could not be read; it then suppresses nothing. */
  invalid?: string;
  /** A `-begin` that no `-end` closes; it covers the rest of the file and is reported all the same. */
  unclosed?: boolean;
}

const DIRECTIVE = /^vmsport-ignore(-next-line|-begin|-end|-file)?(?:\[([^\]]*)\])?\s*(?::\s*(.*))?$/s;

export interface ParsedDirective {
  kind: "line" | "next-line" | "begin" | "end" | "file";
  ruleIds: string[];
  justification?: string;
  invalid?: string;
}

/** Parse the text of a comment that starts with `vmsport-ignore`. */
export function parseDirective(text: string): ParsedDirective {
  const cleaned = text.replace(/\*+\/?$/, "").trim();
  const match = DIRECTIVE.exec(cleaned);
  if (!match) {
    return {
      kind: "line",
      ruleIds: [],
      invalid:
        "the comment starts with vmsport-ignore but is not a directive; write vmsport-ignore[VMSnnnn]: reason",
    };
  }
  const suffix = match[1];
  const kind = suffix === undefined ? "line" : (suffix.slice(1) as ParsedDirective["kind"]);
  const ids = (match[2] ?? "")
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  const justification = match[3]?.trim().replace(/\s+/g, " ");
  const result: ParsedDirective = { kind, ruleIds: ids, ...(justification ? { justification } : {}) };
  if (match[2] === undefined)
    result.invalid =
      "the directive names no rule, so it suppresses nothing; write the ids in brackets, such as [VMS1001]";
  else {
    const bad = ids.find((id) => !/^VMS[0-9]{4}$/.test(id));
    if (bad !== undefined || ids.length === 0)
      result.invalid = `the rule id "${bad ?? ""}" is invalid, so the directive suppresses nothing; ids look like VMS1001`;
  }
  return result;
}

/** Index of directives for one file: which rule is suppressed on which line. */
export class SuppressionIndex {
  constructor(readonly suppressions: Suppression[]) {}

  /** Find the directive that suppresses `ruleId` on `line` and count the use; undefined when none does. */
  take(ruleId: string, line: number): Suppression | undefined {
    for (const suppression of this.suppressions) {
      if (suppression.invalid) continue;
      if (line < suppression.fromLine || line > suppression.toLine) continue;
      if (!suppression.ruleIds.includes(ruleId)) continue;
      suppression.used++;
      suppression.usedByRule ??= {};
      suppression.usedByRule[ruleId] = (suppression.usedByRule[ruleId] ?? 0) + 1;
      return suppression;
    }
    return undefined;
  }
}
