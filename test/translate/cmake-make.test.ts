/**
 * `vmsport translate` on a log of CMake's Makefile generator taken with `make VERBOSE=1` and without
 * `make -w`: the top make's CMake bookkeeping runs in the unnamed directory the build started in.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseLogText } from "../../src/log/index.js";
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

describe("translate a CMake Makefile-generator log with libraries in subdirectories", () => {
  const subdirs = fileURLToPath(
    new URL("../../fixtures/translate/cmake-make-subdirs/build.log", import.meta.url),
  );
  const root = ["--source-root", "/home/user/src/subdirs"];

  it("parses each link script's commands in the script's directory", () => {
    const steps = parseLogText(readFileSync(subdirs, "utf8"), {}).steps;
    const archive = steps.find((step) => step.kind === "archive");
    const link = steps.find((step) => step.kind === "link");
    expect(archive?.directory.path).toBe("/home/user/src/subdirs/build/lib");
    expect(link?.directory.path).toBe("/home/user/src/subdirs/build/app");
  });

  /** Find the directory of the last SET DEFAULT before the first record that starts with `command`. */
  const defaultBefore = (procedure: string, command: string) => {
    const before = procedure.slice(0, procedure.indexOf(`\n$ ${command}`));
    return /SET DEFAULT (\S+)/.exec(before.slice(before.lastIndexOf("$ SET DEFAULT")))?.[1];
  };

  it("archives and links in the script's directory", async () => {
    const directory = scratch();
    const run = await runCli(["translate", subdirs, ...root, "-o", path.join(directory, "build.com")]);
    expect(run.code).toBe(0);
    const procedure = readFileSync(path.join(directory, "build.com"), "utf8");
    expect(defaultBefore(procedure, "LIBRARY/REPLACE")).toBe("SRC$ROOT:[BUILD.LIB]");
    expect(defaultBefore(procedure, "LINK/")).toBe("SRC$ROOT:[BUILD.APP]");
    expect(readFileSync(path.join(directory, "gauge.opt"), "utf8")).toContain("[-.LIB]LIBMETER.OLB/LIBRARY");
  });

  it("names the library the program depends on as its rule does", async () => {
    const directory = scratch();
    const output = path.join(directory, "DESCRIP.MMS");
    await runCli(["translate", subdirs, ...root, "--format", "mms", "-o", output]);
    const description = readFileSync(output, "utf8");
    expect(description).toMatch(/^\[\.BUILD\.LIB\]LIBMETER\.OLB : /m);
    const program = description.slice(description.indexOf("[.BUILD.APP]GAUGE.EXE :"));
    expect(program.split("\n\t")[0]).toContain("[.BUILD.LIB]LIBMETER.OLB");
  });
});
