/**
 * Translation of logs that real builds wrote: GNU make 4.3 with `--trace` on a Makefile with silent rules,
 * and CMake 3.25 with Ninja, whose archive chain removes the static library before `ar qc`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkDescription, checkProcedure, DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { renderDescription } from "../../src/emit/description.js";
import { procedureCheckOptions, renderProcedure } from "../../src/emit/procedure.js";
import { Translator } from "../../src/emit/translate.js";
import { parseLogText } from "../../src/log/index.js";
import { loadTranslateRules } from "../../src/rules/translate/index.js";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures/parse");
const header = { log: "build.log", target: "x86_64", pointerSize: 32 as const, version: "0.0.0-test" };

function translateFixture(name: string, initialDirectory: string) {
  const log = readFileSync(path.join(fixtures, name, "build.log"));
  const parsed = parseLogText(log, { file: "build.log", initialDirectory });
  const plan = Translator.translate(parsed.steps, {
    rules: loadTranslateRules(),
    target: "x86_64",
    pointerSize: 32,
    limits: DEFAULT_LIMITS,
  });
  const renderOptions = { limits: DEFAULT_LIMITS, symbolValues: plan.symbols };
  return {
    parsed,
    plan,
    procedure: renderProcedure(plan, { ...header, procedureName: "BUILD.COM" }, renderOptions),
    description: renderDescription(plan, header, renderOptions),
  };
}

describe("make --trace translation", () => {
  const { parsed, plan, procedure, description } = translateFixture(
    "real-make-trace-silent",
    "/home/user/src/wordcount",
  );

  it("leaves only the unrecognised generator", () => {
    const untranslated = plan.steps.filter((step) => step.disposition === "not-translated");
    expect(untranslated.map((step) => step.step.origin.startLine)).toEqual([8, 9]);
  });

  it("warns about the one silent target", () => {
    expect(parsed.summary.silentRuleTargets).toBe(1);
    expect(parsed.diagnostics.map((diagnostic) => diagnostic.line)).toEqual([8]);
  });

  for (const tag of ["GEN version.h", "CC main.o", "CC words.o", "AR libwords.a", "CCLD wordcount"]) {
    it(`has no block for ${tag}`, () => {
      expect(procedure).not.toContain(`the log shows only "${tag}"`);
      expect(description).not.toContain(`the log shows only "${tag}"`);
    });
  }

  it("passes the DCL checker", () => {
    expect(checkProcedure(procedure, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
  });

  it("passes the MMS checker", () => {
    expect(checkDescription(description, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
  });
});

describe("CMake Ninja archive translation", () => {
  const { plan, procedure, description } = translateFixture("real-cmake-ninja", "/home/user/src/hello");

  it("deletes the library in its own rule", () => {
    const rule = description.indexOf("\n[]LIBUTIL.OLB :");
    const deletion = description.indexOf('IF F$SEARCH("LIBUTIL.OLB;*")');
    const creation = description.indexOf("LIBRARY/CREATE/OBJECT LIBUTIL.OLB");
    expect(rule).toBeGreaterThan(0);
    expect(deletion).toBeGreaterThan(rule);
    expect(creation).toBeGreaterThan(deletion);
  });

  it("has no prepare target", () => {
    expect(description).not.toMatch(/^prepare :/m);
  });

  it("deletes before LIBRARY/CREATE in the procedure", () => {
    const deletion = procedure.indexOf('IF F$SEARCH("LIBUTIL.OLB;*")');
    expect(deletion).toBeGreaterThan(0);
    expect(procedure.indexOf("LIBRARY/CREATE/OBJECT LIBUTIL.OLB")).toBeGreaterThan(deletion);
  });

  it("passes the DCL checker", () => {
    expect(checkProcedure(procedure, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
  });

  it("passes the MMS checker", () => {
    expect(checkDescription(description, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
  });
});
