/**
 * A cache of parsed rule files. Parsing and validating the YAML rule files takes longer than scanning a
 * mid-sized tree from a cold start, so the parsed rules are stored as JSON under the user's cache directory,
 * keyed by a hash of the schema and of every rule file's path and contents. A changed file changes the key,
 * so a stale entry is never read. The cache is best-effort: any error falls back to parsing.
 */

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { builtinScanRuleFiles, loadScanRules } from "./load.js";
import type { ScanRule } from "./model.js";

/** Cache directory: VMSPORT_CACHE_DIR (empty disables the cache), else XDG_CACHE_HOME or ~/.cache, + vmsport. */
export function ruleCacheDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.VMSPORT_CACHE_DIR !== undefined)
    return env.VMSPORT_CACHE_DIR === "" ? undefined : env.VMSPORT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), ".cache") : undefined);
  return base ? path.join(base, "vmsport") : undefined;
}

const schemaFile = fileURLToPath(new URL("../../../schemas/scan-rules.schema.json", import.meta.url));

/** Load the scanner rules like `loadScanRules`, through the cache when one is available. */
export function loadScanRulesCached(
  extraFiles: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): ScanRule[] {
  const directory = ruleCacheDirectory(env);
  if (directory === undefined) return loadScanRules(extraFiles);
  let key: string;
  try {
    const hash = createHash("sha256");
    hash.update(readFileSync(schemaFile));
    for (const file of [...builtinScanRuleFiles(), ...extraFiles]) {
      hash.update(`\0${file}\0`);
      hash.update(readFileSync(file));
    }
    key = hash.digest("hex").slice(0, 40);
  } catch {
    // An unreadable rule file is reported by the normal loader with its name.
    return loadScanRules(extraFiles);
  }
  const cacheFile = path.join(directory, `scan-rules-${key}.json`);
  try {
    return JSON.parse(readFileSync(cacheFile, "utf8")) as ScanRule[];
  } catch {
    // Not cached yet, or unreadable: parse and try to store.
  }
  const rules = loadScanRules(extraFiles);
  try {
    mkdirSync(directory, { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(rules));
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only or missing home directory only costs speed.
  }
  return rules;
}
