/**
 * Translation rules: loading and layering of `rules/translate/*.yaml`, flag matching, and the entry points
 * behind `vmsport rules list` and `vmsport rules test` for this family.
 */
import type { RuleExampleResult, RuleSummary } from "../types.js";
import { runRuleFileExamples } from "./examples.js";
import {
  addRuleFile,
  BUILTIN_RULE_DIRECTORY,
  builtinRuleFiles,
  loadTranslateRules,
  readTranslateRuleFile,
} from "./load.js";
import type { TranslateRuleSet } from "./types.js";

export { describeFlagEffect, type FlagEffect, FlagMatcher, parseRuleQualifier } from "./flags.js";
export {
  BUILTIN_RULE_DIRECTORY,
  builtinRuleFiles,
  loadTranslateRules,
  parseTranslateRuleFile,
} from "./load.js";
export type * from "./types.js";

/**
 * List one summary per rule in effect after layering the built-in rules with `extraFiles` (configuration file rules,
 * then each --rules FILE), in family order and then in the order the rules were first defined.
 */
export function listTranslateRules(extraFiles: readonly string[] = []): RuleSummary[] {
  return summarize(loadTranslateRules(extraFiles));
}

function summarize(set: TranslateRuleSet): RuleSummary[] {
  const families: [
    string,
    Iterable<{ id: string; title: string; origin: { file: string; line?: number } }>,
  ][] = [
    ["translate/flag", set.flags.values()],
    ["translate/library", set.libraries.values()],
    ["translate/tool", set.tools.values()],
    ["translate/target", set.targets.values()],
  ];
  const summaries: RuleSummary[] = [];
  for (const [family, rules] of families) {
    for (const rule of rules) {
      summaries.push({
        id: rule.id,
        family,
        title: rule.title,
        file: rule.origin.file,
        ...(rule.origin.line === undefined ? {} : { line: rule.origin.line }),
      });
    }
  }
  return summaries;
}

/**
 * Run the examples of one translation rule file. The file is layered over the built-in rules (unless it is one
 * of them), so each example is checked in the context the rule will be used in. Returns an empty list for a
 * rule file of another family; an unreadable or invalid file raises a UserError with its location.
 */
export function testTranslateRuleFile(file: string): RuleExampleResult[] {
  const builtin = builtinRuleFiles();
  const parsed = readTranslateRuleFile(file, builtin.length);
  if (parsed === undefined) return [];
  const set = loadTranslateRules();
  addRuleFile(set, parsed);
  return runRuleFileExamples(parsed, set);
}

/** Run the examples of every built-in rule file. */
export function testBuiltinTranslateRules(directory = BUILTIN_RULE_DIRECTORY): RuleExampleResult[] {
  const set = loadTranslateRules([], directory);
  return builtinRuleFiles(directory).flatMap((file) => {
    const parsed = readTranslateRuleFile(file, 0);
    return parsed === undefined ? [] : runRuleFileExamples(parsed, set);
  });
}
