/**
 * Loading of scanner rule files: YAML validated against `schemas/scan-rules.schema.json`, then checks the
 * schema cannot express (unique ids, regular expressions that compile, version ranges in order).
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { compareVersions } from "../../scan/versions.js";
import { compareText } from "../../util/compare.js";
import { UserError } from "../../util/errors.js";
import { loadStructured } from "../../util/structured.js";
import { builtinScanRuleFiles } from "./cache.js";
import { expandCrtlRules } from "./crtl-facts.js";
import type { RuleKind, ScanRule, ScanRuleFile } from "./model.js";

const require = createRequire(import.meta.url);
const schema = require("../../../schemas/scan-rules.schema.json") as object;

export { builtinScanRuleDirectory, builtinScanRuleFiles } from "./cache.js";

/** Parse and check one rule file's text. */
export function parseScanRuleFile(text: string, file: string): ScanRule[] {
  const document = loadStructured<ScanRuleFile>(
    text,
    file,
    schema,
    "scanner rule file",
    "See schemas/scan-rules.schema.json in the vmsport package for the rule format.",
  );
  const seen = new Map<string, number>();
  return document.data.rules.map((data, index) => {
    const position = document.positionAt(`/rules/${index}/id`);
    const location = { file, ...(position ?? {}) };
    const earlier = seen.get(data.id);
    if (earlier !== undefined) {
      throw new UserError(`rule ${data.id} is defined twice in this file (first at rule ${earlier + 1})`, {
        location,
        hint: "Give each rule its own id; ids are never reused.",
      });
    }
    seen.set(data.id, index);
    for (const source of regexesOf(data)) {
      try {
        new RegExp(source, "u");
      } catch (error) {
        throw new UserError(
          `rule ${data.id} has an invalid regular expression: ${(error as Error).message}`,
          {
            location,
            hint: "Regular expressions use JavaScript syntax with the u flag.",
          },
        );
      }
    }
    if (data.since && data.until && compareVersions(data.since, data.until) >= 0) {
      throw new UserError(
        `rule ${data.id}: "since" (${data.since}) must be older than "until" (${data.until})`,
        { location },
      );
    }
    const kind = Object.keys(data.match)[0] as RuleKind;
    // The schema lets a crtlStatus rule omit `names`; the list stays empty until `expandCrtlRules` fills it.
    const call = data.match.call;
    const match =
      call?.crtlStatus !== undefined ? { call: { ...call, names: call.names ?? [] } } : data.match;
    return { ...data, match, kind, file, ...(position ? { line: position.line } : {}) };
  });
}

function regexesOf(rule: ScanRuleFile["rules"][number]): string[] {
  const list: string[] = [];
  const { match } = rule;
  if (match.string) list.push(match.string.regex);
  if (match.include?.regex) list.push(match.include.regex);
  for (const predicate of match.call?.arguments ?? []) if (predicate.regex) list.push(predicate.regex);
  return list;
}

/**
 * Read and parse one rule file. Its `crtlStatus` rules get their names as in `loadScanRules`, leaving out the
 * names that the file's other rules or the built-in rules with other ids already match.
 */
export function readScanRuleFile(file: string): ScanRule[] {
  const own = readRuleFileAsWritten(file);
  if (!own.some(hasCrtlStatus)) return own;
  const ownIds = new Set(own.map((rule) => rule.id));
  const others = builtinScanRuleFiles()
    .filter(isScanRuleFile)
    .flatMap(readRuleFileAsWritten)
    .filter((rule) => !ownIds.has(rule.id));
  return expandCrtlRules([...own, ...others]).slice(0, own.length);
}

function hasCrtlStatus(rule: ScanRule): boolean {
  return rule.match.call?.crtlStatus !== undefined || rule.match.include?.crtlStatus !== undefined;
}

/** Read and parse one rule file, leaving the names of `crtlStatus` rules empty. */
function readRuleFileAsWritten(file: string): ScanRule[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === "ENOENT" ? "rule file not found" : `rule file cannot be read: ${(error as Error).message}`,
      {
        location: { file },
        hint: 'Check the path given with --rules or in the configuration file\'s "rules".',
      },
    );
  }
  return parseScanRuleFile(text, file);
}

/**
 * Load the built-in rules, then each extra file in order; a rule in a later file replaces an earlier rule
 * with the same id. Files whose `kind` is not `scan` are left out, so one list can name all rule families.
 * Rules with `crtlStatus` then get their names from the CRTL knowledge base.
 */
export function loadScanRules(extraFiles: readonly string[] = [], includeBuiltin = true): ScanRule[] {
  const byId = new Map<string, ScanRule>();
  const files = [...(includeBuiltin ? builtinScanRuleFiles() : []), ...extraFiles];
  for (const file of files) {
    if (!isScanRuleFile(file)) continue;
    for (const rule of readRuleFileAsWritten(file)) byId.set(rule.id, rule);
  }
  return expandCrtlRules([...byId.values()].sort((a, b) => compareText(a.id, b.id)));
}

/** Does a rule file declare `kind: scan`? Unreadable files count as scan files so their error is reported. */
function isScanRuleFile(file: string): boolean {
  try {
    const text = readFileSync(file, "utf8");
    return !/^kind:\s*(?!scan\b)\S+/m.test(text) || /^kind:\s*scan\b/m.test(text);
  } catch {
    return true;
  }
}
