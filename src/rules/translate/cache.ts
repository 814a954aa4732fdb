/**
 * Fast loading of the translation rules. `npm run build` parses and checks the built-in YAML rule files with
 * the same loader as at run time and writes the result as one JSON file next to this module
 * (scripts/compile-translate-rules.mjs). A translation reads that JSON and so skips importing the YAML parser
 * and compiling the JSON Schema, which cost about 0.2 s of CPU time per run (docs/benchmarks.md). The JSON
 * records a hash of the schema and of every built-in rule file, so a rule file edited after the last build is
 * read from YAML and the edit takes effect at once. User rule files are always read from YAML and validated.
 *
 * This module must not import `./load.js` statically: that import pulls in yaml and ajv.
 */

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hashRuleSources } from "../sources.js";
import { BUILTIN_RULE_DIRECTORY, builtinRuleFiles } from "./builtin.js";
import { addRuleFile, emptyRuleSet } from "./layer.js";
import type { TranslateRuleFile, TranslateRuleSet } from "./types.js";

/** The compiled built-in rule files, in which each `file` and each rule's `origin.file` is a base name. */
export interface CompiledTranslateRules {
  /** `builtinTranslateRulesHash()` of the YAML files the rules were compiled from. */
  sourceHash: string;
  /** The parsed built-in rule files in layering order. */
  files: TranslateRuleFile[];
}

/** Path of the compiled rules file, next to this module: written into `dist/` by the build, absent in `src/`. */
export const COMPILED_TRANSLATE_RULES_FILE = fileURLToPath(new URL("./builtin-rules.json", import.meta.url));

const SCHEMA_FILE = fileURLToPath(new URL("../../../schemas/translate-rules.schema.json", import.meta.url));

/**
 * Hash the rule schema and the built-in rule files' names and contents (SHA-256, hex).
 * NOTE: the hash does not cover the loader's code. After a change to what `parseTranslateRuleFile` returns,
 * running tsc without the rest of `npm run build` leaves an outdated JSON file in use.
 */
export function builtinTranslateRulesHash(files: readonly string[] = builtinRuleFiles()): string {
  return hashRuleSources(SCHEMA_FILE, files);
}

/** Build the compiled form of parsed built-in rule files, storing file names without their directory. */
export function toCompiledTranslateRules(
  files: readonly TranslateRuleFile[],
  sourceHash: string,
): CompiledTranslateRules {
  const compiled = files.map((parsed) => ({
    ...parsed,
    file: path.basename(parsed.file),
    rules: parsed.rules.map((rule) => ({
      ...rule,
      origin: { ...rule.origin, file: path.basename(rule.origin.file) },
    })),
  }));
  return { sourceHash, files: compiled as TranslateRuleFile[] };
}

/**
 * Parse the text of a compiled rules file. Returns undefined when it is not valid JSON or was compiled from
 * other YAML files than those whose hash is `currentHash`. File names are joined to `directory`.
 */
export function parseCompiledTranslateRules(
  text: string,
  currentHash: string,
  directory: string,
): TranslateRuleFile[] | undefined {
  let compiled: CompiledTranslateRules;
  try {
    compiled = JSON.parse(text) as CompiledTranslateRules;
  } catch {
    return undefined;
  }
  if (compiled?.sourceHash !== currentHash || !Array.isArray(compiled.files)) return undefined;
  const files = compiled.files.map((parsed) => ({
    ...parsed,
    file: path.join(directory, parsed.file),
    rules: parsed.rules.map((rule) => ({
      ...rule,
      origin: { ...rule.origin, file: path.join(directory, rule.origin.file) },
      // JSON writes an example without a known line as null.
      exampleLines: rule.exampleLines.map((line) => line ?? undefined),
    })),
  }));
  return files as TranslateRuleFile[];
}

/**
 * Read the compiled built-in rules for the given built-in YAML files, or return undefined when the build did
 * not write them or they are older than the YAML files.
 */
function readCompiledTranslateRules(files: readonly string[]): TranslateRuleFile[] | undefined {
  let text: string;
  try {
    text = readFileSync(COMPILED_TRANSLATE_RULES_FILE, "utf8");
  } catch {
    // Not built (running from the TypeScript sources) or unreadable, so the caller reads the YAML files.
    return undefined;
  }
  return parseCompiledTranslateRules(text, builtinTranslateRulesHash(files), BUILTIN_RULE_DIRECTORY);
}

/**
 * Build the rule set like `loadTranslateRules` in `./load.js`: the built-in rules, then each file of
 * `extraFiles` in order, a later rule replacing an earlier one with the same id in the same family. The
 * built-in rules come from the compiled JSON when it matches the YAML files. The YAML loader is imported
 * only for `extraFiles` or when the compiled rules are missing or stale.
 */
export async function loadTranslateRulesCached(
  extraFiles: readonly string[] = [],
): Promise<TranslateRuleSet> {
  const builtinFiles = builtinRuleFiles();
  const builtin = readCompiledTranslateRules(builtinFiles);
  if (builtin === undefined) {
    const { loadTranslateRules } = await import("./load.js");
    return loadTranslateRules(extraFiles);
  }

  const set = emptyRuleSet();
  for (const parsed of builtin) {
    set.files.push(parsed.file);
    addRuleFile(set, parsed);
  }
  if (extraFiles.length === 0) return set;

  const { readTranslateRuleFile } = await import("./load.js");
  extraFiles.forEach((file, index) => {
    // Layers count every built-in file, as `loadTranslateRules` does.
    const parsed = readTranslateRuleFile(file, builtinFiles.length + index);
    if (parsed === undefined) return;
    set.files.push(file);
    addRuleFile(set, parsed);
  });
  return set;
}
