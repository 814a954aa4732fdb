/**
 * Scanner rules as written in `rules/scan/*.yaml`, validated by `schemas/scan-rules.schema.json`. The engine
 * implements each `match` kind once; a rule supplies only the parameters, the texts and its examples.
 */

import type { Confidence, Severity } from "../../model/finding.js";

export type Target = "alpha" | "ia64" | "x86_64";
export type Ods = 2 | 5;
export type PointerSize = 32 | 64;
export type Language = "c" | "cpp";
/** `off` drops the finding. */
export type SeverityOrOff = Severity | "off";

export type RuleFamily =
  | "meta"
  | "processes"
  | "io"
  | "files"
  | "limits"
  | "types"
  | "filenames"
  | "headers"
  | "environment";

/** All given properties must hold. Version conditions hold only when --vms-version is given. */
export interface RuleCondition {
  vmsVersionAtLeast?: string;
  vmsVersionBelow?: string;
  /** True when --vms-version is not given. */
  vmsVersionUnknown?: boolean;
  target?: Target[];
  ods?: Ods;
  pointerSize?: PointerSize;
  /** Macros that are all defined at the finding, by --define or an earlier #define in the file. */
  defined?: string[];
  notDefined?: string[];
  /** The enclosing function body (or the file, outside functions) uses one of these identifiers. */
  functionMentions?: string[];
  /** The file includes one of these headers (as written between <> or ""). */
  fileIncludes?: string[];
  language?: Language;
}

export interface SeverityOverride {
  when: RuleCondition;
  severity?: SeverityOrOff;
  confidence?: Confidence;
  /** Replaces the rule's message when this override applies. */
  message?: string;
}

/** A test on one call argument; argument text has comments removed and white space collapsed. */
export interface ArgumentPredicate {
  /** 1-based. */
  position: number;
  equalsAny?: string[];
  mentionsAny?: string[];
  mentionsNone?: string[];
  regex?: string;
  stringLiteral?: boolean;
  /** Confidence of a match when `equalsAny`/`mentionsAny` fails on an argument whose value cannot be seen. */
  otherwiseIfOpaque?: Confidence;
}

/** Status of an entry in the CRTL knowledge base (`rules/crtl/`) that a rule takes its names from. */
export type CrtlStatus = "absent";

/** Placeholder values for the message of a finding on one name: `{detail}` and `{macro}` from a CRTL fact. */
export type NamePlaceholders = Record<string, Record<string, string>>;

export interface CallMatch {
  /** Filled from the CRTL facts when `crtlStatus` is given. */
  names: string[];
  /** Take the names from the entries of `rules/crtl/functions.yaml` with this status. */
  crtlStatus?: CrtlStatus;
  /** Extra message placeholders per name, set by the loader for `crtlStatus` rules. */
  placeholders?: NamePlaceholders;
  /** Also match references that are not calls (`spawn = fork`). Default true. */
  references?: boolean;
  arguments?: ArgumentPredicate[];
  minArguments?: number;
  maxArguments?: number;
}

export interface IncludeMatch {
  /** Header names as written; a trailing `*` matches any rest. */
  headers?: string[];
  /** Take the headers from the entries of `rules/crtl/headers.yaml` with this status. */
  crtlStatus?: CrtlStatus;
  /** Extra message placeholders per header name, set by the loader for `crtlStatus` rules. */
  placeholders?: NamePlaceholders;
  /**
   * Match only includes in branches known to be compiled on OpenVMS. An include under a condition that a
   * macro without a fact decides (`#ifdef HAVE_IFADDRS_H`) is already guarded.
   */
  knownBranchesOnly?: boolean;
  regex?: string;
  form?: "system" | "quoted";
}

export interface IdentifierMatch {
  names: string[];
  /** Also match inside #if/#elif/#ifdef/#ifndef expressions. Default false. */
  inConditions?: boolean;
  /** Match outside directives. Default true. */
  inCode?: boolean;
}

export interface MemberMatch {
  names: string[];
  onePerLine?: boolean;
}

