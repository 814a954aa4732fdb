/**
 * Shapes of the translation rule files (`rules/translate/*.yaml`, validated against
 * `schemas/translate-rules.schema.json`) and of the rule set built by layering them.
 */

export type RuleLanguage = "c" | "c++";

export type TranslateRuleKind =
  | "translate-flags"
  | "translate-libraries"
  | "translate-tools"
  | "translate-targets";

/** Origin of a rule (file and line), for `vmsport rules list` and for messages. */
export interface RuleOrigin {
  file: string;
  line?: number;
}

export interface FlagRuleExample {
  input: string;
  language?: RuleLanguage;
  output: string;
}

export interface FlagRule {
  id: string;
  title: string;
  source?: string;
  match: { exact: string } | { prefix: string } | { pattern: string };
  languages?: RuleLanguage[];
  action: "qualifiers" | "define" | "ignore" | "untranslatable";
  qualifiers?: string[];
  defines?: string[];
  reason?: string;
  examples: FlagRuleExample[];
}

export interface LibraryRuleExample {
  input: string;
  pointerSize?: 32 | 64;
  output: string;
}

export interface LibraryRule {
  id: string;
  title: string;
  source?: string;
  names: string[];
  action: "crtl" | "object-library" | "shareable" | "untranslatable";
  file?: string | { "32": string; "64": string };
  threads?: boolean;
  reason?: string;
  examples: LibraryRuleExample[];
}

export type ToolAction =
  | "library"
  | "comment"
  | "create-directory"
  | "copy"
  | "rename"
  | "delete"
  | "symlink"
  | "touch"
  | "protection"
  | "write-file"
  | "foreign"
  | "not-translated";

export interface ToolRuleExample {
  input: string;
  output: string[];
}

export interface ToolRule {
  id: string;
  title: string;
  source?: string;
  tools: string[];
  action: ToolAction;
  command?: string;
  reason?: string;
  examples: ToolRuleExample[];
}

export type TargetName = "alpha" | "ia64" | "x86_64";

export interface TargetRuleExample {
  input: { pointerSize?: 32 | 64; language?: RuleLanguage };
  output: string;
}

export interface TargetRule {
  id: TargetName;
  title: string;
  source?: string;
  compile: string[];
  cxx?: string[];
  defines: string[];
  link: string[];
  pointerSize32?: string[];
  pointerSize64?: string[];
  cxxLinkVerb?: "LINK" | "CXXLINK";
  examples: TargetRuleExample[];
}

/** A rule together with the file and line it came from. */
export type Located<T> = T & {
  origin: RuleOrigin;
  /** Position of the file in the layering order; a higher layer overrides a lower one. */
  layer: number;
  /** Line of each example in the rule file, in order. */
  exampleLines: (number | undefined)[];
};

/** One parsed rule file. */
export type TranslateRuleFile =
  | { kind: "translate-flags"; file: string; rules: Located<FlagRule>[] }
  | { kind: "translate-libraries"; file: string; rules: Located<LibraryRule>[] }
  | { kind: "translate-tools"; file: string; rules: Located<ToolRule>[] }
  | { kind: "translate-targets"; file: string; rules: Located<TargetRule>[] };

/** All rules in effect after layering; each map keeps the winning rule per id in first-seen order. */
export interface TranslateRuleSet {
  flags: Map<string, Located<FlagRule>>;
  libraries: Map<string, Located<LibraryRule>>;
  tools: Map<string, Located<ToolRule>>;
  targets: Map<string, Located<TargetRule>>;
  /** Files in layering order: built-in files first, then the configuration file's, then each --rules FILE. */
  files: string[];
}
