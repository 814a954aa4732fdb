#!/usr/bin/env node
/**
 * Throughput and peak memory of `vmsport parse --format jsonl`, end to end through the built CLI.
 *
 *   node bench/parse.mjs [--size MB] [--logs DIR] [--match REGEX] [--jobs N] [--keep]
 *
 * Builds a log of about `--size` megabytes (default 1024) by repeating the `*.log` files of `--logs DIR`
 * (or of the VMSPORT_BENCH_LOGS environment variable), or the project's own fixture logs when neither is
 * given. `--match` keeps only the logs whose file name matches the regular expression, for example
 * `--match V1` for the logs of verbose (`V=1`) builds. `--jobs` is passed on to `vmsport parse`. The
 * parser output goes to /dev/null. Peak RSS is the child's maximum resident set size, and CPU
 * time its user and system time, both as Node's process.resourceUsage() reports them at exit. On a shared
 * machine the CPU figure is the steadier one, because wall time includes waiting for other processes.
 * Run `npm run build` first.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist", "cli", "main.js");

function parseArguments(argv) {
  const options = {
    sizeMegabytes: 1024,
    logs: process.env.VMSPORT_BENCH_LOGS,
    match: undefined,
    jobs: undefined,
    keep: false,
  };
  for (let k = 0; k < argv.length; k++) {
    const argument = argv[k];
    if (argument === "--size") options.sizeMegabytes = Number(argv[++k]);
    else if (argument === "--logs") options.logs = argv[++k];
    else if (argument === "--match") options.match = new RegExp(argv[++k]);
    else if (argument === "--jobs") options.jobs = argv[++k];
    else if (argument === "--keep") options.keep = true;
    else
      throw new Error(
        `unknown argument ${argument}; usage: node bench/parse.mjs [--size MB] [--logs DIR] [--match REGEX] [--jobs N] [--keep]`,
      );
  }
  if (!Number.isFinite(options.sizeMegabytes) || options.sizeMegabytes <= 0)
    throw new Error("--size needs a positive number of megabytes");
  return options;
}

function sourceLogs(directory, match) {
  let files;
  if (directory) {
    files = readdirSync(directory)
      .filter((name) => name.endsWith(".log"))
      .sort()
      .map((name) => path.join(directory, name));
  } else {
    const fixtures = path.join(root, "fixtures", "parse");
    files = readdirSync(fixtures)
      .filter((name) => name !== "_error_" && existsSync(path.join(fixtures, name, "build.log")))
      .sort()
      .map((name) => path.join(fixtures, name, "build.log"));
  }
  // Fixture logs are all named build.log, so the pattern is matched against the path below the source.
  const base = directory ?? path.join(root, "fixtures", "parse");
  return match ? files.filter((file) => match.test(path.relative(base, file))) : files;
}

async function buildLog(files, bytes, target) {
  const contents = files.map((file) => {
    const text = readFileSync(file);
    // A log that ends inside a continuation would swallow the first line of the next copy.
    return text.length > 0 && text[text.length - 1] !== 10 ? Buffer.concat([text, Buffer.from("\n")]) : text;
  });
  const out = createWriteStream(target);
  let written = 0;
  while (written < bytes) {
    for (const content of contents) {
      if (!out.write(content)) await new Promise((resolve) => out.once("drain", resolve));
      written += content.length;
      if (written >= bytes) break;
    }
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return written;
}

// Prints the child's peak RSS in kilobytes and its user and system CPU time in microseconds on standard
// error when it exits.
const USAGE_PROBE = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("BENCH_USAGE "+u.maxRSS+" "+u.userCPUTime+" "+u.systemCPUTime+"\\n")})`;

function runParse(log, jobs) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [
        "--import",
        USAGE_PROBE,
        cli,
        "--quiet",
        "parse",
        log,
        "--format",
        "jsonl",
        ...(jobs === undefined ? [] : ["--jobs", jobs]),
      ],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const usage = /BENCH_USAGE (\d+) (\d+) (\d+)/.exec(stderr);
      if (code !== 0) reject(new Error(`vmsport parse exited with ${code}: ${stderr}`));
      else
        resolve({
          seconds,
          maxRssKilobytes: usage ? Number(usage[1]) : undefined,
          cpuSeconds: usage ? (Number(usage[2]) + Number(usage[3])) / 1e6 : undefined,
        });
    });
  });
}

const options = parseArguments(process.argv.slice(2));
if (!existsSync(cli)) throw new Error(`${cli} not found; run npm run build first`);
const files = sourceLogs(options.logs, options.match);
if (files.length === 0) throw new Error("no .log files to repeat; check --logs and --match");
const log = path.join(tmpdir(), `vmsport-bench-${process.pid}.log`);
try {
  const bytes = await buildLog(files, options.sizeMegabytes * 1024 * 1024, log);
  const megabytes = statSync(log).size / (1024 * 1024);
  const result = await runParse(log, options.jobs);
  const report = {
    input: options.logs ? `${files.length} logs from ${options.logs}` : `${files.length} fixture logs`,
    match: options.match?.source,
    jobs: options.jobs === undefined ? 1 : Number(options.jobs),
    megabytes: Number(megabytes.toFixed(1)),
    bytes,
    seconds: Number(result.seconds.toFixed(2)),
    megabytesPerSecond: Number((megabytes / result.seconds).toFixed(1)),
    cpuSeconds: result.cpuSeconds === undefined ? undefined : Number(result.cpuSeconds.toFixed(2)),
    megabytesPerCpuSecond:
      result.cpuSeconds === undefined ? undefined : Number((megabytes / result.cpuSeconds).toFixed(1)),
    peakRssMegabytes:
      result.maxRssKilobytes === undefined ? undefined : Number((result.maxRssKilobytes / 1024).toFixed(1)),
    node: process.version,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  if (!options.keep) rmSync(log, { force: true });
  else console.error(`log kept at ${log}`);
}
