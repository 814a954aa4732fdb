#!/usr/bin/env node
// Throughput of `vmsport translate`, end to end through the built CLI: read a V=1 build log, parse it,
// translate it and write the procedure with its options files. The sample log is the file given with --log,
// else the file named by the VMSPORT_BENCH_LOG environment variable, else the bundled demo log
// (fixtures/demo/build.log). It is repeated up to the size given in MB: by default 32, or 2 for the demo log.
// The demo log's twelve steps include two links with an options file each, so 32 MB of it would write
// about 57,000 files. Translation cost grows with the number of steps, so steps per second is printed too.
// The child's user plus system CPU time and peak RSS come from Node's process.resourceUsage() at its exit.
// On a shared machine the CPU figure is the steadier one, because wall time includes waiting for others.
// Usage: node bench/translate.mjs [MB] [--log FILE] [--format dcl|mms]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist", "cli", "main.js");
const logIndex = process.argv.indexOf("--log");
const givenLog = (logIndex > 0 ? process.argv[logIndex + 1] : undefined) ?? process.env.VMSPORT_BENCH_LOG;
const sourceLog = givenLog ?? path.join(root, "fixtures", "demo", "build.log");
const megabytes = Number(
  process.argv.find((argument) => /^[0-9.]+$/.test(argument)) ?? (givenLog === undefined ? 2 : 32),
);
const formatIndex = process.argv.indexOf("--format");
const format = formatIndex > 0 ? process.argv[formatIndex + 1] : "dcl";

if (!existsSync(sourceLog)) {
  console.error(`sample log ${sourceLog} not found: give an existing file with --log or VMSPORT_BENCH_LOG`);
  process.exit(2);
}
if (!existsSync(cli)) {
  console.error(`${cli} not found: run npm run build first`);
  process.exit(2);
}

const sample = readFileSync(sourceLog);
const copies = Math.max(1, Math.ceil((megabytes * 1024 * 1024) / sample.length));
const scratch = mkdtempSync(path.join(tmpdir(), "vmsport-bench-"));
const log = path.join(scratch, "build.log");
writeFileSync(log, Buffer.concat(Array.from({ length: copies }, () => sample)));
const size = statSync(log).size;
const output = path.join(scratch, "out", format === "mms" ? "descrip.mms" : "build.com");

// Prints the child's peak RSS in kilobytes and its user and system CPU time in microseconds at exit.
const USAGE_PROBE = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("BENCH_USAGE "+u.maxRSS+" "+u.userCPUTime+" "+u.systemCPUTime+"\\n")})`;

const runs = [];
const cpuRuns = [];
let peakRss = 0;
let steps = 0;
for (let run = 0; run < 3; run++) {
  rmSync(path.join(scratch, "out"), { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ["--import", USAGE_PROBE, cli, "translate", log, "-o", output, "--format", format],
    {
      encoding: "utf8",
      maxBuffer: 1 << 26,
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    console.error(result.stderr);
    process.exit(1);
  }
  runs.push(seconds);
  const usage = /BENCH_USAGE (\d+) (\d+) (\d+)/.exec(result.stderr);
  if (usage) {
    peakRss = Math.max(peakRss, Number(usage[1]));
    cpuRuns.push((Number(usage[2]) + Number(usage[3])) / 1e6);
  }
  steps = Number(/^(\d+) steps:/m.exec(result.stderr)?.[1] ?? 0);
}
const best = Math.min(...runs);
const written = statSync(output).size;
console.log(
  `log: ${path.basename(sourceLog)} x ${copies} = ${(size / 1048576).toFixed(1)} MB, format ${format}`,
);
console.log(
  `output: ${(written / 1048576).toFixed(1)} MB; runs: ${runs.map((seconds) => seconds.toFixed(2)).join(" s, ")} s`,
);
console.log(
  `throughput (best of 3): ${(size / 1048576 / best).toFixed(1)} MB/s, ${Math.round(steps / best)} steps/s (${steps} steps)`,
);
if (cpuRuns.length > 0) {
  const bestCpu = Math.min(...cpuRuns);
  console.log(
    `CPU time: ${cpuRuns.map((seconds) => seconds.toFixed(2)).join(" s, ")} s; ${(size / 1048576 / bestCpu).toFixed(1)} MB per CPU second (best); peak RSS ${(peakRss / 1024).toFixed(0)} MB`,
  );
}
rmSync(scratch, { recursive: true, force: true });
