import type { CrtlKnowledgeBase, LocatedCrtlRule, SetupProfile } from "./types.js";

/** A CRTL feature logical name chosen for a profile, with the value and the reason written next to it. */
export interface FeatureSetting {
  ruleId: string;
  logical: string;
  /** `ENABLE`, `DISABLE` or a number, as the knowledge base gives it. */
  value: string;
  title: string;
  /** The setting only takes effect when the process parse style is EXTENDED. */
  parseStyleExtended: boolean;
}

/** Selects the feature logicals a profile defines, in knowledge-base order. */
export function featureSettings(knowledge: CrtlKnowledgeBase, profile: SetupProfile): FeatureSetting[] {
  return knowledge.rules
    .filter((rule) => isFeatureLogical(rule) && (rule.profiles ?? []).includes(profile))
    .map(toSetting);
}

function isFeatureLogical(rule: LocatedCrtlRule): boolean {
  return rule.kind === "feature-logical" && rule.logical !== undefined && rule.logicalValue !== undefined;
}

function toSetting(rule: LocatedCrtlRule): FeatureSetting {
  return {
    ruleId: rule.id,
    logical: rule.logical ?? "",
    value: rule.logicalValue ?? "ENABLE",
    title: rule.title,
    parseStyleExtended: rule.parseStyleExtended === true,
  };
}

/**
 * Converts a setting to the value passed to `decc$feature_set_value`. Numbers are passed as they are. Other
 * strings follow the CRTL rule for feature logicals, where DISABLE, 0, F, FALSE, N and NO mean off and any
 * other string means on (OpenVMS HELP CRTL Feature_Logical_Names).
 */
export function featureNumericValue(value: string): number {
  if (/^[0-9]+$/.test(value)) return Number(value);
  return /^(DISABLE|0|F|FALSE|N|NO)$/i.test(value) ? 0 : 1;
}
