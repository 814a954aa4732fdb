#!/usr/bin/env node
/**
 * Compile the built-in translation rules (rules/translate/*.yaml) into dist/rules/translate/builtin-rules.json,
 * or into the file named by the first argument, so that `vmsport translate` starts without the YAML parser
 * and the schema validator. Run by `npm run build` after tsc, because it uses the compiled loader: the rules
 * pass the same schema and checks as at run time, and a bad rule fails the build with its file and line. The
 * output records a hash of its sources, which src/rules/translate/cache.ts compares at run time.
 */

import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";

const { builtinTranslateRulesHash, COMPILED_TRANSLATE_RULES_FILE, toCompiledTranslateRules } = await import(
  "../dist/rules/translate/cache.js"
);
const { builtinRuleFiles, readTranslateRuleFile } = await import("../dist/rules/translate/load.js");
const { formatUserError, UserError } = await import("../dist/util/errors.js");

const files = builtinRuleFiles();
if (files.length === 0) {
  console.error("error: no built-in rule files found in rules/translate");
  process.exit(1);
}

// The hash is taken before reading, so a file edited while this runs makes the output stale, not wrong.
const sourceHash = builtinTranslateRulesHash(files);
const parsed = [];
try {
  files.forEach((file, layer) => {
    const ruleFile = readTranslateRuleFile(file, layer);
    if (ruleFile !== undefined) parsed.push(ruleFile);
  });
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  console.error(`error: ${formatUserError(error)}`);
  process.exit(1);
}

const output = process.argv[2] ? path.resolve(process.argv[2]) : COMPILED_TRANSLATE_RULES_FILE;
const temporary = `${output}.${process.pid}.tmp`;
writeFileSync(temporary, `${JSON.stringify(toCompiledTranslateRules(parsed, sourceHash))}\n`);
renameSync(temporary, output);
const ruleCount = parsed.reduce((total, ruleFile) => total + ruleFile.rules.length, 0);
console.log(
  `compiled ${ruleCount} translation rules from ${files.length} files into ${path.relative(process.cwd(), output)}`,
);
