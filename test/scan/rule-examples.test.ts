import { describe, expect, it } from "vitest";
import { runScanRuleExamples } from "../../src/rules/scan/examples.js";
import { builtinScanRuleFiles, loadScanRules } from "../../src/rules/scan/load.js";

// Every example of every built-in scanner rule runs through the engine. A failure names the rule, the rule
// file and line, the example, and the expected and actual findings.
const rules = loadScanRules();

describe("scanner rule examples", () => {
  it("rule files exist", () => {
    expect(builtinScanRuleFiles().length).toBeGreaterThan(0);
  });

  for (const rule of rules) {
    describe(`${rule.id} ${rule.title}`, () => {
      it("has fire and pass examples", () => {
        expect(
          rule.examples.fire.length + rule.examples.pass.length,
          `${rule.id} in ${rule.file}`,
        ).toBeGreaterThan(0);
      });
      const results = runScanRuleExamples(rule, rules);
      results.forEach((result, index) => {
        it(`example ${index + 1}`, () => {
          const where = `${result.ruleId} (${result.file}${result.line !== undefined ? `:${result.line}` : ""})`;
          expect(result.ok, `${where}: ${result.detail ?? ""}`).toBe(true);
        });
      });
    });
  }
});
