import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkDescription, checkProcedure, DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { renderDescription } from "../../src/emit/description.js";
import { procedureCheckOptions, renderProcedure } from "../../src/emit/procedure.js";
import { parseExportList } from "../../src/emit/symbols.js";
import { Translator } from "../../src/emit/translate.js";
import { parseLogText } from "../../src/log/index.js";
import { loadTranslateRules } from "../../src/rules/translate/index.js";

const demo = fileURLToPath(new URL("../../fixtures/demo/", import.meta.url));
const golden = fileURLToPath(new URL("../../fixtures/translate/demo-golden/", import.meta.url));
/** Set VMSPORT_UPDATE_GOLDENS=1 to rewrite the golden files; review every change by hand. */
const update = process.env.VMSPORT_UPDATE_GOLDENS === "1";

function translateDemo() {
  const log = readFileSync(path.join(demo, "build.log"));
  const parsed = parseLogText(log, { file: "build.log" });
  const exports = parseExportList(readFileSync(path.join(demo, "greet.nm"), "utf8"), "greet.nm");
  const plan = Translator.translate(parsed.steps, {
    rules: loadTranslateRules(),
    target: "x86_64",
    pointerSize: 32,
    limits: DEFAULT_LIMITS,
    exports,
    fileStem: "build",
  });
  const header = { log: "build.log", target: "x86_64", pointerSize: 32 as const, version: "0.0.0-test" };
  const renderOptions = { limits: DEFAULT_LIMITS, symbolValues: plan.symbols };
  const files: Record<string, string> = {
    "build.com": renderProcedure(plan, { ...header, procedureName: "BUILD.COM" }, renderOptions),
    "descrip.mms": renderDescription(plan, header, renderOptions),
  };
  for (const file of plan.files) files[file.name] = file.content;
  return { plan, files };
}

describe("demo translation", () => {
  const { plan, files } = translateDemo();

  it("translates every step", () => {
    expect([plan.summary.translated, plan.summary.commented, plan.summary.notTranslated]).toEqual([10, 2, 0]);
  });

  it("writes the expected files", () => {
    expect(Object.keys(files).sort()).toEqual(["build.com", "demo.opt", "descrip.mms", "libgreet.opt"]);
  });

  it.each(Object.keys(files))("matches the golden %s", (name) => {
    const file = path.join(golden, name);
    if (update) {
      mkdirSync(golden, { recursive: true });
      writeFileSync(file, files[name] ?? "");
    }
    expect(existsSync(file)).toBe(true);
    expect(files[name]).toBe(readFileSync(file, "utf8"));
  });

  it("passes the DCL checker", () => {
    expect(checkProcedure(files["build.com"] ?? "", procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
  });

  it("passes the MMS checker", () => {
    expect(checkDescription(files["descrip.mms"] ?? "", procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual(
      [],
    );
  });
});
