import path from "node:path";
import { fileURLToPath } from "node:url";
import { listRuleFiles } from "../sources.js";

/** Folder of the rule files that ship with the package; the same relative path from `src/` and `dist/`. */
export const BUILTIN_RULE_DIRECTORY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../rules/translate",
);

/** Paths of the built-in translation rule files, sorted by name so layering is stable. */
export function builtinRuleFiles(directory = BUILTIN_RULE_DIRECTORY): string[] {
  return listRuleFiles(directory);
}
