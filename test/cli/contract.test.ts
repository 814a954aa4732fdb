import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

// A two-line make log: enough for every command that reads a build log.
const LOG = [
  "make: Entering directory '/home/user/src/demo'",
  "gcc -DHAVE_CONFIG_H -I. -O2 -c -o util.o util.c",
  "make: Leaving directory '/home/user/src/demo'",
  "",
].join("\n");

const ESC = "\u001b[";

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "vmsport-contract-"));
  writeFileSync(path.join(dir, "build.log"), LOG);
  return dir;
}

describe("CLI contract", () => {
  it("reads standard input for -", async () => {
    const run = await runCli(["parse", "-", "--format", "json"], { input: LOG });
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as { steps: { kind: string }[] };
    expect(document.steps.map((step) => step.kind)).toEqual(["compile"]);
  });

  it("keeps results on stdout and messages on stderr", async () => {
    const dir = workspace();
    const run = await runCli(["parse", "build.log", "--format", "json", "--verbose"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });

  it("writes -o atomically and refuses to overwrite", async () => {
    const dir = workspace();
    const first = await runCli(["parse", "build.log", "--format", "compdb", "-o", "compile_commands.json"], {
      cwd: dir,
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe("");
    const written = readFileSync(path.join(dir, "compile_commands.json"), "utf8");
    expect(JSON.parse(written)).toHaveLength(1);

    writeFileSync(path.join(dir, "compile_commands.json"), "precious");
    const second = await runCli(["parse", "build.log", "--format", "compdb", "-o", "compile_commands.json"], {
      cwd: dir,
    });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("compile_commands.json: output file already exists");
    expect(second.stderr).toContain("--force");
    expect(readFileSync(path.join(dir, "compile_commands.json"), "utf8")).toBe("precious");
    expect(readdirSync(dir).sort()).toEqual(["build.log", "compile_commands.json"]);
  });

  it("overwrites with --force", async () => {
    const dir = workspace();
    writeFileSync(path.join(dir, "out.json"), "old");
    const run = await runCli(["parse", "build.log", "--format", "compdb", "-o", "out.json", "--force"], {
      cwd: dir,
    });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(dir, "out.json"), "utf8")).not.toBe("old");
  });

  it("rejects a directory as -o", async () => {
    const dir = workspace();
    mkdirSync(path.join(dir, "out"));
    const run = await runCli(["parse", "build.log", "-o", "out"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("out: output path is a directory");
  });

  it("names a missing input file without a stack trace", async () => {
    const dir = workspace();
    const run = await runCli(["parse", "missing.log"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing\.log: .*not found/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe("");
  });

  it("colours errors only when forced", async () => {
    const dir = workspace();
    const plain = await runCli(["parse", "missing.log"], { cwd: dir });
    expect(plain.stderr).not.toContain(ESC);
    const forced = await runCli(["parse", "missing.log"], { cwd: dir, env: { FORCE_COLOR: "1" } });
    expect(forced.stderr).toContain(ESC);
  });

  it("honours NO_COLOR over FORCE_COLOR", async () => {
    const dir = workspace();
    const run = await runCli(["parse", "missing.log"], {
      cwd: dir,
      env: { FORCE_COLOR: "1", NO_COLOR: "1" },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain(ESC);
  });

  it("honours --no-color over FORCE_COLOR", async () => {
    const dir = workspace();
    const run = await runCli(["parse", "missing.log", "--no-color"], { cwd: dir, env: { FORCE_COLOR: "1" } });
    expect(run.stderr).not.toContain(ESC);
  });

  it("prints nothing but results with --quiet", async () => {
    const dir = workspace();
    const run = await runCli(["parse", "build.log", "--format", "jsonl", "--quiet"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("applies the configuration file and lets options override it", async () => {
    const dir = workspace();
    mkdirSync(path.join(dir, ".git"));
    writeFileSync(path.join(dir, "vmsport.config.json"), JSON.stringify({ scan: { failOn: "none" } }));
    writeFileSync(path.join(dir, "fork.c"), "int main(void) { return fork(); }\n");
    const configured = await runCli(["scan", "fork.c", "--format", "gcc"], { cwd: dir });
    expect(configured.stdout).toContain("[VMS1001]");
    expect(configured.code).toBe(0);
    const overridden = await runCli(["scan", "fork.c", "--format", "gcc", "--fail-on", "error"], {
      cwd: dir,
    });
    expect(overridden.code).toBe(1);
  });
});
