import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  FlagMatcher,
  listTranslateRules,
  loadTranslateRules,
  testBuiltinTranslateRules,
  testTranslateRuleFile,
} from "../../src/rules/translate/index.js";
import { UserError } from "../../src/util/errors.js";

const fixtures = fileURLToPath(new URL("../../fixtures/translate/rules/", import.meta.url));
const fixture = (name: string) => path.join(fixtures, name);

function userError(action: () => unknown): UserError {
  try {
    action();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("built-in rule examples", () => {
  const results = testBuiltinTranslateRules();

  it("has examples", () => {
    expect(results.length).toBeGreaterThan(80);
  });

  it.each(results.map((result) => [`${result.ruleId} line ${result.line}`, result] as const))(
    "%s",
    (_, result) => {
      expect(result.detail).toBeUndefined();
      expect(result.ok).toBe(true);
    },
  );
});

describe("rule layering", () => {
  it("replaces a built-in rule by id", () => {
    const matcher = FlagMatcher.fromRuleSet(loadTranslateRules([fixture("custom-flags.yaml")]));
    const effect = matcher.translate("-O3", "c");
    expect(effect.kind).toBe("qualifiers");
    if (effect.kind === "qualifiers") expect(effect.qualifiers[0]?.value).toBe("(LEVEL=4,INLINE=SPEED)");
  });

  it("keeps other built-in rules", () => {
    const matcher = FlagMatcher.fromRuleSet(loadTranslateRules([fixture("custom-flags.yaml")]));
    expect(matcher.translate("-g", "c").kind).toBe("qualifiers");
  });

  it("lists the winning file", () => {
    const summary = listTranslateRules([fixture("custom-flags.yaml")]).find((rule) => rule.id === "optimize");
    expect(summary?.file).toBe(fixture("custom-flags.yaml"));
    expect(summary?.family).toBe("translate/flag");
  });

  it("lists rules with lines", () => {
    const summary = listTranslateRules().find((rule) => rule.id === "ranlib");
    expect(summary?.family).toBe("translate/tool");
    expect(summary?.line).toBeGreaterThan(1);
  });
});

describe("testTranslateRuleFile", () => {
  const results = testTranslateRuleFile(fixture("custom-flags.yaml"));

  it("passes a correct example", () => {
    expect(results.filter((result) => result.ok).map((result) => result.ruleId)).toEqual([
      "optimize",
      "house-trace",
    ]);
  });

  it("reports a wrong example with its line", () => {
    const failed = results.find((result) => !result.ok);
    expect(failed?.line).toBe(19);
    expect(failed?.detail).toBe('-ftrace-calls: expected "define TRACE_CALLS=2", got "define TRACE_CALLS=1"');
  });

  it("runs library examples", () => {
    expect(testTranslateRuleFile(fixture("custom-libraries.yaml")).every((result) => result.ok)).toBe(true);
  });
});

describe("invalid rule files", () => {
  it("names the bad value and its position", () => {
    const error = userError(() => loadTranslateRules([fixture("invalid-action.yaml")]));
    expect(error.location).toEqual({ file: fixture("invalid-action.yaml"), line: 6, column: 13 });
    expect(error.message).toContain(
      '"rules.0.action" must be one of "qualifiers", "define", "ignore", "untranslatable"',
    );
  });

  it("rejects a broken regular expression", () => {
    const error = userError(() => loadTranslateRules([fixture("invalid-pattern.yaml")]));
    expect(error.location?.line).toBe(5);
    expect(error.message).toContain("not a valid regular expression");
  });

  it("rejects a duplicate id", () => {
    const error = userError(() => loadTranslateRules([fixture("duplicate-id.yaml")]));
    expect(error.message).toBe('duplicate rule id "twice" in one file');
  });

  it("reports a missing file", () => {
    const error = userError(() => loadTranslateRules([fixture("missing.yaml")]));
    expect(error.message).toBe("rule file not found");
  });
});
