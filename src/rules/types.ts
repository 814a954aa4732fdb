/**
 * Types shared by the three rule families (translation rules, scanner rules, the CRTL knowledge base) so that
 * `vmsport rules list` and `vmsport rules test` can treat them alike. Every rule file is YAML with a top-level
 * `kind` that names its family, and a `rules` list whose entries carry an `id` and `examples`.
 */

/** One line of `vmsport rules list`. */
export interface RuleSummary {
  id: string;
  /** Family and sub-kind, for example `translate/flag`, `translate/library`, `scan/call`, `crtl/function`. */
  family: string;
  title: string;
  /** Rule file the rule was loaded from (the one that won, when several define the id). */
  file: string;
  line?: number;
}

/** Outcome of running one example of one rule. */
export interface RuleExampleResult {
  ruleId: string;
  file: string;
  /** Line of the example in the rule file. */
  line?: number;
  ok: boolean;
  /** On failure: what was expected and what came out. */
  detail?: string;
}
