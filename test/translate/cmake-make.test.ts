/**
 * `vmsport translate` on a log of CMake's Makefile generator taken with `make VERBOSE=1` and without
 * `make -w`: the top make's CMake bookkeeping runs in the unnamed directory the build started in.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const log = fileURLToPath(new URL("../../fixtures/translate/cmake-make-static/build.log", import.meta.url));
const THREADED = { VMSPORT_TRANSLATE_THREAD_BYTES: "0" };

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "vmsport-cmake-make-"));
}

describe("translate a CMake Makefile-generator log", () => {
  it("does not warn about bookkeeping", async () => {
    const run = await runCli(["translate", log]);
    expect(run.stderr).not.toMatch(/directory the build started in/);
  });

  it("does not warn in a worker thread", async () => {
    const run = await runCli(["translate", log], { env: THREADED });
    expect(run.stderr).not.toMatch(/directory the build started in/);
  });

  it("does not mark the root as guessed", async () => {
    const run = await runCli(["translate", log]);
    expect(run.stdout.replace(/\n\$! /g, " ")).not.toContain("inferred from the steps");
  });

  it("warns about a compile in the start directory", async () => {
    const directory = scratch();
    const edited = path.join(directory, "build.log");
    writeFileSync(edited, `gcc -c extra.c -o extra.o\n${readFileSync(log, "utf8")}`);
    const run = await runCli(["translate", edited]);
    expect(run.stderr).toMatch(/1 step ran in the directory the build started in/);
  });

  it("deletes the library in the description file", async () => {
    const directory = scratch();
    const output = path.join(directory, "DESCRIP.MMS");
    const run = await runCli(["translate", log, "--format", "mms", "-o", output]);
    expect(run.code).toBe(0);
    const description = readFileSync(output, "utf8");
    const rule = description.slice(description.indexOf("[]LIBUTIL.OLB :")).split("\n\n")[0] ?? "";
    const actions = rule.split("\n").filter((line) => line.startsWith("\t"));
    expect(actions[1]).toBe('\tIF F$SEARCH("LIBUTIL.OLB;*") .NES. "" THEN DELETE/NOLOG/NOCONFIRM -');
  });

  it("writes the options file beside it", async () => {
    const directory = scratch();
    await runCli(["translate", log, "--format", "mms", "-o", path.join(directory, "DESCRIP.MMS")]);
    expect(existsSync(path.join(directory, "counter.opt"))).toBe(true);
  });

  it("deletes the library in log order", async () => {
    const run = await runCli(["translate", log], { env: THREADED });
    const archive = run.stdout.indexOf("$! [11] line 18: /usr/bin/ar qc libutil.a");
    const deletion = run.stdout.indexOf('$ IF F$SEARCH("LIBUTIL.OLB;*") .NES. "" THEN DELETE');
    expect(deletion).toBeGreaterThan(archive);
    expect(run.stdout.indexOf("LIBRARY/CREATE")).toBeGreaterThan(deletion);
  });
});
