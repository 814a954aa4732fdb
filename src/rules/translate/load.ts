import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../../util/errors.js";
import { inputError } from "../../util/io.js";
import { type LoadedDocument, loadStructured } from "../../util/structured.js";
import type {
  FlagRule,
  LibraryRule,
  Located,
  TargetRule,
  ToolRule,
  TranslateRuleFile,
  TranslateRuleKind,
  TranslateRuleSet,
} from "./types.js";

const require = createRequire(import.meta.url);
const schema = require("../../../schemas/translate-rules.schema.json") as object;

/** Folder of the rule files that ship with the package; the same relative path from `src/` and `dist/`. */
export const BUILTIN_RULE_DIRECTORY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../rules/translate",
);

const SCHEMA_HINT = "See schemas/translate-rules.schema.json in the vmsport package for the allowed fields.";

interface RawRuleFile {
  kind: TranslateRuleKind | string;
  rules: { id: string }[];
}

/** Parse and validate one rule file's text. `layer` orders files for overriding (higher wins). */
export function parseTranslateRuleFile(text: string, file: string, layer = 0): TranslateRuleFile | undefined {
  const document = loadStructured<RawRuleFile>(text, file, schema, "rule file", SCHEMA_HINT);
  const { kind, rules } = document.data;
  if (!kind.startsWith("translate-")) return undefined;
  const seen = new Set<string>();
  const located = rules.map((rule, index) => {
    const position = document.positionAt(`/rules/${index}`);
    if (seen.has(rule.id)) {
      throw new UserError(`duplicate rule id "${rule.id}" in one file`, {
        location: { file, ...(position ?? {}) },
        hint: "Give each rule its own id; to replace a rule, put the new one in a later file.",
      });
    }
    seen.add(rule.id);
    const examples = (rule as { examples?: unknown[] }).examples ?? [];
    const exampleLines = examples.map(
      (_, example) => document.positionAt(`/rules/${index}/examples/${example}`)?.line,
    );
    return { ...rule, origin: { file, ...(position ? { line: position.line } : {}) }, layer, exampleLines };
  });
  if (kind === "translate-flags") checkPatterns(located as Located<FlagRule>[], document, file);
  return { kind, file, rules: located } as TranslateRuleFile;
}

/** Reject a `match.pattern` that is not a valid regular expression, at its line. */
function checkPatterns(
  rules: Located<FlagRule>[],
  document: LoadedDocument<RawRuleFile>,
  file: string,
): void {
  rules.forEach((rule, index) => {
    if (!("pattern" in rule.match)) return;
    try {
      new RegExp(rule.match.pattern);
    } catch (error) {
      const position = document.positionAt(`/rules/${index}/match/pattern`);
      throw new UserError(
        `invalid rule file: "match.pattern" of rule "${rule.id}" is not a valid regular expression: ${(error as Error).message}`,
        {
          location: { file, ...(position ?? {}) },
          hint: "Write a JavaScript regular expression; it is matched against the whole option word.",
        },
      );
    }
  });
}

/** Read and parse a rule file from disk. Files of other families (scanner rules) give `undefined`. */
export function readTranslateRuleFile(file: string, layer = 0): TranslateRuleFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw inputError(error, file, "rule file");
  }
  return parseTranslateRuleFile(text, file, layer);
}

/** Paths of the built-in translation rule files, sorted by name so layering is stable. */
export function builtinRuleFiles(directory = BUILTIN_RULE_DIRECTORY): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort()
    .map((name) => path.join(directory, name));
}

/**
 * Build the rule set: the built-in files, then `extraFiles` in order (the configuration file's `rules`, then
 * each `--rules FILE`). A later rule replaces an earlier one with the same id in the same family.
 */
export function loadTranslateRules(
  extraFiles: readonly string[] = [],
  builtinDirectory?: string,
): TranslateRuleSet {
  const set: TranslateRuleSet = {
    flags: new Map(),
    libraries: new Map(),
    tools: new Map(),
    targets: new Map(),
    files: [],
  };
  const files = [...builtinRuleFiles(builtinDirectory), ...extraFiles];
  files.forEach((file, layer) => {
    const parsed = readTranslateRuleFile(file, layer);
    if (parsed === undefined) return;
    set.files.push(file);
    addRuleFile(set, parsed);
  });
  return set;
}

/** Layer one parsed file over a rule set. */
export function addRuleFile(set: TranslateRuleSet, parsed: TranslateRuleFile): void {
  switch (parsed.kind) {
    case "translate-flags":
      for (const rule of parsed.rules) set.flags.set(rule.id, rule as Located<FlagRule>);
      break;
    case "translate-libraries":
      for (const rule of parsed.rules) set.libraries.set(rule.id, rule as Located<LibraryRule>);
      break;
    case "translate-tools":
      for (const rule of parsed.rules) set.tools.set(rule.id, rule as Located<ToolRule>);
      break;
    case "translate-targets":
      for (const rule of parsed.rules) set.targets.set(rule.id, rule as Located<TargetRule>);
      break;
  }
}
