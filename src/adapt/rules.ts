import type { RuleExampleResult, RuleSummary } from "../rules/types.js";
import { adjustHeader, COMMENT_MARKER } from "./adjust.js";
import { buildKnowledgeBase, loadCrtlKnowledgeBase, readCrtlRuleFile } from "./knowledge.js";
import { featureRecords } from "./setup.js";
import type { CrtlKnowledgeBase, LocatedCrtlRule } from "./types.js";

/** Lists the entries of the built-in knowledge base and of `extraFiles`, for `vmsport rules list`. */
export function listCrtlRules(extraFiles: readonly string[] = []): RuleSummary[] {
  return loadCrtlKnowledgeBase(extraFiles).rules.map((rule) => ({
    id: rule.id,
    family: `crtl/${rule.kind}`,
    title: rule.title,
    file: rule.origin.file,
    ...(rule.origin.line !== undefined ? { line: rule.origin.line } : {}),
  }));
}

/**
 * Runs every example of every entry in one knowledge-base file, each against a knowledge base that holds only
 * that entry, so an example shows what its own entry does. For `vmsport rules test`.
 */
export function testCrtlRuleFile(file: string): RuleExampleResult[] {
  const results: RuleExampleResult[] = [];
  for (const rule of readCrtlRuleFile(file)) results.push(...testCrtlRule(rule));
  return results;
}

/** Runs the examples of one entry. */
export function testCrtlRule(rule: LocatedCrtlRule): RuleExampleResult[] {
  const knowledge = buildKnowledgeBase([rule]);
  return rule.examples.map((example) => {
    const actual = runExample(rule, knowledge, example);
    const expected = example.output.replace(/\s+$/, "");
    const ok = actual === expected;
    return {
      ruleId: rule.id,
      file: rule.origin.file,
      ...(rule.origin.line !== undefined ? { line: rule.origin.line } : {}),
      ok,
      ...(ok ? {} : { detail: `expected:\n${expected}\nactual:\n${actual}` }),
    };
  });
}

function runExample(
  rule: LocatedCrtlRule,
  knowledge: CrtlKnowledgeBase,
  example: LocatedCrtlRule["examples"][number],
): string {
  if (rule.kind === "feature-logical") return featureRecords(knowledge, example.profile ?? "unix").join("\n");
  const settings = {
    ...(example.vmsVersion !== undefined ? { vmsVersion: example.vmsVersion } : {}),
    ...(example.pointerSize !== undefined ? { pointerSize: example.pointerSize } : {}),
    ...(example.target !== undefined ? { target: example.target } : {}),
  };
  const { text } = adjustHeader(example.input, knowledge, settings, { noReviewComment: true });
  return stripComments(text);
}

/** Removes the explanatory comment lines the adjuster writes. */
export function stripComments(text: string): string {
  return text
    .split("\n")
    .filter((line) => !line.startsWith(`/* ${COMMENT_MARKER}`))
    .join("\n")
    .replace(/\s+$/, "");
}
