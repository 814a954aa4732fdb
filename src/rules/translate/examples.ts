import { DEFAULT_LIMITS } from "../../dcl/index.js";
import { libraryFile } from "../../emit/link.js";
import { DEFAULT_ROOT_LOGICAL } from "../../emit/options.js";
import { renderAction, sharedQualifiers, Translator } from "../../emit/translate.js";
import { parseLogText } from "../../log/index.js";
import type { RuleExampleResult } from "../types.js";
import { describeFlagEffect, FlagMatcher, formatRuleQualifier, parseRuleQualifier } from "./flags.js";
import type {
  FlagRule,
  LibraryRule,
  Located,
  TargetRule,
  ToolRule,
  TranslateRuleFile,
  TranslateRuleSet,
} from "./types.js";

/** Directory that tool-rule examples are taken to run in. */
export const EXAMPLE_DIRECTORY = "/home/user/src/demo";

function result(
  rule: { id: string; origin: { file: string } },
  line: number | undefined,
  detail: string | undefined,
): RuleExampleResult {
  return {
    ruleId: rule.id,
    file: rule.origin.file,
    ...(line === undefined ? {} : { line }),
    ok: detail === undefined,
    ...(detail === undefined ? {} : { detail }),
  };
}

/**
 * Run the examples of every rule in `file` against the full rule set `set` (which includes the file), so an
 * example also fails when another rule shadows the one it belongs to.
 */
export function runRuleFileExamples(file: TranslateRuleFile, set: TranslateRuleSet): RuleExampleResult[] {
  switch (file.kind) {
    case "translate-flags": {
      const matcher = FlagMatcher.fromRuleSet(set);
      return file.rules.flatMap((rule) => flagExamples(rule as Located<FlagRule>, matcher));
    }
    case "translate-libraries":
      return file.rules.flatMap((rule) => libraryExamples(rule as Located<LibraryRule>, set));
    case "translate-tools":
      return file.rules.flatMap((rule) => toolExamples(rule as Located<ToolRule>, set));
    case "translate-targets":
      return file.rules.flatMap((rule) => targetExamples(rule as Located<TargetRule>));
  }
}

function flagExamples(rule: Located<FlagRule>, matcher: FlagMatcher): RuleExampleResult[] {
  return rule.examples.map((example, index) => {
    const effect = matcher.translate(example.input, example.language ?? "c");
    const line = rule.exampleLines[index];
    if (effect.kind === "unknown") return result(rule, line, `${example.input}: ${effect.reason}`);
    if (effect.rule.id !== rule.id)
      return result(rule, line, `${example.input} is matched by rule "${effect.rule.id}" instead`);
    const actual = describeFlagEffect(effect);
    return result(
      rule,
      line,
      actual === example.output
        ? undefined
        : `${example.input}: expected "${example.output}", got "${actual}"`,
    );
  });
}

function libraryExamples(rule: Located<LibraryRule>, set: TranslateRuleSet): RuleExampleResult[] {
  return rule.examples.map((example, index) => {
    const line = rule.exampleLines[index];
    const name = example.input.slice(2);
    let winner: Located<LibraryRule> | undefined;
    for (const candidate of set.libraries.values()) {
      if (candidate.names.includes(name) && (winner === undefined || candidate.layer >= winner.layer))
        winner = candidate;
    }
    if (winner?.id !== rule.id)
      return result(rule, line, `${example.input} is resolved by rule "${winner?.id ?? "none"}" instead`);
    const pointerSize = example.pointerSize ?? 32;
    let actual: string;
    if (rule.action === "crtl") actual = "nothing";
    else if (rule.action === "untranslatable") actual = "untranslatable";
    else
      actual = `${libraryFile(rule, pointerSize)}/${rule.action === "shareable" ? "SHAREABLE" : "LIBRARY"}`;
    return result(
      rule,
      line,
      actual === example.output
        ? undefined
        : `${example.input}: expected "${example.output}", got "${actual}"`,
    );
  });
}

function toolExamples(rule: Located<ToolRule>, set: TranslateRuleSet): RuleExampleResult[] {
  return rule.examples.map((example, index) => {
    const line = rule.exampleLines[index];
    const parsed = parseLogText(`${example.input}\n`, {
      file: "example",
      initialDirectory: EXAMPLE_DIRECTORY,
    });
    const step = parsed.steps[0];
    if (step === undefined) return result(rule, line, `${example.input}: the log reader found no command`);
    const plan = Translator.translate([step], {
      rules: set,
      target: "x86_64",
      pointerSize: 32,
      sourceRoot: EXAMPLE_DIRECTORY,
      limits: DEFAULT_LIMITS,
    });
    const planned = plan.steps[0];
    if (planned?.ruleId !== rule.id)
      return result(rule, line, `${example.input} is decided by rule "${planned?.ruleId ?? "none"}" instead`);
    const actual: string[] = [];
    for (const action of planned.actions) {
      const rendered = renderAction(action, { limits: DEFAULT_LIMITS, symbolValues: plan.symbols });
      if ("error" in rendered) return result(rule, line, `${example.input}: ${rendered.error}`);
      actual.push(...rendered.lines.filter((record) => !record.startsWith("$!")));
    }
    const same =
      actual.length === example.output.length &&
      actual.every((record, position) => record === example.output[position]);
    if (same) return result(rule, line, undefined);
    if (planned.disposition === "not-translated" && example.output.length > 0) {
      return result(rule, line, `${example.input}: not translated: ${planned.reason ?? ""}`);
    }
    return result(
      rule,
      line,
      `${example.input}: expected ${JSON.stringify(example.output)}, got ${JSON.stringify(actual)}`,
    );
  });
}

function targetExamples(rule: Located<TargetRule>): RuleExampleResult[] {
  return rule.examples.map((example, index) => {
    const line = rule.exampleLines[index];
    const pointer =
      example.input.pointerSize === 64 ? (rule.pointerSize64 ?? []) : (rule.pointerSize32 ?? []);
    const extra = example.input.language === "c++" ? (rule.cxx ?? []) : [];
    const actual = [...rule.compile, ...pointer, ...extra]
      .map((text) => formatRuleQualifier(parseRuleQualifier(text)))
      .join("");
    // The shared-qualifier symbol must be derivable from the same lists, so check it starts the same way.
    const symbols = sharedQualifiers(rule, example.input.pointerSize ?? 32, DEFAULT_ROOT_LOGICAL);
    const symbol = example.input.language === "c++" ? symbols.CXX_QUALIFIERS : symbols.CC_QUALIFIERS;
    if (!symbol.startsWith(actual))
      return result(rule, line, `the shared qualifiers "${symbol}" do not start with "${actual}"`);
    return result(
      rule,
      line,
      actual === example.output ? undefined : `expected "${example.output}", got "${actual}"`,
    );
  });
}
