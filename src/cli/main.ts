#!/usr/bin/env node
import { mayScanInParallel } from "./command-name.js";

const argv = process.argv.slice(2);

// The scanner's worker thread starts while the CLI's modules load, which is why they are imported afterwards.
if (mayScanInParallel(argv)) (await import("../scan/early-worker.js")).startLexWorkerEarly();
const { runCli } = await import("./program.js");

// A reader that closes the pipe early (`vmsport parse … | head`) is not an error. Any other failure to
// write standard output (a full disk) ends the run with a message instead of a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  process.stderr.write(
    `error: standard output: cannot write output: ${error.message}\n  Check where standard output goes (a full disk, a closed device), or write to a file with -o.\n`,
  );
  process.exit(2);
});

const code = await runCli(argv, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
