#!/usr/bin/env node
// Runs every benchmark in this folder one after another, with each script's default input, because they
// compete for the CPU if run together. The scripts take different options: run one directly to set them.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const only = process.env.VMSPORT_BENCH;
const benches = readdirSync(here)
  .filter((name) => name.endsWith(".mjs") && name !== "run.mjs")
  .filter((name) => !only || name.startsWith(only))
  .sort();

let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n### ${name}\n`);
  const result = spawnSync(process.execPath, [path.join(here, name)], {
    stdio: "inherit",
  });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
