/**
 * The DCL procedure and MMS description emitters: build steps → build plan → `BUILD.COM` or `DESCRIP.MMS`,
 * with the options files and `/FIRST_INCLUDE` headers written beside them.
 */
export { DESCRIPTION_MACROS, type DescriptionHeader, renderDescription } from "./description.js";
export {
  DEFAULT_ROOT_LOGICAL,
  type ExportedSymbol,
  type ExportList,
  type TranslateOptions,
} from "./options.js";
export { commonRoot, inferSourceRoot, productPath } from "./paths.js";
export type {
  BuildPlan,
  Disposition,
  GeneratedFile,
  PlanAction,
  PlannedStep,
  PlanProduct,
  TranslateSummary,
} from "./plan.js";
export {
  PROCEDURE_SYMBOLS,
  type ProcedureHeader,
  procedureCheckOptions,
  renderProcedure,
} from "./procedure.js";
export { gsmatch, parseExportList, parseVersionScript, shortenedName, symbolVector } from "./symbols.js";
export {
  REPOSITORY_DIRECTORY,
  renderAction,
  type SharedQualifiers,
  sharedQualifiers,
  Translator,
} from "./translate.js";
