import type { FireExample, RuleExample, ScanRule } from "../rules/scan/model.js";
import { compareText } from "./common.js";
import {
  describeMatch,
  describeSeverity,
  exampleCode,
  exampleOptions,
  FAMILY_LABELS,
  sampleMessage,
} from "./rule-text.js";

/**
 * Markdown pages `docs/rules/VMSnnnn.md`, generated from the rule files by `scripts/gen-rule-docs.mjs`. The
 * rule-docs test renders every page again and fails when a file on disk differs.
 */

/** First line of every generated page, which asks readers to edit the rule file instead. */
export const GENERATED_NOTICE =
  "<!-- Generated from the rules/scan/ files by scripts/gen-rule-docs.mjs; do not edit. -->";

function fence(code: string, file: string | undefined): string {
  const language = file !== undefined && /\.(cc|cpp|cxx|hpp|hh|hxx|C)$/.test(file) ? "cpp" : "c";
  // A fence longer than any backquote run inside the code keeps the block closed.
  const longestRun = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const marker = "`".repeat(longestRun + 1);
  return `${marker}${language}\n${code}\n${marker}`;
}

function exampleBlock(example: FireExample | RuleExample): string {
  const flags = exampleOptions(example);
  const file = example.file ?? example.files?.[0]?.path;
  const context: string[] = [];
  if ("severity" in example && example.severity) context.push(`As ${example.severity}`);
  if (example.file) context.push(`${context.length > 0 ? "in" : "In"} \`${example.file}\``);
  if (flags) context.push(`${context.length > 0 ? "with" : "With"} \`${flags}\``);
  let text = context.length > 0 ? `${context.join(" ")}:\n\n` : "";
  if (example.files && example.code === undefined) {
    const paths = example.files.map((entry) => `\`${entry.path}\``).join(", ");
    text += `Files: ${paths}\n\n`;
    const withCode = example.files.filter((entry) => entry.code !== undefined && entry.code !== "");
    if (withCode.length > 0) text += `${fence(exampleCode({ files: withCode }), file)}\n`;
  } else {
    text += `${fence(exampleCode(example), file)}\n`;
  }
  if (example.note) text += `\n${example.note}\n`;
  return text;
}

/** Renders one rule's documentation page. */
export function renderRuleMarkdown(rule: ScanRule): string {
  const parts: string[] = [GENERATED_NOTICE, `# ${rule.id}: ${rule.title}`];
  parts.push(`${FAMILY_LABELS[rule.family]}. ${describeSeverity(rule)}`);
  parts.push(
    `## Problem\n\n${describeMatch(rule)}\n\nThe scanner reports, for example: “${sampleMessage(rule)}”`,
  );
  if (rule.rationale) parts.push(`## Why it breaks on OpenVMS\n\n${rule.rationale.trim()}`);
  if (rule.alternative) parts.push(`## OpenVMS alternative\n\n${rule.alternative.trim()}`);
  parts.push(`## Exceptions\n\n${rule.exceptions?.trim() || "None known."}`);

  const fire = rule.examples.fire.map(exampleBlock);
  const pass = rule.examples.pass.map(exampleBlock);
  let examples = "## Examples";
  if (fire.length > 0) examples += `\n\n### Reported\n\n${fire.join("\n").trim()}`;
  if (pass.length > 0) examples += `\n\n### Not reported\n\n${pass.join("\n").trim()}`;
  parts.push(examples);

  const references = (rule.references ?? []).map((reference) =>
    reference.url ? `- [${reference.title}](${reference.url})` : `- ${reference.title}`,
  );
  parts.push(`## References\n\n${references.length > 0 ? references.join("\n") : "None."}`);
  parts.push(`Suppress one finding with \`// vmsport-ignore[${rule.id}]: reason\` on the same line.`);
  return `${parts.join("\n\n")}\n`;
}

/** Renders the index page `docs/rules/README.md` with one line per rule. */
export function renderRuleIndex(rules: readonly ScanRule[]): string {
  const sorted = [...rules].sort((a, b) => compareText(a.id, b.id));
  const rows = sorted.map(
    (rule) => `| [${rule.id}](${rule.id}.md) | ${rule.title.replace(/\|/g, "\\|")} | ${rule.severity} |`,
  );
  return `${GENERATED_NOTICE}\n\n# Scanner rules\n\nOne page per rule of \`vmsport scan\`; \`vmsport rules explain ID\` prints the same text.\n\n| Rule | Title | Default severity |\n|---|---|---|\n${rows.join("\n")}\n`;
}

/** Renders every page under `docs/rules/`, keyed by file name: one per rule and the index `README.md`. */
export function expectedRulePages(rules: readonly ScanRule[]): Map<string, string> {
  const pages = new Map<string, string>();
  for (const rule of rules) pages.set(`${rule.id}.md`, renderRuleMarkdown(rule));
  pages.set("README.md", renderRuleIndex(rules));
  return pages;
}
