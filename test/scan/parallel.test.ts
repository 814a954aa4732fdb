import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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

  it("sizes the pool by files", async () => {
    const medium = makeTree("medium", 60);
    const report = await scanJson(medium, 8);
    expect(report.summary.jobs).toBe(2);
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
