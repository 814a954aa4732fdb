import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/parse");
/** Above the size from which `--jobs` takes effect, so that the worker threads really run. */
const LOG_BYTES = 5 << 20;

let directory = "";

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), "vmsport-jobs-"));
  const logs = readdirSync(FIXTURES)
    .filter((name) => name !== "_error_")
    .sort()
    .map((name) => readFileSync(path.join(FIXTURES, name, "build.log")))
    .map((bytes) => (bytes.at(-1) === 10 ? bytes : Buffer.concat([bytes, Buffer.from("\n")])));
  const copies: Buffer[] = [];
  let size = 0;
  while (size < LOG_BYTES) {
    for (const log of logs) {
      copies.push(log);
      size += log.length;
    }
  }
  writeFileSync(path.join(directory, "build.log"), Buffer.concat(copies));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe("parse --jobs", () => {
  for (const format of ["jsonl", "compdb"]) {
    it(`writes the same ${format} with two threads`, async () => {
      const oneThread = await runCli(["parse", "build.log", "--format", format, "--jobs", "1"], {
        cwd: directory,
      });
      const twoThreads = await runCli(["parse", "build.log", "--format", format, "--jobs", "2"], {
        cwd: directory,
      });
      expect(twoThreads.code).toBe(0);
      expect(twoThreads.stderr).toBe(oneThread.stderr);
      expect(twoThreads.stdout === oneThread.stdout).toBe(true);
    });
  }

  it("writes the same file with two threads", async () => {
    // A file sink hands the workers' output buffers back to them, which standard output to a pipe may not.
    const oneThread = await runCli(["parse", "build.log", "--format", "jsonl", "-o", "one.jsonl"], {
      cwd: directory,
    });
    const twoThreads = await runCli(
      ["parse", "build.log", "--format", "jsonl", "--jobs", "2", "-o", "two.jsonl"],
      {
        cwd: directory,
      },
    );
    expect(oneThread.code).toBe(0);
    expect(twoThreads.code).toBe(0);
    const first = readFileSync(path.join(directory, "one.jsonl"));
    const second = readFileSync(path.join(directory, "two.jsonl"));
    expect(second.equals(first)).toBe(true);
  });

  it("rejects a binary log with two threads", async () => {
    const binary = Buffer.alloc(LOG_BYTES, 0x41);
    binary[10] = 0;
    writeFileSync(path.join(directory, "binary.log"), binary);
    const run = await runCli(["parse", "binary.log", "--format", "jsonl", "--jobs", "2"], { cwd: directory });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/binary file/);
  });

  it("takes the thread count from the configuration file", async () => {
    const configured = mkdtempSync(path.join(tmpdir(), "vmsport-jobs-config-"));
    try {
      writeFileSync(path.join(configured, "vmsport.config.json"), '{ "parse": { "jobs": 2 } }\n');
      const log = path.join(directory, "build.log");
      const oneThread = await runCli(["parse", log, "--format", "jsonl", "--jobs", "1"], { cwd: configured });
      const twoThreads = await runCli(["parse", log, "--format", "jsonl", "--verbose"], { cwd: configured });
      expect(twoThreads.stderr).toMatch(/parsed in 2 threads/);
      expect(twoThreads.stdout === oneThread.stdout).toBe(true);
    } finally {
      rmSync(configured, { recursive: true, force: true });
    }
  });

  it("rejects zero threads in the configuration file", async () => {
    const configured = mkdtempSync(path.join(tmpdir(), "vmsport-jobs-config-"));
    try {
      writeFileSync(path.join(configured, "vmsport.config.json"), '{\n  "parse": { "jobs": 0 }\n}\n');
      const run = await runCli(["parse", path.join(directory, "build.log")], { cwd: configured });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/vmsport\.config\.json:2:/);
    } finally {
      rmSync(configured, { recursive: true, force: true });
    }
  });

  it("says when a small log stays in the main thread", async () => {
    writeFileSync(path.join(directory, "small.log"), "gcc -c a.c -o a.o\n");
    const run = await runCli(["parse", "small.log", "--jobs", "2", "--verbose"], { cwd: directory });
    expect(run.stderr).toMatch(/parsed in the main thread/);
  });

  it("rejects zero threads", async () => {
    const run = await runCli(["parse", "build.log", "--jobs", "0"], { cwd: directory });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid value for --jobs/);
  });
});
