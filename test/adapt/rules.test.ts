import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  BUILTIN_CRTL_DIRECTORY,
  listCrtlRules,
  loadCrtlKnowledgeBase,
  parseCrtlRuleFile,
  testCrtlRule,
  testCrtlRuleFile,
} from "../../src/adapt/index.js";

const files = readdirSync(BUILTIN_CRTL_DIRECTORY).filter((name) => name.endsWith(".yaml"));

describe("CRTL knowledge base", () => {
  it("has at least 150 entries", () => {
    expect(listCrtlRules().length).toBeGreaterThanOrEqual(150);
  });

  it("lists every entry in the crtl family", () => {
    for (const summary of listCrtlRules()) expect(summary.family).toMatch(/^crtl\//);
  });

  it("gives every entry a source and an example", () => {
    const incomplete = loadCrtlKnowledgeBase().rules.filter(
      (rule) => rule.source.trim() === "" || rule.examples.length === 0,
    );
    expect(incomplete.map((rule) => rule.id)).toEqual([]);
  });

  it("reports a failing example", () => {
    const [rule] = parseCrtlRuleFile(
      "kind: crtl\nrules:\n  - id: have-fork\n    kind: function\n    macro: HAVE_FORK\n    title: t\n    source: s\n    status: absent\n    examples:\n      - input: '#define HAVE_FORK 1'\n        output: '#define HAVE_FORK 1'\n",
      "bad.yaml",
    );
    const [result] = testCrtlRule(rule as NonNullable<typeof rule>);
    expect(result?.ok).toBe(false);
    expect(result?.detail).toContain("/* #undef HAVE_FORK */");
  });

  it("rejects an entry with two decisions", () => {
    const text =
      "kind: crtl\nrules:\n  - id: x\n    kind: function\n    macro: X\n    title: t\n    source: s\n    status: absent\n    since: '8.3'\n    examples: [{ input: '', output: '' }]\n";
    expect(() => parseCrtlRuleFile(text, "two.yaml")).toThrow(/exactly one of/);
  });

  it("rejects an unknown field with its line", () => {
    const text =
      "kind: crtl\nrules:\n  - id: x\n    kind: function\n    macro: X\n    title: t\n    source: s\n    status: absent\n    colour: red\n    examples: [{ input: '', output: '' }]\n";
    expect(() => parseCrtlRuleFile(text, "unknown.yaml")).toThrow(/unknown property "colour"/);
  });

  for (const name of files) {
    it(`passes the examples of ${name}`, () => {
      const failures = testCrtlRuleFile(path.join(BUILTIN_CRTL_DIRECTORY, name)).filter(
        (result) => !result.ok,
      );
      expect(failures.map((failure) => `${failure.ruleId}: ${failure.detail}`)).toEqual([]);
    });
  }
});
