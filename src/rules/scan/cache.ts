import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hashRuleSources, listRuleFiles } from "../sources.js";
import type { ScanRule } from "./model.js";

/** The compiled built-in rules; each rule's `file` is the base name of its YAML file. */
export interface CompiledScanRules {
  /** `builtinRulesHash()` of the YAML files the rules were compiled from. */
  sourceHash: string;
  rules: ScanRule[];
}

/** Path of the compiled rules file, next to this module: written into `dist/` by the build, absent in `src/`. */
export const COMPILED_RULES_FILE = fileURLToPath(new URL("./builtin-rules.json", import.meta.url));

const SCHEMA_FILE = fileURLToPath(new URL("../../../schemas/scan-rules.schema.json", import.meta.url));

/** Directory of the built-in rule files, found from this module in both `src/` and `dist/`. */
export function builtinScanRuleDirectory(): string {
  return fileURLToPath(new URL("../../../rules/scan/", import.meta.url));
}

/** List the built-in rule files, sorted by name. */
export function builtinScanRuleFiles(): string[] {
  return listRuleFiles(builtinScanRuleDirectory());
}

/**
 * List the CRTL knowledge-base files that rules with `crtlStatus` take their names from: the paths of
 * `CRTL_FACT_FILES` in `./crtl-facts.js`, which this module does not import because it loads the YAML parser.
 */
export function crtlFactFiles(): string[] {
  return ["functions.yaml", "headers.yaml"].map((name) =>
    fileURLToPath(new URL(`../../../rules/crtl/${name}`, import.meta.url)),
  );
}

/**
 * Hash the rule schema, the built-in rule files' names and contents, and the CRTL knowledge-base files
 * (SHA-256, hex).
 */
export function builtinRulesHash(
  files: readonly string[] = builtinScanRuleFiles(),
  factFiles: readonly string[] = crtlFactFiles(),
): string {
  return hashRuleSources(SCHEMA_FILE, [...files, ...factFiles]);
}

/**
 * Parse the text of a compiled rules file. Returns undefined when it is not valid JSON or was compiled from
 * other YAML files than those whose hash is `currentHash`. Rule files are joined to `directory`.
 */
export function parseCompiledRules(
  text: string,
  currentHash: string,
  directory: string,
): ScanRule[] | undefined {
  let compiled: CompiledScanRules;
  try {
    compiled = JSON.parse(text) as CompiledScanRules;
  } catch {
    return undefined;
  }
  if (compiled?.sourceHash !== currentHash || !Array.isArray(compiled.rules)) return undefined;
  return compiled.rules.map((rule) => ({ ...rule, file: path.join(directory, rule.file) }));
}

let compiledRules: ScanRule[] | null | undefined;

/**
 * Read the compiled built-in rules, or return undefined when the build did not write them or they are older
 * than the YAML files. The file is read once per thread.
 */
export function readCompiledRules(): ScanRule[] | undefined {
  if (compiledRules !== undefined) return compiledRules ?? undefined;
  compiledRules = null;
  try {
    const text = readFileSync(COMPILED_RULES_FILE, "utf8");
    compiledRules = parseCompiledRules(text, builtinRulesHash(), builtinScanRuleDirectory()) ?? null;
  } catch {
    // Not built (running from the TypeScript sources) or unreadable: the YAML files are the source anyway.
  }
  return compiledRules ?? undefined;
}

let yamlLoader: typeof import("./load.js") | undefined;

/**
 * Import the YAML rule loader when `loadScanRulesCached` will need it: for user rule files, or when the
 * compiled built-in rules are missing or stale. Call it before `loadScanRulesCached`.
 */
export async function prepareScanRuleLoading(userRuleFileCount: number): Promise<void> {
  if (yamlLoader !== undefined) return;
  if (userRuleFileCount > 0 || readCompiledRules() === undefined) yamlLoader = await import("./load.js");
}

/**
 * Load the built-in rules, then each extra YAML file in order, like `loadScanRules` in `./load.js`: a rule
 * in a later file replaces an earlier rule with the same id. The built-in rules come from the compiled JSON
 * when it matches the YAML files. Rules are sorted by id.
 *
 * Throws an Error when YAML must be read and `prepareScanRuleLoading` was not awaited first.
 */
export function loadScanRulesCached(extraFiles: readonly string[] = []): ScanRule[] {
  const builtin = readCompiledRules();
  if (builtin !== undefined && extraFiles.length === 0) return builtin;
  if (yamlLoader === undefined)
    throw new Error("the YAML rule loader is not imported; await prepareScanRuleLoading() first");
  if (builtin === undefined) return yamlLoader.loadScanRules(extraFiles);
  const byId = new Map<string, ScanRule>(builtin.map((rule) => [rule.id, rule]));
  for (const rule of yamlLoader.loadScanRules(extraFiles, false)) byId.set(rule.id, rule);
  return [...byId.values()].sort(compareIds);
}

function compareIds(a: ScanRule, b: ScanRule): number {
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}
