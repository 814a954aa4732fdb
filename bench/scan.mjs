#!/usr/bin/env node
/**
 * Wall-clock benchmark of `vmsport scan`, process start included.
 *
 *   node bench/scan.mjs [TREE] [--runs N] [--jobs N]
 *
 * TREE is a directory of C/C++ sources, for example Erlang/OTP 25 from `apt-get source erlang`. Without it
 * the script writes a synthetic tree of its own under the system's temporary directory and scans that.
 * Run `npm run build` first: the benchmark runs the built CLI in dist/, whose compiled rules must match the
 * YAML files (otherwise every run parses the YAML, which is slower).
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const position = args.indexOf(name);
  if (position < 0) return fallback;
  const [value] = args.splice(position, 2).slice(1);
  return value;
};
const runs = Number(option("--runs", "7"));
const jobs = option("--jobs", undefined);
let tree = args[0];
let generated;

/** A synthetic tree: 300 C files of about 30 KB mixing ordinary code, comments, strings and constructs the rules report. */
function generateTree() {
  const root = mkdtempSync(path.join(os.tmpdir(), "vmsport-bench-"));
  const block = (n) => `
/* Worker ${n}: comment text mentioning fork() and select() that must not be reported. */
static int helper_${n}(int fd, const char *name) {
    char buffer[256];
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0) return -1;
#ifdef __linux__
    epoll_create1(0);
#else
    snprintf(buffer, sizeof buffer, "%s-%d", name, ${n});
#endif
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK) + (int)strlen(buffer);
}
`;
  for (let directory = 0; directory < 10; directory++) {
    mkdirSync(path.join(root, `dir${directory}`));
    for (let file = 0; file < 30; file++) {
      let text = "#include <stdio.h>\n#include <fcntl.h>\n#include <string.h>\n";
      for (let n = 0; n < 70; n++) text += block(n);
      text += `int entry_${directory}_${file}(void) { return fork(); }\n`;
      writeFileSync(path.join(root, `dir${directory}`, `file${file}.c`), text);
    }
  }
  return root;
}

const { readCompiledRules } = await import("../dist/rules/scan/cache.js");
if (readCompiledRules() === undefined)
  console.warn(
    "warning: dist has no compiled rules matching rules/scan; run npm run build for representative times",
  );

if (!tree) {
  generated = generateTree();
  tree = generated;
  console.log(`no tree given; generated a synthetic tree in ${tree}`);
}

const scanArgs = [cli, "scan", tree, "--format", "gcc", "--quiet", "--fail-on", "none", "--allow-skips"];
if (jobs) scanArgs.push("--jobs", jobs);

// One run fills the operating system's file cache; it is not counted.
const warm = spawnSync(process.execPath, scanArgs, { encoding: "utf8", maxBuffer: 1 << 28 });
if (warm.status !== 0) {
  console.error(warm.stderr);
  process.exit(1);
}
const times = [];
for (let run = 0; run < runs; run++) {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, scanArgs, { encoding: "utf8", maxBuffer: 1 << 28 });
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
}
times.sort((a, b) => a - b);
const summary = spawnSync(
  process.execPath,
  [...scanArgs.slice(0, 3), "--format", "json", "--fail-on", "none", "--allow-skips"],
  {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  },
);
const report = JSON.parse(summary.stdout);
const stats = report.summary ?? {};
const mean = times.reduce((sum, time) => sum + time, 0) / times.length;
const [load1, load5] = os.loadavg();
console.log(`node ${process.version}, load average ${load1.toFixed(2)} ${load5.toFixed(2)} after the runs`);
console.log(
  `files ${stats.filesScanned}, lines ${stats.lines}, bytes ${stats.bytes}, findings ${report.findings?.length}, cpus ${os.availableParallelism()} (${os.cpus()[0]?.model ?? "unknown"})`,
);
console.log(
  `wall time over ${runs} runs: min ${times[0].toFixed(0)} ms, median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, mean ${mean.toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms`,
);
if (generated) rmSync(generated, { recursive: true, force: true });
