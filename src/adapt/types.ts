/**
 * Shapes of the CRTL knowledge base (`rules/crtl/*.yaml`, validated against `schemas/crtl-rules.schema.json`)
 * and of the settings that decide its version-, pointer- and target-dependent entries.
 */

export type VmsTarget = "alpha" | "ia64" | "x86_64";
export type PointerSize = 32 | 64;
export type SetupProfile = "unix" | "minimal";

export type CrtlRuleKind =
  | "function"
  | "header"
  | "type"
  | "member"
  | "declaration"
  | "size"
  | "byte-order"
  | "library"
  | "behaviour"
  | "feature-macro"
  | "feature-logical";

/** When a case of an entry applies; every field given must hold. */
export interface CrtlCondition {
  since?: string;
  pointerSize?: PointerSize;
  targets?: VmsTarget[];
  /** Preprocessor expression left for the compiler to decide, for example `defined _LARGEFILE`. */
  expression?: string;
}

export interface CrtlCase {
  when?: CrtlCondition;
  status?: "absent" | "present";
  value?: string;
}

export interface CrtlExample {
  input: string;
  output: string;
  vmsVersion?: string;
  pointerSize?: PointerSize;
  target?: VmsTarget;
  profile?: SetupProfile;
}

/** One knowledge-base entry as written in a rule file. */
export interface CrtlRule {
  id: string;
  kind: CrtlRuleKind;
  macro?: string;
  /** Every function a function entry's macro stands for, when there are more than the one its name gives. */
  functions?: string[];
  /** Regular expression matching a family of macro names; an entry naming the macro itself wins. */
  macroPattern?: string;
  aliases?: string[];
  logical?: string;
  title: string;
  source: string;
  note?: string;
  status?: "absent" | "present" | "keep";
  since?: string;
  value?: string;
  cases?: CrtlCase[];
  add?: boolean;
  profiles?: SetupProfile[];
  logicalValue?: string;
  parseStyleExtended?: boolean;
  examples: CrtlExample[];
}

/** An entry with the file and line it came from. */
export interface LocatedCrtlRule extends CrtlRule {
  origin: { file: string; line?: number };
}

/** The entries of all loaded files, later files overriding earlier ones with the same id. */
export interface CrtlKnowledgeBase {
  rules: LocatedCrtlRule[];
  /** Entry deciding each macro name, aliases included. */
  byMacro: Map<string, LocatedCrtlRule>;
  /** Entries with a `macroPattern`, tried in order when no entry names the macro. */
  patterns: { pattern: RegExp; rule: LocatedCrtlRule }[];
}

/**
 * Target of an adjustment. A field left undefined is not fixed, and entries that depend on it are written as
 * preprocessor tests (`__CRTL_VER`, `__INITIAL_POINTER_SIZE`, `__alpha`/`__ia64`/`__x86_64`).
 */
export interface TargetSettings {
  vmsVersion?: string;
  pointerSize?: PointerSize;
  target?: VmsTarget;
}
