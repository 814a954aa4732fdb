/**
 * Layering of parsed translation rule files into a rule set. This module imports neither the YAML parser nor
 * the schema validator, so rules compiled at build time can be layered without them.
 */
import type {
  FlagRule,
  LibraryRule,
  Located,
  TargetRule,
  ToolRule,
  TranslateRuleFile,
  TranslateRuleSet,
} from "./types.js";

/** Create a rule set with no rules and no files. */
export function emptyRuleSet(): TranslateRuleSet {
  return {
    flags: new Map(),
    libraries: new Map(),
    tools: new Map(),
    targets: new Map(),
    files: [],
  };
}

/** Layer one parsed file over a rule set. */
export function addRuleFile(set: TranslateRuleSet, parsed: TranslateRuleFile): void {
  switch (parsed.kind) {
    case "translate-flags":
      for (const rule of parsed.rules) set.flags.set(rule.id, rule as Located<FlagRule>);
      break;
    case "translate-libraries":
      for (const rule of parsed.rules) set.libraries.set(rule.id, rule as Located<LibraryRule>);
      break;
    case "translate-tools":
      for (const rule of parsed.rules) set.tools.set(rule.id, rule as Located<ToolRule>);
      break;
    case "translate-targets":
      for (const rule of parsed.rules) set.targets.set(rule.id, rule as Located<TargetRule>);
      break;
  }
}
