import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkTargetVersion } from "../../src/adapt/index.js";
import { UserError } from "../../src/util/errors.js";
import { runCli } from "../helpers/cli.js";

const probe = fileURLToPath(new URL("../../fixtures/config/autoconf-probe/config.h", import.meta.url));
const maxSource = fileURLToPath(new URL("../../fixtures/config/not-config/max.c", import.meta.url));
const where = { target: "--target", version: "--vms-version" };

describe("checkTargetVersion", () => {
  it.each([
    ["x86_64", "7.3-2"],
    ["x86_64", "8.4-2L1"],
    ["ia64", "7.3-2"],
    ["alpha", "9.2"],
    ["ia64", "9.2-1"],
  ] as const)("rejects %s with %s", (target, version) => {
    expect(() => checkTargetVersion(target, version, where)).toThrow(UserError);
  });

  it.each([
    ["x86_64", "9.2"],
    ["x86_64", "9.0"],
    ["ia64", "8.2"],
    ["ia64", "8.4-2L3"],
    ["alpha", "7.3-2"],
    ["alpha", "6.2"],
  ] as const)("accepts %s with %s", (target, version) => {
    expect(() => checkTargetVersion(target, version, where)).not.toThrow();
  });

  it("names the first release", () => {
    expect(() => checkTargetVersion("x86_64", "7.3-2", where)).toThrow(
      "OpenVMS 7.3-2 (--vms-version) never ran on x86-64 (--target): the first x86-64 release was 9.0",
    );
  });
});

describe("vmsport scan target checks", () => {
  it("rejects an impossible pair", async () => {
    const run = await runCli(["scan", maxSource, "--target", "alpha", "--vms-version", "9.2"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/never ran on Alpha/);
  });
});

describe("vmsport config input checks", () => {
  it("exits 2 on an impossible pair", async () => {
    const run = await runCli(["config", probe, "--target", "x86_64", "--vms-version", "7.3-2"]);
    expect(run.code).toBe(2);
  });

  it("explains an impossible pair", async () => {
    const run = await runCli(["config", probe, "--target", "x86_64", "--vms-version", "7.3-2"]);
    expect(run.stderr).toMatch(/never ran on x86-64/);
  });

  it("writes nothing for an impossible pair", async () => {
    const output = path.join(mkdtempSync(path.join(tmpdir(), "vmsport-config-")), "config_vms.h");
    await runCli(["config", probe, "--target", "x86_64", "--vms-version", "7.3-2", "-o", output]);
    expect(existsSync(output)).toBe(false);
  });

  it("checks a pair from the configuration file", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-config-"));
    const settings = path.join(directory, "vmsport.yaml");
    writeFileSync(settings, 'target: ia64\nvmsVersion: "7.3-2"\n');
    const run = await runCli(["--config", settings, "config", probe]);
    expect(run.stderr).toContain(
      `(vmsVersion in ${settings}) never ran on Itanium (I64) (target in ${settings})`,
    );
  });

  it("exits 2 on a C source", async () => {
    const run = await runCli(["config", maxSource]);
    expect(run.code).toBe(2);
  });

  it("writes nothing for a C source", async () => {
    const output = path.join(mkdtempSync(path.join(tmpdir(), "vmsport-config-")), "config_vms.h");
    const run = await runCli(["config", maxSource, "-o", output]);
    expect(run.stdout).toBe("");
    expect(existsSync(output)).toBe(false);
  });

  it("locates the C code", async () => {
    const run = await runCli(["config", maxSource]);
    expect(run.stderr).toContain("max.c:2: input is C code, not a config.h");
  });
});
