import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  builtinTranslateRulesHash,
  loadTranslateRulesCached,
  parseCompiledTranslateRules,
} from "../../src/rules/translate/cache.js";
import {
  BUILTIN_RULE_DIRECTORY,
  builtinRuleFiles,
  loadTranslateRules,
  readTranslateRuleFile,
} from "../../src/rules/translate/load.js";
import type { TranslateRuleSet } from "../../src/rules/translate/types.js";

const script = fileURLToPath(new URL("../../scripts/compile-translate-rules.mjs", import.meta.url));
const builtCache = new URL("../../dist/rules/translate/cache.js", import.meta.url).href;
const customFlags = fileURLToPath(
  new URL("../../fixtures/translate/rules/custom-flags.yaml", import.meta.url),
);
const temporary = mkdtempSync(path.join(os.tmpdir(), "vmsport-translate-rules-"));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

/** Run the build step that compiles the rules (it needs `npm run build` first) into a file of its own. */
function compileRules(): string {
  const output = path.join(temporary, `rules-${Math.random().toString(36).slice(2)}.json`);
  execFileSync(process.execPath, [script, output], { stdio: "pipe" });
  return readFileSync(output, "utf8");
}

/** List each family's rules as entries, so a comparison also checks their order. */
function entries(set: TranslateRuleSet): unknown[] {
  return [[...set.flags], [...set.libraries], [...set.tools], [...set.targets], set.files];
}

describe("compiled translation rules", () => {
  it("equal the rule files read from YAML", () => {
    const compiled = parseCompiledTranslateRules(
      compileRules(),
      builtinTranslateRulesHash(),
      BUILTIN_RULE_DIRECTORY,
    );
    const fromYaml = builtinRuleFiles().map((file, layer) => readTranslateRuleFile(file, layer));
    expect(compiled).toStrictEqual(fromYaml);
  });

  it("store rule files by base name", () => {
    const { files } = JSON.parse(compileRules()) as {
      files: { file: string; rules: { origin: { file: string } }[] }[];
    };
    const names = files.flatMap((file) => [file.file, ...file.rules.map((rule) => rule.origin.file)]);
    expect(names.filter((name) => name.includes("/"))).toEqual([]);
  });

  it("are rejected for another hash", () => {
    const text = compileRules();
    expect(parseCompiledTranslateRules(text, "0".repeat(64), BUILTIN_RULE_DIRECTORY)).toBeUndefined();
  });

  it("are rejected when not JSON", () => {
    const text = "kind: translate-flags\n";
    expect(parseCompiledTranslateRules(text, builtinTranslateRulesHash(), "/rules")).toBeUndefined();
  });
});

describe("builtinTranslateRulesHash", () => {
  it("changes when a rule file changes", () => {
    const copies = builtinRuleFiles().map((file) => {
      const copy = path.join(temporary, path.basename(file));
      copyFileSync(file, copy);
      return copy;
    });
    const before = builtinTranslateRulesHash(copies);
    writeFileSync(copies[0] as string, `${readFileSync(copies[0] as string, "utf8")}# edited\n`);
    expect(builtinTranslateRulesHash(copies)).not.toBe(before);
  });

  it("is stable for unchanged files", () => {
    expect(builtinTranslateRulesHash()).toBe(builtinTranslateRulesHash());
  });
});

describe("loadTranslateRulesCached", () => {
  it("reads YAML without a compiled file", async () => {
    expect(entries(await loadTranslateRulesCached([customFlags]))).toStrictEqual(
      entries(loadTranslateRules([customFlags])),
    );
  });

  it("matches YAML from the built package", async () => {
    const built = (await import(builtCache)) as typeof import("../../src/rules/translate/cache.js");
    expect(entries(await built.loadTranslateRulesCached())).toStrictEqual(entries(loadTranslateRules()));
  });

  it("layers a user file in the built package", async () => {
    const built = (await import(builtCache)) as typeof import("../../src/rules/translate/cache.js");
    expect(entries(await built.loadTranslateRulesCached([customFlags]))).toStrictEqual(
      entries(loadTranslateRules([customFlags])),
    );
  });
});
