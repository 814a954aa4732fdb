import type { FlagRule, Located, RuleLanguage, TranslateRuleSet } from "./types.js";

/** A CC/CXX/LINK qualifier taken from a rule file; `value` is DCL text written by the rule's author. */
export interface RuleQualifier {
  name: string;
  negated: boolean;
  value?: string;
}

/** A macro definition produced by a rule. */
export interface RuleDefine {
  name: string;
  value?: string;
}

/** Effect of one compiler option word. */
export type FlagEffect =
  | { kind: "qualifiers"; rule: Located<FlagRule>; qualifiers: RuleQualifier[] }
  | { kind: "define"; rule: Located<FlagRule>; defines: RuleDefine[] }
  | { kind: "ignore"; rule: Located<FlagRule>; reason: string }
  | { kind: "untranslatable"; rule: Located<FlagRule>; reason: string }
  /** No rule matched, or a capture put characters into a qualifier value that DCL would misread. */
  | { kind: "unknown"; reason: string };

/**
 * Characters allowed in a qualifier value after captures are inserted. Anything else (quotes, blanks,
 * apostrophes, `!`, `/`) would change how DCL reads the command, so such a match counts as unknown.
 */
const SAFE_QUALIFIER_VALUE = /^[A-Za-z0-9_$.,=()[\]:-]*$/;

/**
 * Parse `/NAME`, `/NONAME` or `/NAME=value` from a rule file. A bare name starting with `NO` is read as the
 * negation of the rest, which holds for every CC, CXX and LINK qualifier the built-in rules use.
 */
export function parseRuleQualifier(text: string): RuleQualifier {
  const body = text.startsWith("/") ? text.slice(1) : text;
  const equals = body.indexOf("=");
  if (equals >= 0)
    return { name: body.slice(0, equals).toUpperCase(), negated: false, value: body.slice(equals + 1) };
  const name = body.toUpperCase();
  if (name.startsWith("NO") && name.length > 2) return { name: name.slice(2), negated: true };
  return { name, negated: false };
}

/** Render a rule qualifier the way it appears on a command, for examples and comments. */
export function formatRuleQualifier(qualifier: RuleQualifier): string {
  if (qualifier.negated) return `/NO${qualifier.name}`;
  return qualifier.value === undefined ? `/${qualifier.name}` : `/${qualifier.name}=${qualifier.value}`;
}

/** Parse `NAME` or `NAME=value`. */
export function parseRuleDefine(text: string): RuleDefine {
  const equals = text.indexOf("=");
  return equals < 0 ? { name: text } : { name: text.slice(0, equals), value: text.slice(equals + 1) };
}

function substituteCaptures(template: string, captures: readonly (string | undefined)[]): string {
  return template.replace(/\$([1-9])/g, (_, digit: string) => captures[Number(digit)] ?? "");
}

interface CompiledRule {
  rule: Located<FlagRule>;
  test: (word: string) => (string | undefined)[] | undefined;
}

/**
 * Matches option words against the flag rules. An exact rule beats a prefix or pattern rule. Among the
 * others, a rule from a later file wins, and within one file the first rule that matches wins.
 */
export class FlagMatcher {
  private readonly exact = new Map<string, Located<FlagRule>[]>();
  private readonly general: CompiledRule[] = [];
  private readonly memo = new Map<string, FlagEffect>();

  constructor(rules: Iterable<Located<FlagRule>>) {
    const general: (CompiledRule & { order: number })[] = [];
    let order = 0;
    for (const rule of rules) {
      order += 1;
      const match = rule.match;
      if ("exact" in match) {
        const list = this.exact.get(match.exact) ?? [];
        list.push(rule);
        this.exact.set(match.exact, list);
      } else if ("prefix" in match) {
        const prefix = match.prefix;
        general.push({
          rule,
          order,
          test: (word) => (word.startsWith(prefix) ? [word, word.slice(prefix.length)] : undefined),
        });
      } else {
        const expression = new RegExp(`^(?:${match.pattern})$`);
        general.push({ rule, order, test: (word) => expression.exec(word) ?? undefined });
      }
    }
    general.sort((a, b) => b.rule.layer - a.rule.layer || a.order - b.order);
    this.general = general;
    for (const [word, list] of this.exact) {
      this.exact.set(
        word,
        [...list].sort((a, b) => b.layer - a.layer),
      );
    }
  }

  static fromRuleSet(set: TranslateRuleSet): FlagMatcher {
    return new FlagMatcher(set.flags.values());
  }

  /** Find what `word` means for a compile in `language`. */
  translate(word: string, language: RuleLanguage): FlagEffect {
    // Effects are immutable and the same options recur on every compile of a build, so they are memoized.
    const key = `${language}\0${word}`;
    let effect = this.memo.get(key);
    if (effect === undefined) {
      effect = this.match(word, language);
      this.memo.set(key, effect);
    }
    return effect;
  }

  private match(word: string, language: RuleLanguage): FlagEffect {
    for (const rule of this.exact.get(word) ?? []) {
      if (appliesTo(rule, language)) return effectOf(rule, [word]);
    }
    for (const candidate of this.general) {
      if (!appliesTo(candidate.rule, language)) continue;
      const captures = candidate.test(word);
      if (captures) return effectOf(candidate.rule, captures);
    }
    return { kind: "unknown", reason: "no translation rule matches this option" };
  }
}

function appliesTo(rule: FlagRule, language: RuleLanguage): boolean {
  return rule.languages === undefined || rule.languages.includes(language);
}

function effectOf(rule: Located<FlagRule>, captures: readonly (string | undefined)[]): FlagEffect {
  switch (rule.action) {
    case "qualifiers": {
      const qualifiers: RuleQualifier[] = [];
      for (const text of rule.qualifiers ?? []) {
        const qualifier = parseRuleQualifier(substituteCaptures(text, captures));
        if (qualifier.value !== undefined && !SAFE_QUALIFIER_VALUE.test(qualifier.value)) {
          return {
            kind: "unknown",
            reason: `rule ${rule.id} would put "${qualifier.value}" into a qualifier value`,
          };
        }
        if (qualifier.value !== undefined) qualifier.value = qualifier.value.toUpperCase();
        qualifiers.push(qualifier);
      }
      return { kind: "qualifiers", rule, qualifiers };
    }
    case "define":
      return {
        kind: "define",
        rule,
        defines: (rule.defines ?? []).map((text) => parseRuleDefine(substituteCaptures(text, captures))),
      };
    case "ignore":
      return { kind: "ignore", rule, reason: rule.reason ?? "" };
    case "untranslatable":
      return { kind: "untranslatable", rule, reason: rule.reason ?? "" };
  }
}

/** Describe an effect in the notation of rule examples: `/A/B=C`, `define N=V, M`, `ignore`, `untranslatable`. */
export function describeFlagEffect(effect: FlagEffect): string {
  switch (effect.kind) {
    case "qualifiers":
      return effect.qualifiers.map(formatRuleQualifier).join("");
    case "define":
      return `define ${effect.defines.map((define) => (define.value === undefined ? define.name : `${define.name}=${define.value}`)).join(", ")}`;
    default:
      return effect.kind;
  }
}
