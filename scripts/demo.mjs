#!/usr/bin/env node
// Runs vmsport on the bundled example project (fixtures/demo) the way a porter would, printing each command
// before its output. Results are written to demo-output/, which is replaced on every run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = path.join(root, "dist", "cli", "main.js");
const demo = path.join(root, "fixtures", "demo");
const out = path.join(root, "demo-output");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const relative = (file) => path.relative(root, file) || ".";

const steps = [
  {
    title: "Translate Unix paths to OpenVMS file specifications",
    args: [
      "path",
      "src/lib/util.c",
      "../include/config.h",
      "/usr/local/lib/libz.a",
      "foo.tar.gz",
      "Makefile",
    ],
  },
  {
    title: "Parse the captured `make V=1` log into typed build steps",
    args: ["parse", relative(path.join(demo, "build.log")), "--format", "text"],
    needs: path.join(demo, "build.log"),
  },
  {
    title: "Write compile_commands.json for editors and linters",
    args: [
      "parse",
      relative(path.join(demo, "build.log")),
      "--format",
      "compdb",
      "-o",
      relative(path.join(out, "compile_commands.json")),
    ],
    needs: path.join(demo, "build.log"),
  },
  {
    title: "Translate the build into an OpenVMS DCL command procedure",
    args: [
      "translate",
      relative(path.join(demo, "build.log")),
      "-o",
      relative(path.join(out, "BUILD.COM")),
      "--root-logical",
      "DEMO$ROOT",
    ],
    needs: path.join(demo, "build.log"),
    show: path.join(out, "BUILD.COM"),
  },
  {
    title: "Write an MMS description file for incremental builds",
    args: [
      "translate",
      relative(path.join(demo, "build.log")),
      "--format",
      "mms",
      "-o",
      relative(path.join(out, "DESCRIP.MMS")),
      "--root-logical",
      "DEMO$ROOT",
    ],
    needs: path.join(demo, "build.log"),
  },
  {
    title: "Scan the example sources for constructs that break on OpenVMS",
    args: ["scan", relative(path.join(demo, "src")), "--format", "text", "--fail-on", "none"],
    needs: path.join(demo, "src"),
  },
  {
    title: "Adapt the example's config.h to the OpenVMS C run-time library",
    args: ["config", relative(path.join(demo, "config.h")), "--vms-version", "9.2", "--format", "text"],
    needs: path.join(demo, "config.h"),
  },
];

let failed = 0;
for (const step of steps) {
  if (step.needs && !existsSync(step.needs)) continue;
  process.stdout.write(`\n=== ${step.title}\n$ vmsport ${step.args.join(" ")}\n\n`);
  const result = spawnSync(process.execPath, [cli, ...step.args], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`(exit status ${result.status})\n`);
  }
  if (step.show && existsSync(step.show)) {
    process.stdout.write(`\n--- first lines of ${relative(step.show)}\n`);
    spawnSync("head", ["-n", "60", step.show], { stdio: "inherit" });
  }
}
process.stdout.write(`\nAll results are in ${relative(out)}/.\n`);
process.exitCode = failed === 0 ? 0 : 1;
