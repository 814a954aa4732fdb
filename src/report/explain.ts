import type { ScanRule } from "../rules/scan/model.js";
import type { RuleSummary } from "../rules/types.js";
import { compareText, helpUriOf } from "./common.js";
import {
  describeMatch,
  describeSeverity,
  exampleCode,
  exampleOptions,
  FAMILY_LABELS,
  sampleMessage,
} from "./rule-text.js";
import type { FormatOptions } from "./types.js";

/** Markdown code spans read fine in a terminal without their backquotes. */
function plain(text: string): string {
  return text.replace(/`([^`]*)`/g, "$1");
}

function indent(text: string, prefix = "  "): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : `${prefix}${line}`))
    .join("\n");
}

function section(heading: string, body: string | undefined): string {
  return body === undefined || body.trim() === "" ? "" : `${heading}\n${indent(body.trim())}\n\n`;
}

/**
 * Renders the text of `vmsport rules explain ID`: the problem, why it breaks on OpenVMS, the alternative,
 * exceptions, severity, examples that fire and that do not, and references.
 */
export function explainRule(rule: ScanRule, options: Pick<FormatOptions, "helpUriBase"> = {}): string {
  let text = `${rule.id}: ${rule.title}\n${FAMILY_LABELS[rule.family]}\n\n`;
  text += section("Problem", `${plain(describeMatch(rule))}\nMessage: ${sampleMessage(rule)}`);
  text += section("Why it breaks on OpenVMS", rule.rationale && plain(rule.rationale));
  text += section("OpenVMS alternative", rule.alternative && plain(rule.alternative));
  text += section("Exceptions", rule.exceptions && plain(rule.exceptions));
  text += section("Severity", plain(describeSeverity(rule)));

  const examples: string[] = [];
  for (const example of rule.examples.fire) {
    const flags = exampleOptions(example);
    const verdict = example.severity ? `Reported as ${example.severity}` : "Reported";
    examples.push(`${verdict}${flags ? ` with ${flags}` : ""}:\n${indent(exampleCode(example), "    ")}`);
  }
  for (const example of rule.examples.pass) {
    const flags = exampleOptions(example);
    examples.push(`Not reported${flags ? ` with ${flags}` : ""}:\n${indent(exampleCode(example), "    ")}`);
  }
  text += section("Examples", examples.join("\n\n"));

  const references = (rule.references ?? []).map((reference) =>
    reference.url ? `${reference.title}\n  ${reference.url}` : reference.title,
  );
  text += section("References", references.join("\n"));
  text += `Documentation: ${helpUriOf(rule.id, options)}\n`;
  return text;
}

/** Lists scanner rules for `vmsport rules list`, sorted by id; the family is `scan/` plus the match kind. */
export function listScanRules(rules: readonly ScanRule[]): RuleSummary[] {
  return [...rules]
    .sort((a, b) => compareText(a.id, b.id))
    .map((rule) => {
      const summary: RuleSummary = {
        id: rule.id,
        family: `scan/${rule.kind}`,
        title: rule.title,
        file: rule.file,
      };
      if (rule.line !== undefined) summary.line = rule.line;
      return summary;
    });
}
