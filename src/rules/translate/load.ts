import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { UserError } from "../../util/errors.js";
import { inputError } from "../../util/io.js";
import { type LoadedDocument, loadStructured } from "../../util/structured.js";
import { builtinRuleFiles } from "./builtin.js";
import { addRuleFile, emptyRuleSet } from "./layer.js";
import type { FlagRule, Located, TranslateRuleFile, TranslateRuleKind, TranslateRuleSet } from "./types.js";

export { BUILTIN_RULE_DIRECTORY, builtinRuleFiles } from "./builtin.js";
export { addRuleFile } from "./layer.js";

const require = createRequire(import.meta.url);
const schema = require("../../../schemas/translate-rules.schema.json") as object;

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

/**
 * Build the rule set: the built-in files, then `extraFiles` in order (the configuration file's `rules`, then
 * each `--rules FILE`). A later rule replaces an earlier one with the same id in the same family.
 */
export function loadTranslateRules(
  extraFiles: readonly string[] = [],
  builtinDirectory?: string,
): TranslateRuleSet {
  const set = emptyRuleSet();
  const files = [...builtinRuleFiles(builtinDirectory), ...extraFiles];
  files.forEach((file, layer) => {
    const parsed = readTranslateRuleFile(file, layer);
    if (parsed === undefined) return;
    set.files.push(file);
    addRuleFile(set, parsed);
  });
  return set;
}
