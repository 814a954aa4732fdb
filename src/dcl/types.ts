/**
 * Data types of the DCL core: command models for the renderer, limits, and the results of the
 * tokenizer, parser and checker.
 */

/**
 * Length limits that generated DCL must respect, in bytes (UTF-8 encoded, because DCL counts bytes).
 */
export interface DclLimits {
  /** Maximum length of one physical record of a command procedure, including the `$ ` prefix. */
  maxRecord: number;
  /** Maximum length of one command after continuation records are joined and symbols substituted. */
  maxCommand: number;
  /** Maximum length of one token (a parameter element or a qualifier value) as written, quotes included. */
  maxToken: number;
}

/**
 * A symbol reference the generator inserts on purpose, rendered as `'NAME'` outside quotes. Keeping it apart
 * from literal text lets the checker tell intended substitution from accidental substitution.
 */
export interface DclSymbolRef {
  kind: "symbol";
  name: string;
}

/**
 * Text written exactly as given. The caller vouches that it is valid DCL for its position; the renderer
 * still measures it against the token limit.
 */
export interface DclRaw {
  kind: "raw";
  text: string;
}

/** A word in a command: literal text (quoted by the renderer when needed), a symbol reference or raw text. */
export type DclWord = string | DclSymbolRef | DclRaw;

/** A keyword with its own value inside a qualifier value, such as `LEVEL=4` in `/OPTIMIZE=(LEVEL=4)`. */
export interface DclKeywordValue {
  keyword: string;
  value?: DclValueElement | readonly DclValueElement[];
}

export type DclValueElement = DclWord | DclKeywordValue;

/** One qualifier. A single value renders as `/NAME=value`, an array as `/NAME=(a,b)`. */
export interface DclQualifier {
  /** Qualifier name without the slash, for example `DEFINE`. */
  name: string;
  /** Renders `/NONAME`. A negated qualifier takes no value. */
  negated?: boolean;
  value?: DclValueElement | readonly DclValueElement[];
}

/** One element of a parameter list, with its positional qualifiers (`LIB.OLB/LIBRARY`). */
export interface DclParameterElement {
  value: DclWord;
  qualifiers?: readonly DclQualifier[];
}

/** One parameter: a single element or a list joined by `,` (the default) or `+`. */
export interface DclParameter {
  elements: readonly (DclWord | DclParameterElement)[];
  separator?: "," | "+";
}

/** A command modelled as data, rendered by `renderCommand`. */
export interface DclCommand {
  /** Label written on its own record before the command (`$ NAME:`). */
  label?: string;
  /** Verb, possibly with a leading `@` or a foreign-command symbol name. Written as given, upper-cased. */
  verb: string;
  qualifiers?: readonly DclQualifier[];
  parameters?: readonly (DclWord | DclParameter)[];
  /** Comment written on `$!` records before the command. */
  comment?: string;
}

/** Options for the renderers. */
export interface RenderOptions {
  limits?: DclLimits;
  /** Column after which the renderer starts a continuation record when it can (cosmetic). Default 80. */
  width?: number;
  /** Leading blanks of continuation records. Default four blanks. */
  continuationIndent?: string;
  /** Values of symbols referenced with `symbol()`, used to measure the command after substitution. */
  symbolValues?: Readonly<Record<string, string>>;
}

/** A literal value that cannot be placed on a command line, with the reason. */
export interface UnsafeValue {
  value: string;
  reason: string;
}

export type RenderErrorCode =
  | "unsafe-value"
  | "token-too-long"
  | "record-too-long"
  | "command-too-long"
  | "invalid-name";

/** Reason a command could not be rendered. The caller then moves values to a header or an options file. */
export interface RenderError {
  code: RenderErrorCode;
  message: string;
  /** The token or value that caused the error, when there is one. */
  token?: string;
}

/** Records of a rendered command, or the reason it could not be rendered. */
export type RenderResult = { lines: string[] } | { error: RenderError };

