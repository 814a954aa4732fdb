import { readFileSync } from "node:fs";
import { UserError } from "../util/errors.js";
import { inputError } from "../util/io.js";

/** The three rule families. A rule file names its family in its top-level `kind`. */
export type RuleFamily = "translate" | "scan" | "crtl";

const FAMILY_OF_KIND: Record<string, RuleFamily> = {
  "translate-flags": "translate",
  "translate-libraries": "translate",
  "translate-tools": "translate",
  "translate-targets": "translate",
  scan: "scan",
  crtl: "crtl",
};

export const RULE_KINDS = Object.keys(FAMILY_OF_KIND);

/**
 * Read only the top-level `kind` of a rule file, so that one list of rule files (the configuration file's
 * `rules`, or `vmsport rules test A B C`) can hold files of every family and each command takes its own.
 */
export function ruleFileFamily(file: string, text?: string): RuleFamily {
  let source = text;
  if (source === undefined) {
    try {
      source = readFileSync(file, "utf8");
    } catch (error) {
      throw inputError(error, file, "rule file");
    }
  }
  // A line scan instead of a YAML parse keeps the yaml package out of commands that never read a rule file.
  const yamlKind = /^kind:[ \t]*(["']?)([\w-]+)\1[ \t]*(#.*)?$/m.exec(source);
  const jsonKind = yamlKind ? undefined : /^\s*\{[\s\S]*?"kind"\s*:\s*"([\w-]+)"/.exec(source);
  const kind = yamlKind?.[2] ?? jsonKind?.[1];
  const family = kind === undefined ? undefined : FAMILY_OF_KIND[kind];
  if (family === undefined) {
    const offset = yamlKind?.index ?? jsonKind?.index;
    const line = offset === undefined ? undefined : source.slice(0, offset).split("\n").length;
    throw new UserError(
      kind === undefined
        ? "rule file has no top-level kind"
        : `rule file has an unknown kind ${JSON.stringify(kind)}; expected one of ${RULE_KINDS.join(", ")}`,
      {
        location: line === undefined ? { file } : { file, line },
        hint: "Start the file with a line such as `kind: scan` naming the rule family.",
      },
    );
  }
  return family;
}

/** Keep the files of one family, in order. */
export function ruleFilesOfFamily(files: readonly string[], family: RuleFamily): string[] {
  return files.filter((file) => ruleFileFamily(file) === family);
}
