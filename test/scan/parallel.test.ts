import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mayScanInParallel } from "../../src/cli/command-name.js";
import { mayBeGlob } from "../../src/scan/select.js";
import { runCli } from "../helpers/cli.js";

const temporary = mkdtempSync(path.join(os.tmpdir(), "vmsport-parallel-"));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

/** Write `count` C files under `name`, each with a call that the built-in rules report. */
function makeTree(name: string, count: number): string {
  const root = path.join(temporary, name);
  for (let index = 0; index < count; index++) {
    const directory = path.join(root, `dir${index % 4}`);
    mkdirSync(directory, { recursive: true });
    const body = index % 3 === 0 ? "return fork();" : "return select(0, 0, 0, 0, 0);";
    writeFileSync(
      path.join(directory, `file${index}.c`),
      `#include <unistd.h>\nint entry${index}(void) { ${body} }\n`,
    );
  }
  return root;
}

interface JsonReport {
  findings: { ruleId: string; path: string; line: number; fingerprint: string }[];
  summary: { jobs: number; filesScanned: number };
}

async function scanJson(root: string, jobs: number): Promise<JsonReport> {
  const run = await runCli(["scan", ".", "--format", "json", "--fail-on", "none", "--jobs", String(jobs)], {
    cwd: root,
  });
  expect(run.stderr).not.toContain("internal error");
  return JSON.parse(run.stdout) as JsonReport;
}

describe("scan with worker threads", () => {
  const large = makeTree("large", 120);
  const small = makeTree("small", 5);

  it("reports findings in the tree", async () => {
    const report = await scanJson(large, 2);
    expect(report.findings.length).toBeGreaterThanOrEqual(40);
  });

  it("finds the same as one thread", async () => {
    const [one, two] = await Promise.all([scanJson(large, 1), scanJson(large, 2)]);
    expect(two.findings).toEqual(one.findings);
  });

  it("finds the same with three threads", async () => {
    const [one, three] = await Promise.all([scanJson(large, 1), scanJson(large, 3)]);
    expect(three.findings).toEqual(one.findings);
  });

  it("stays exact past the read-ahead limit", async () => {
    // 60 more files of about 135 KB make 8 MB, twice the 4 MiB the lex worker may read ahead.
    const root = makeTree("read-ahead", 60);
    const filler = `/* ${"x".repeat(100)} */\nstatic int pad;\n`.repeat(1100);
    for (let index = 0; index < 60; index++) {
      const file = path.join(root, `dir${index % 4}`, `big${index}.c`);
      writeFileSync(file, `${filler}int g${index}(void) { return fork(); }\n`);
    }
    const [one, two] = await Promise.all([scanJson(root, 1), scanJson(root, 2)]);
    expect(two.summary.filesScanned).toBe(120);
    expect(two.summary.jobs).toBe(2);
    expect(two.findings).toEqual(one.findings);
  });

  it("stays exact past the token buffer size", async () => {
    // About 300,000 tokens make 4.5 MB of tokens, more than the 1 MiB buffer a message's files share.
    const root = makeTree("token-buffer", 60);
    const dense = "a=b+c;".repeat(50_000);
    writeFileSync(path.join(root, "dir1", "dense.c"), `int f(void) { ${dense} return fork(); }\n`);
    const [one, two] = await Promise.all([scanJson(root, 1), scanJson(root, 2)]);
    expect(two.summary.jobs).toBe(2);
    expect(two.findings).toEqual(one.findings);
  });

  it("uses workers for many files", async () => {
    const report = await scanJson(large, 3);
    expect(report.summary.jobs).toBe(3);
  });

  it("scans every file", async () => {
    const report = await scanJson(large, 2);
    expect(report.summary.filesScanned).toBe(120);
  });

  it("uses one thread for few files", async () => {
    const report = await scanJson(small, 4);
    expect(report.summary.jobs).toBe(1);
    expect(report.summary.filesScanned).toBe(5);
  });

  it("reports skips from the lexing worker", async () => {
    const root = makeTree("skips", 60);
    writeFileSync(path.join(root, "dir0", "binary.c"), Buffer.from([0x69, 0x6e, 0x74, 0x00, 0x3b]));
    writeFileSync(path.join(root, "dir1", "large.c"), `int big;\n${"/* padding */\n".repeat(200)}`);
    const args = [
      "scan",
      ".",
      "--format",
      "json",
      "--fail-on",
      "none",
      "--allow-skips",
      "--max-file-size",
      "2000",
    ];
    const [one, two] = await Promise.all([
      runCli([...args, "--jobs", "1"], { cwd: root }),
      runCli([...args, "--jobs", "2"], { cwd: root }),
    ]);
    const skippedOf = (stdout: string) =>
      (JSON.parse(stdout) as { skipped: { path: string; reason: string }[] }).skipped;
    expect(skippedOf(two.stdout)).toEqual(skippedOf(one.stdout));
    expect(
      skippedOf(two.stdout)
        .map((skip) => skip.reason)
        .sort(),
    ).toEqual(["binary", "too-large"]);
  });

  it("keeps columns after a byte order mark", async () => {
    const root = makeTree("bom", 60);
    writeFileSync(path.join(root, "dir2", "bom.c"), `\ufeffint f(void) { return fork(); }\n`);
    const [one, two] = await Promise.all([scanJson(root, 1), scanJson(root, 2)]);
    expect(two.findings).toEqual(one.findings);
  });

  it("sizes the pool by files", async () => {
    const medium = makeTree("medium", 60);
    const report = await scanJson(medium, 8);
    expect(report.summary.jobs).toBe(2);
  });
});

describe("early lexing worker", () => {
  it("ends a run that fails on usage", async () => {
    const run = await runCli(["scan", ".", "--fail-on", "sometimes"], { cwd: temporary });
    expect(run.code).toBe(2);
  });

  it("ends a run that needs one thread", async () => {
    const root = makeTree("early-small", 3);
    const run = await runCli(["scan", ".", "--format", "json", "--fail-on", "none"], { cwd: root });
    expect((JSON.parse(run.stdout) as JsonReport).summary.jobs).toBe(1);
  });
});

describe("mayScanInParallel", () => {
  it.each([
    [["scan", "src"], true],
    [["--quiet", "scan"], true],
    [["scan", "--jobs", "2", "src"], true],
    [["scan", "--jobs", "1", "src"], false],
    [["scan", "--jobs=1"], false],
    [["scan", "-j1"], false],
    [["scan", "-j", "01"], false],
    [["scan", "--help"], false],
    [["parse", "build.log"], false],
    [["--version"], false],
  ])("%j gives %s", (argv, expected) => {
    expect(mayScanInParallel(argv)).toBe(expected);
  });
});

describe("mayBeGlob", () => {
  it.each([
    ["src", false],
    ["src/main.c", false],
    ["dir with space/x.c", false],
    ["src/*.c", true],
    ["src/**/x.c", true],
    ["file?.c", true],
    ["[ab].c", true],
    ["{a,b}.c", true],
    ["!(x).c", true],
    ["a\\*b.c", true],
  ])("%s is %s", (argument, expected) => {
    expect(mayBeGlob(argument)).toBe(expected);
  });
});
