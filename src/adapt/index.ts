/**
 * `vmsport config` and `vmsport setup`: the CRTL knowledge base, the config.h adjuster, the setup-procedure
 * generator and the LIB$INITIALIZE source generator.
 */
export type {
  AdjustOptions,
  AdjustResult,
  ChangeKind,
  ConfigChange,
  ConfigReport,
  ReviewCategory,
  ReviewItem,
} from "./adjust.js";
export { adjustHeader, COMMENT_MARKER } from "./adjust.js";
export type { CodeEvidence } from "./c-code.js";
export { findCode } from "./c-code.js";
export type { Branch, Outcome } from "./decide.js";
export { decide } from "./decide.js";
export type { FeatureSetting } from "./features.js";
export { featureNumericValue, featureSettings } from "./features.js";
export type { EnclosingConditional, HeaderFile, MacroLine, MacroLineForm } from "./header.js";
export { readHeader, writeHeader } from "./header.js";
export { generateInitSource } from "./init-c.js";
export { decodeConfigHeader } from "./input.js";
export {
  BUILTIN_CRTL_DIRECTORY,
  buildKnowledgeBase,
  loadCrtlKnowledgeBase,
  parseCrtlRuleFile,
  readCrtlRuleFile,
} from "./knowledge.js";
export { assertBuildOutput } from "./log-check.js";
export { CONFIG_REPORT_VERSION, configReportJson, configReportText, setupSummary } from "./report.js";
export { listCrtlRules, stripComments, testCrtlRule, testCrtlRuleFile } from "./rules.js";
export type { SetupImage, SetupOptions, SetupReport, SetupResult } from "./setup.js";
export { featureRecords, generateSetup } from "./setup.js";
export type {
  CrtlKnowledgeBase,
  CrtlRule,
  CrtlRuleKind,
  LocatedCrtlRule,
  PointerSize,
  SetupProfile,
  TargetSettings,
  VmsTarget,
} from "./types.js";
export { checkTargetVersion, checkVmsVersion, crtlVersionNumber } from "./version.js";
