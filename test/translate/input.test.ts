import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

function scratchFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "vmsport-translate-input-")), name);
  writeFileSync(file, text);
  return file;
}

describe("translate input check", () => {
  it("rejects an empty log", async () => {
    const run = await runCli(["translate", scratchFile("empty.log", "")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("contains no recognisable build output");
    expect(run.stdout).toBe("");
  });

  it("rejects prose", async () => {
    const run = await runCli(["translate", scratchFile("notes.txt", "Build notes.\nRun make first.\n")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("contains no recognisable build output");
  });

  it("fails --strict on an unknown library", async () => {
    const log = scratchFile("build.log", "gcc -c -o main.o main.c\ngcc -o app main.o -lnosuchlib\n");
    const run = await runCli(["translate", log, "--strict"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("-lnosuchlib has no library rule");
  });

  it("suggests a source root", async () => {
    const log = scratchFile(
      "build.log",
      [
        "make: Entering directory '/home/u/proj/build'",
        "/usr/bin/cc -o CMakeFiles/a.dir/a.c.o -c /home/u/proj/src/a.c",
        "/usr/bin/cc -o CMakeFiles/a.dir/b.c.o -c /home/u/proj/lib/b.c",
        "",
      ].join("\n"),
    );
    const run = await runCli(["translate", log]);
    expect(run.stderr).toContain("pass --source-root /home/u/proj");
  });
});
