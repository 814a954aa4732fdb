#!/usr/bin/env node
import { mayScanInParallel } from "./command-name.js";

const argv = process.argv.slice(2);

// The scanner's worker thread starts while the CLI's modules load, which is why they are imported afterwards.
if (mayScanInParallel(argv)) (await import("../scan/early-worker.js")).startLexWorkerEarly();
const { runCli } = await import("./program.js");

// A reader that closes the pipe early (`vmsport parse … | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const code = await runCli(argv, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
