import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  builtinRulesHash,
  builtinScanRuleDirectory,
  builtinScanRuleFiles,
  loadScanRulesCached,
  parseCompiledRules,
  prepareScanRuleLoading,
} from "../../src/rules/scan/cache.js";
import { loadScanRules } from "../../src/rules/scan/load.js";

const script = fileURLToPath(new URL("../../scripts/compile-scan-rules.mjs", import.meta.url));
const overrideFile = fileURLToPath(new URL("../../fixtures/scan-perf/fork-override.yaml", import.meta.url));
const temporary = mkdtempSync(path.join(os.tmpdir(), "vmsport-compiled-rules-"));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

/** Run the build step that compiles the rules (it needs `npm run build` first) into a file of its own. */
function compileRules(): string {
  const output = path.join(temporary, `rules-${Math.random().toString(36).slice(2)}.json`);
  execFileSync(process.execPath, [script, output], { stdio: "pipe" });
  return readFileSync(output, "utf8");
}

describe("compiled built-in rules", () => {
  it("equal the rules read from YAML", () => {
    const text = compileRules();
    const compiled = parseCompiledRules(text, builtinRulesHash(), builtinScanRuleDirectory());
    expect(compiled).toEqual(loadScanRules());
  });

  it("store rule files by base name", () => {
    const { rules } = JSON.parse(compileRules()) as { rules: { file: string }[] };
    expect(rules.every((rule) => !rule.file.includes("/"))).toBe(true);
  });

  it("are rejected for another hash", () => {
    const text = compileRules();
    expect(parseCompiledRules(text, "0".repeat(64), builtinScanRuleDirectory())).toBeUndefined();
  });

  it("are rejected when not JSON", () => {
    expect(parseCompiledRules("kind: scan\n", builtinRulesHash(), "/rules")).toBeUndefined();
  });
});

describe("builtinRulesHash", () => {
  it("changes when a rule file changes", () => {
    const copies = builtinScanRuleFiles().map((file) => {
      const copy = path.join(temporary, path.basename(file));
      copyFileSync(file, copy);
      return copy;
    });
    const before = builtinRulesHash(copies);
    writeFileSync(copies[0] as string, `${readFileSync(copies[0] as string, "utf8")}# edited\n`);
    expect(builtinRulesHash(copies)).not.toBe(before);
  });

  it("is stable for unchanged files", () => {
    expect(builtinRulesHash()).toBe(builtinRulesHash());
  });
});

describe("loadScanRulesCached", () => {
  it("layers a user rule file over the built-in rules", async () => {
    await prepareScanRuleLoading(1);
    const rules = loadScanRulesCached([overrideFile]);
    const fork = rules.find((rule) => rule.id === "VMS1001");
    expect(fork?.severity).toBe("warning");
    expect(fork?.file).toBe(overrideFile);
    expect(rules.length).toBe(loadScanRules().length);
  });

  it("keeps the rules sorted by id", async () => {
    await prepareScanRuleLoading(1);
    const ids = loadScanRulesCached([overrideFile]).map((rule) => rule.id);
    expect(ids).toEqual([...ids].sort());
  });
});