export type TypePattern =
  | "long-shift-32"
  | "sizeof-long-8"
  | "lp64-condition"
  | "long-constant-64"
  | "pointer-to-long-cast"
  | "sizeof-pointer-8";

export interface TypeMatch {
  patterns: TypePattern[];
}

export interface StringMatch {
  regex: string;
  calls?: { names: string[]; position?: number };
  nonLiteral?: { severity: Severity; confidence?: Confidence; message?: string };
  /** Also test the file names of #include directives. */
  includes?: boolean;
}

export type ExitStatusValue = "odd" | "even-above-zero" | number;

export interface ExitStatusMatch {
  /** Default exit, _exit, _Exit. */
  calls?: string[];
  /** Default true. */
  returnFromMain?: boolean;
  values: ExitStatusValue[];
}

export interface ExternalNamesMatch {
  check: "length" | "case";
  /** Default 31, the OpenVMS C compiler's limit under /NAMES=TRUNCATED. */
  maxLength?: number;
  /** Severity of a long name that collides with no other; default the rule's severity. */
  uniqueSeverity?: SeverityOrOff;
}

export interface FileNamesMatch {
  check: "ods2" | "ods5" | "case-collision" | "depth";
  maxDepth?: number;
}

export type MetaMatch = "unused-suppression" | "skipped-file";

/** Exactly one property is set. */
export interface RuleMatch {
  call?: CallMatch;
  include?: IncludeMatch;
  identifier?: IdentifierMatch;
  member?: MemberMatch;
  type?: TypeMatch;
  string?: StringMatch;
  exitStatus?: ExitStatusMatch;
  externalNames?: ExternalNamesMatch;
  fileNames?: FileNamesMatch;
  meta?: MetaMatch;
}

export type RuleKind = keyof RuleMatch;

export interface ExampleOptions {
  vmsVersion?: string;
  target?: Target;
  ods?: Ods;
  pointerSize?: PointerSize;
  /** `NAME` or `NAME=VALUE`. */
  define?: string[];
  undefine?: string[];
  includeInactive?: boolean;
}

export interface ExampleFile {
  path: string;
  code?: string;
}

/** A snippet scanned as `file` (default `example.c`), or several files for tree-wide rules. */
export interface RuleExample {
  code?: string;
  file?: string;
  files?: ExampleFile[];
  options?: ExampleOptions;
  note?: string;
}

export interface ExpectedFinding {
  line?: number;
  column?: number;
  /** Text in the snippet; the finding must be at its first occurrence. */
  marker?: string;
  file?: string;
  severity?: Severity;
  confidence?: Confidence;
}

/** Must produce exactly the expected findings of its rule: `expect`, or one at `line`/`marker`. */
export interface FireExample extends RuleExample {
  line?: number;
  column?: number;
  marker?: string;
  severity?: Severity;
  confidence?: Confidence;
  expect?: ExpectedFinding[];
}

export interface RuleReference {
  title: string;
  url?: string;
}

/** One rule as written in a rule file. */
export interface ScanRuleData {
  id: string;
  title: string;
  family: RuleFamily;
  severity: Severity;
  severityOverrides?: SeverityOverride[];
  confidence: Confidence;
  /** Placeholders: {name} {header} {literal} {text} {value} {other} {path} {reason}, and {detail} {macro} of `crtlStatus` rules. */
  message: string;
  alternative?: string;
  rationale?: string;
  exceptions?: string;
  since?: string;
  until?: string;
  languages?: Language[];
  references?: RuleReference[];
  match: RuleMatch;
  examples: { fire: FireExample[]; pass: RuleExample[] };
}

/** A rule together with where it was loaded from. */
export interface ScanRule extends ScanRuleData {
  kind: RuleKind;
  /** Rule file the rule came from. */
  file: string;
  /** Line of the rule's `id` in that file. */
  line?: number;
}

/** The rule file as a whole. */
export interface ScanRuleFile {
  kind: "scan";
  rules: ScanRuleData[];
}
