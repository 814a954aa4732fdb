import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { commandNameOf } from "../../src/cli/program.js";
import { runCli } from "../helpers/cli.js";

const overrideFile = fileURLToPath(new URL("../../fixtures/scan-perf/fork-override.yaml", import.meta.url));

describe("commandNameOf", () => {
  it.each<[string[], string | undefined]>([
    [["scan", "src"], "scan"],
    [["--verbose", "--no-color", "translate", "build.log"], "translate"],
    [["-c", "scan", "parse"], "parse"],
    [["--config", "rules", "path", "x"], "path"],
    [["--config=vmsport.yaml", "config"], "config"],
    [["-qc", "file", "rules"], "rules"],
    [["-cfile", "setup"], "setup"],
    [["help", "scan"], "scan"],
    [["help"], undefined],
    [["--help"], undefined],
    [["--version"], undefined],
    [["--", "scan"], undefined],
    [[], undefined],
  ])("%j runs %s", (argv, expected) => {
    expect(commandNameOf(argv)).toBe(expected);
  });
});

describe("lazy command loading", () => {
  it("prints the version alone", async () => {
    const run = await runCli(["--version"]);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("shows a command's help after help", async () => {
    const run = await runCli(["help", "scan"]);
    expect(run.stdout).toContain("--max-file-size");
  });

  it("suggests a command for a typo", async () => {
    const run = await runCli(["scna"]);
    expect(run.stderr).toContain("scan");
    expect(run.code).toBe(2);
  });

  it("applies --rules after the global options", async () => {
    const run = await runCli(["--no-color", "scan", "-", "--rules", overrideFile, "--format", "gcc"], {
      input: "int start(void) { return fork(); }\n",
    });
    expect(run.stdout).toContain("spawn_worker()");
  });
});
