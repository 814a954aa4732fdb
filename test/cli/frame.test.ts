import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("vmsport command line", () => {
  it("prints its version", async () => {
    const run = await runCli(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("lists every command in --help", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["parse", "translate", "scan", "config", "setup", "rules", "path"]) {
      expect(run.stdout).toContain(`  ${command}`);
    }
    expect(run.stdout).toContain("Exit status:");
  });

  it("rejects an unknown command with status 2", async () => {
    const run = await runCli(["frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
    expect(run.stdout).toBe("");
  });

  it("rejects an unknown option with status 2", async () => {
    const run = await runCli(["path", "--frobnicate", "a.c"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--frobnicate'");
  });

  it("reports an invalid configuration file with its position", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vmsport-frame-"));
    mkdirSync(path.join(dir, ".git"));
    writeFileSync(path.join(dir, "vmsport.config.yaml"), "target: x86_64\npointerSize: 48\n");
    const run = await runCli(["path", "a.c"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("vmsport.config.yaml:2:14: invalid configuration file");
    expect(run.stderr).toContain("must be one of 32, 64");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports a missing --config file", async () => {
    const run = await runCli(["--config", "/nonexistent/vmsport.config.json", "path", "a.c"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("/nonexistent/vmsport.config.json: configuration file not found");
  });

  it("accepts global options after the command", async () => {
    const run = await runCli(["path", "a/b.c", "--quiet", "--no-color"]);
    expect(run.code).toBe(0);
  });
});
