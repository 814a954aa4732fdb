#!/usr/bin/env node
/**
 * Compile the built-in scanner rules (rules/scan/*.yaml) into dist/rules/scan/builtin-rules.json, or into the
 * file named by the first argument, so a scan
 * starts without the YAML parser and the schema validator. Run by `npm run build` after tsc, because it uses
 * the compiled loader: the rules pass the same schema and checks as at run time, and a bad rule fails the
 * build with its file and line. The output records a hash of its sources; see src/rules/scan/cache.ts.
 */

import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";

const { builtinRulesHash, builtinScanRuleFiles, COMPILED_RULES_FILE } = await import(
  "../dist/rules/scan/cache.js"
);
const { loadScanRules } = await import("../dist/rules/scan/load.js");
const { formatUserError, UserError } = await import("../dist/util/errors.js");

const files = builtinScanRuleFiles();
if (files.length === 0) {
  console.error("error: no built-in rule files found in rules/scan");
  process.exit(1);
}

// The hash is taken before loading, so a file edited while this runs makes the output stale, not wrong.
const sourceHash = builtinRulesHash(files);
let rules;
try {
  rules = loadScanRules();
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  console.error(`error: ${formatUserError(error)}`);
  process.exit(1);
}

// Rule files are stored by base name; the loader joins them to the installed rules directory.
const compiled = {
  sourceHash,
  rules: rules.map((rule) => ({ ...rule, file: path.basename(rule.file) })),
};
const output = process.argv[2] ? path.resolve(process.argv[2]) : COMPILED_RULES_FILE;
const temporary = `${output}.${process.pid}.tmp`;
writeFileSync(temporary, `${JSON.stringify(compiled)}\n`);
renameSync(temporary, output);
console.log(
  `compiled ${rules.length} scanner rules from ${files.length} files into ${path.relative(process.cwd(), output)}`,
);
