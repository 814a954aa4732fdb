#!/usr/bin/env node
// Writes docs/rules/VMSnnnn.md and docs/rules/README.md from the built-in rule files in rules/scan/.
// With --check, writes nothing and exits 1 when a page is missing, stale or left over from a removed rule.
// It runs the compiled modules in dist/, so run `npm run build` first.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const compiled = path.join(root, "dist/report/rule-docs.js");
if (!existsSync(compiled)) {
  process.stderr.write(`error: ${path.relative(root, compiled)} not found; run "npm run build" first.\n`);
  process.exit(2);
}

const { loadScanRules } = await import(path.join(root, "dist/rules/scan/load.js"));
const { expectedRulePages } = await import(compiled);

const check = process.argv.includes("--check");
const directory = path.join(root, "docs/rules");
const pages = expectedRulePages(loadScanRules());
const stale = [];

for (const [name, text] of pages) {
  const file = path.join(directory, name);
  const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  if (current === text) continue;
  stale.push(name);
  if (!check) {
    mkdirSync(directory, { recursive: true });
    writeFileSync(file, text);
  }
}

const leftovers = existsSync(directory)
  ? readdirSync(directory).filter((name) => /^VMS\d{4}\.md$/.test(name) && !pages.has(name))
  : [];
for (const name of leftovers) {
  stale.push(name);
  if (!check) rmSync(path.join(directory, name));
}

if (check) {
  if (stale.length > 0) {
    process.stderr.write(
      `Stale rule pages: ${stale.join(", ")}\nRun "npm run build && node scripts/gen-rule-docs.mjs".\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${pages.size} rule pages are up to date.\n`);
} else {
  process.stdout.write(`Wrote ${stale.length} of ${pages.size} pages in docs/rules.\n`);
}
