import { mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const limit = 2 * availableParallelism();

function scratch(): string {
  const directory = mkdtempSync(path.join(tmpdir(), "vmsport-jobs-limit-"));
  writeFileSync(path.join(directory, "build.log"), "gcc -c a.c -o a.o\n");
  writeFileSync(path.join(directory, "a.c"), "int main(void) { return fork(); }\n");
  return directory;
}

describe("thread limit", () => {
  it("warns when parse asks for too many threads", async () => {
    const run = await runCli(["parse", "build.log", "--jobs", "1000"], { cwd: scratch() });
    expect(run.stderr).toContain(`1000 threads requested, ${limit} used`);
  });

  it("still parses with too many threads", async () => {
    const run = await runCli(["parse", "build.log", "--jobs", "1000", "--format", "jsonl"], {
      cwd: scratch(),
    });
    expect(run.stdout).toContain('"kind":"compile"');
  });

  it("warns when scan asks for too many threads", async () => {
    const run = await runCli(["scan", "a.c", "--jobs", "1000", "--fail-on", "none"], { cwd: scratch() });
    expect(run.stderr).toContain(`1000 threads requested, ${limit} used`);
  });

  it("says nothing within the limit", async () => {
    const run = await runCli(["scan", "a.c", "--jobs", String(limit), "--fail-on", "none"], {
      cwd: scratch(),
    });
    expect(run.stderr).not.toContain("threads requested");
  });
});
