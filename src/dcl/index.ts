/**
 * The DCL core: quoting, command layout and checkers for DCL command procedures and MMS description files.
 * Every DCL command and MMS line that vmsport writes is built through this module.
 */

export { checkProcedure } from "./check.js";
export type { AssignmentOptions, CreateOptions, OnCondition, PipeSegment } from "./command.js";
export {
  raw,
  renderAssignment,
  renderCommand,
  renderComment,
  renderCreate,
  renderExit,
  renderForeignCommand,
  renderIf,
  renderLabel,
  renderOn,
  renderPipe,
  symbol,
} from "./command.js";
export { byteLength, DEFAULT_LIMITS, EXTENDED_LIMITS, findControlCharacter } from "./limits.js";
export type { MmsCheckOptions } from "./mms.js";
export { checkDescription, renderMmsAction, renderMmsComment, renderMmsMacro, renderMmsRule } from "./mms.js";
export { parseCommand, parseDefineElement } from "./parse.js";
export type { QuoteOptions, QuoteResult } from "./quote.js";
export {
  defineElement,
  defineList,
  includeDirectoryList,
  isSymbolName,
  quoteValue,
  stringLiteral,
  unsafeReason,
} from "./quote.js";
export type {
  CommandRecordSpan,
  CommandScan,
  DataRecord,
  LogicalCommand,
  ProcedureItem,
  Substitution,
} from "./tokenize.js";
export { scanCommand, splitProcedure, tokenizeCommand } from "./tokenize.js";
export type {
  CheckOptions,
  DclCommand,
  DclIssue,
  DclIssueCode,
  DclKeywordValue,
  DclLimits,
  DclParameter,
  DclParameterElement,
  DclQualifier,
  DclRaw,
  DclSymbolRef,
  DclToken,
  DclValueElement,
  DclWord,
  DefineListResult,
  IncludeListResult,
  MacroDefinition,
  MmsRule,
  ParsedDclCommand,
  ParsedParameter,
  ParsedParameterElement,
  ParsedQualifier,
  ParsedValue,
  RenderError,
  RenderErrorCode,
  RenderOptions,
  RenderResult,
  UnsafeValue,
} from "./types.js";
