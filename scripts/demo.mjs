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

const log = relative(path.join(demo, "build.log"));
const exportsFile = relative(path.join(demo, "greet.nm"));
const configH = relative(path.join(root, "fixtures", "adapt", "autoconf", "config.h"));

const steps = [
  {
    title: "Translate Unix paths to OpenVMS file specifications",
    args: ["path", "src/lib/util.c", "../include/config.h", "foo.tar.gz", "Makefile"],
  },
  {
    title: "Parse the captured `make V=1` log into typed build steps",
    args: ["parse", log, "--format", "text"],
  },
  {
    title: "Write compile_commands.json for editors and linters",
    args: ["parse", log, "--format", "compdb", "-o", "demo-output/compile_commands.json"],
  },
  {
    title: "Translate the build into an OpenVMS DCL command procedure",
    args: [
      "translate",
      log,
      "-o",
      "demo-output/dcl/BUILD.COM",
      "--root-logical",
      "DEMO$ROOT",
      "--exports",
      exportsFile,
    ],
    show: path.join(out, "dcl", "BUILD.COM"),
  },
  {
    title: "Write an MMS description file for incremental builds",
    args: [
      "translate",
      log,
      "--format",
      "mms",
      "-o",
      "demo-output/mms/DESCRIP.MMS",
      "--root-logical",
      "DEMO$ROOT",
      "--exports",
      exportsFile,
    ],
  },
  {
    title: "Write the procedure that sets up the run-time environment",
    args: ["setup", log, "-o", "demo-output/dcl/SETUP.COM", "--root-logical", "DEMO$ROOT"],
  },
  {
    title: "Scan the example sources for constructs that break on OpenVMS",
    args: ["scan", relative(demo), "--format", "text", "--fail-on", "none"],
  },
  {
    title: "Adapt an autoconf config.h to the OpenVMS C run-time library (report only)",
    args: ["config", configH, "--vms-version", "8.4", "--format", "text"],
  },
];

/** Quote an argument for a POSIX shell, so that a printed command can be pasted as it is. */
function shellQuote(arg) {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

let failed = 0;
for (const step of steps) {
  process.stdout.write(`\n=== ${step.title}\n$ vmsport ${step.args.map(shellQuote).join(" ")}\n\n`);
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