export type DclIssueCode =
  | "record-too-long"
  | "command-too-long"
  | "token-too-long"
  | "missing-dollar"
  | "unbalanced-quote"
  | "unbalanced-parenthesis"
  | "unintended-substitution"
  | "dangling-continuation"
  | "continuation-dollar"
  | "comment-in-value"
  | "undefined-label"
  | "unbalanced-block"
  | "duplicate-label"
  | "unterminated-data"
  | "empty-command"
  | "invalid-character"
  | "mms-missing-colon-blank"
  | "mms-action-before-rule"
  | "mms-prefix-without-blank"
  | "mms-invalid-line"
  | "mms-undefined-macro";

/** A problem found by `checkProcedure` or `checkDescription`. Record and column are 1-based. */
export interface DclIssue {
  record: number;
  column: number;
  code: DclIssueCode;
  severity: "error" | "warning";
  message: string;
}

/** Options for `checkProcedure`. */
export interface CheckOptions {
  limits?: DclLimits;
  /**
   * Symbols the procedure substitutes on purpose (`'NAME'`, `''NAME'`, `&NAME`), upper case. A value, when
   * known, is used to measure the substituted command; otherwise `assumedSymbolLength` is used.
   */
  symbols?: Readonly<Record<string, string | undefined>> | readonly string[];
  /** Length assumed for a substituted symbol whose value is unknown. Default 0. */
  assumedSymbolLength?: number;
  /** Whether records that hold data (lines without `$` outside a CREATE/DECK block) are reported. */
  allowBareData?: boolean;
}

/** A token as DCL reads it. `text` is the value after unquoting and case folding. */
export interface DclToken {
  kind: "word" | "slash" | "equals" | "comma" | "plus" | "open" | "close" | "blank";
  /** Source text of the token exactly as written. */
  source: string;
  /** Value of the token: unquoted text upper-cased, quoted text kept with doubled quotes undoubled. */
  text: string;
  /** Whether any part of the token was quoted. */
  quoted: boolean;
  /** Offset of the token in the joined command text. */
  offset: number;
}

/** One element of a parsed value list. A nested list such as `KEY=(A,B)` stays in `text` as written. */
export interface ParsedValue {
  /** Value text after unquoting and case folding, including any `=` and nested list as written. */
  text: string;
  quoted: boolean;
}

export interface ParsedQualifier {
  /** Name in upper case, without slash and without a `NO` prefix when `negated` is true. */
  name: string;
  /** Name in upper case as written, with any `NO` prefix. */
  written: string;
  negated: boolean;
  /** Values in order: one for `/NAME=value`, several for `/NAME=(a,b)`, none without `=`. */
  values: ParsedValue[];
}

export interface ParsedParameterElement {
  value: ParsedValue;
  qualifiers: ParsedQualifier[];
}

export interface ParsedParameter {
  elements: ParsedParameterElement[];
  /** Separator seen between elements; `undefined` for a single element. */
  separator: "," | "+" | undefined;
}

/** A command line split into its parts, with every value unquoted. */
export interface ParsedDclCommand {
  label: string | undefined;
  verb: string;
  qualifiers: ParsedQualifier[];
  parameters: ParsedParameter[];
}

/** One C macro definition for the `/DEFINE` builder; `value` undefined means `-DNAME`. */
export interface MacroDefinition {
  name: string;
  value?: string;
}

/** Result of `defineList`: the elements that fit on a command line, and those that must go to a header. */
export interface DefineListResult {
  /** `/DEFINE` value elements in first-definition order, or an empty array when none fit. */
  elements: DclRaw[];
  /** Definitions, after merging, that cannot be written on a DCL command line. */
  unsafe: (MacroDefinition & { reason: string })[];
}

/** Result of `includeDirectoryList`. */
export interface IncludeListResult {
  elements: DclRaw[];
  unsafe: UnsafeValue[];
}

/** A dependency rule with its actions, rendered by `renderMmsRule`. */
export interface MmsRule {
  targets: readonly string[];
  sources: readonly string[];
  /** Action lines: DCL commands (rendered without `$`) or raw action text. */
  actions: readonly (DclCommand | DclRaw)[];
  /** `-` ignore errors, `@` do not echo; applied to every action. */
  actionPrefix?: "" | "-" | "@" | "-@";
}
