import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../util/errors.js";
import { inputError } from "../util/io.js";
import { loadStructured } from "../util/structured.js";
import type { CrtlCase, CrtlKnowledgeBase, CrtlRule, LocatedCrtlRule } from "./types.js";

const require = createRequire(import.meta.url);
const schema = require("../../schemas/crtl-rules.schema.json") as object;

/** Folder of the knowledge-base files that ship with the package; the same relative path from `src/` and `dist/`. */
export const BUILTIN_CRTL_DIRECTORY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../rules/crtl",
);

const SCHEMA_HINT = "See schemas/crtl-rules.schema.json in the vmsport package for the allowed fields.";

interface RawCrtlFile {
  kind: string;
  rules: CrtlRule[];
}

/**
 * Parses and validates one knowledge-base file. Besides the schema it checks what a schema cannot express:
 * ids unique in the file, exactly one way of deciding a macro, a final case without condition, and the fields
 * that each kind needs.
 */
export function parseCrtlRuleFile(text: string, file: string): LocatedCrtlRule[] {
  const document = loadStructured<RawCrtlFile>(text, file, schema, "CRTL rule file", SCHEMA_HINT);
  const seen = new Set<string>();
  return document.data.rules.map((rule, index) => {
    const position = document.positionAt(`/rules/${index}`);
    const location = { file, ...(position ? { line: position.line, column: position.column } : {}) };
    if (seen.has(rule.id)) {
      throw new UserError(`duplicate rule id "${rule.id}" in one file`, {
        location,
        hint: "Give each entry its own id; to replace an entry, put the new one in a later file.",
      });
    }
    seen.add(rule.id);
    const problem = checkRuleShape(rule);
    if (problem)
      throw new UserError(`invalid CRTL rule "${rule.id}": ${problem}`, { location, hint: SCHEMA_HINT });
    return { ...rule, origin: { file, ...(position ? { line: position.line } : {}) } };
  });
}

function checkRuleShape(rule: CrtlRule): string | undefined {
  if (rule.kind === "feature-logical") {
    if (!rule.logical) return 'a feature-logical entry needs "logical"';
    if (!rule.logicalValue) return 'a feature-logical entry needs "logicalValue"';
    return undefined;
  }
  if (!rule.macro && !rule.macroPattern) return `a ${rule.kind} entry needs "macro" or "macroPattern"`;
  if (rule.macroPattern !== undefined) {
    try {
      new RegExp(rule.macroPattern);
    } catch (error) {
      return `"macroPattern" is not a valid regular expression: ${(error as Error).message}`;
    }
  }
  const deciders = [rule.status, rule.since, rule.value, rule.cases].filter((field) => field !== undefined);
  if (deciders.length !== 1) return 'give exactly one of "status", "since", "value" or "cases"';
  if (rule.cases) {
    const last = rule.cases[rule.cases.length - 1];
    if (last?.when !== undefined)
      return 'the last of "cases" must have no "when", so that some case always applies';
  }
  if (rule.add && rule.kind !== "feature-macro") return '"add" is only for feature-macro entries';
  return undefined;
}

/** Reads the `.yaml`, `.yml` and `.json` files of a folder in name order. */
export function readCrtlRuleDirectory(directory: string): LocatedCrtlRule[] {
  const names = readdirSync(directory)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort();
  return names.flatMap((name) => readCrtlRuleFile(path.join(directory, name)));
}

/** Reads one knowledge-base file; files of other rule families (another `kind`) give no entries. */
export function readCrtlRuleFile(file: string): LocatedCrtlRule[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw inputError(error, file, "rule file");
  }
  if (!/^kind:\s*["']?crtl["']?\s*$/m.test(text) && !/"kind"\s*:\s*"crtl"/.test(text)) return [];
  return parseCrtlRuleFile(text, file);
}

/**
 * Builds the knowledge base from the built-in files followed by `extraFiles` (the configuration file's `rules`).
 * A later entry with the same id replaces the earlier one. A macro claimed by two different entries is an
 * error, because the adjuster could not tell which one decides it.
 */
export function loadCrtlKnowledgeBase(
  extraFiles: readonly string[] = [],
  builtinDirectory = BUILTIN_CRTL_DIRECTORY,
): CrtlKnowledgeBase {
  const byId = new Map<string, LocatedCrtlRule>();
  for (const rule of readCrtlRuleDirectory(builtinDirectory)) byId.set(rule.id, rule);
  for (const file of extraFiles) for (const rule of readCrtlRuleFile(file)) byId.set(rule.id, rule);
  return buildKnowledgeBase([...byId.values()]);
}

/** Indexes entries by macro name and alias. */
export function buildKnowledgeBase(rules: readonly LocatedCrtlRule[]): CrtlKnowledgeBase {
  const byMacro = new Map<string, LocatedCrtlRule>();
  for (const rule of rules) {
    for (const name of macroNames(rule)) {
      const other = byMacro.get(name);
      if (other && other.id !== rule.id) {
        throw new UserError(`macro ${name} is decided by two CRTL rules, "${other.id}" and "${rule.id}"`, {
          location: rule.origin,
          hint: "Keep one entry per macro; list other spellings under the entry's aliases.",
        });
      }
      byMacro.set(name, rule);
    }
  }
  const patterns = rules
    .filter((rule) => rule.macroPattern !== undefined)
    .map((rule) => ({ pattern: new RegExp(rule.macroPattern ?? ""), rule }));
  return { rules: [...rules], byMacro, patterns };
}

/** Finds the entry that decides a macro: one naming it or listing it as an alias, else the first matching pattern. */
export function ruleForMacro(knowledge: CrtlKnowledgeBase, name: string): LocatedCrtlRule | undefined {
  return knowledge.byMacro.get(name) ?? knowledge.patterns.find((entry) => entry.pattern.test(name))?.rule;
}

/** Macro names an entry decides: its macro and aliases. */
export function macroNames(rule: CrtlRule): string[] {
  if (!rule.macro) return [];
  return [rule.macro, ...(rule.aliases ?? [])];
}

/** Expands an entry's shorthand fields into its ordered case list. */
export function casesOf(rule: CrtlRule): CrtlCase[] {
  if (rule.cases) return rule.cases;
  if (rule.since !== undefined)
    return [{ when: { since: rule.since }, status: "present" }, { status: "absent" }];
  if (rule.value !== undefined) return [{ value: rule.value }];
  if (rule.status === "absent" || rule.status === "present") return [{ status: rule.status }];
  return [];
}
