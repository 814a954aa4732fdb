import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * List the YAML rule files of a directory, sorted by name so that layering is stable. A missing directory
 * gives an empty list, so a caller can report "no rules" in its own words.
 */
export function listRuleFiles(directory: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort()
    .map((name) => path.join(directory, name));
}

/**
 * Hash a rule schema and rule files' names and contents (SHA-256, hex). Rules compiled to JSON at build time
 * record this hash, so a run can tell that the YAML changed since and read it instead.
 */
export function hashRuleSources(schemaFile: string, files: readonly string[]): string {
  const hash = createHash("sha256");
  hash.update(readFileSync(schemaFile));
  for (const file of files) {
    hash.update(`\0${path.basename(file)}\0`);
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}
