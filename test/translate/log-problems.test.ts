/**
 * `vmsport translate` on logs with problems as a whole: response files, which it reads from the places
 * `vmsport parse` uses, logs that name no directory, and the parser's warnings on how to capture a better
 * log. The one-thread path and the path with a parser thread must behave the same.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const fixtures = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const paths = {
  "one thread": { VMSPORT_TRANSLATE_THREAD_BYTES: String(Number.MAX_SAFE_INTEGER) },
  "parser thread": { VMSPORT_TRANSLATE_THREAD_BYTES: "0" },
};

/** A copy of the response-file fixture in which the named response files are missing. */
function responseFileTree(remove: readonly string[]): string {
  const directory = mkdtempSync(path.join(tmpdir(), "vmsport-rsp-"));
  cpSync(`${fixtures}parse/response-files`, directory, { recursive: true });
  for (const file of remove) rmSync(path.join(directory, file));
  return directory;
}

/** Copy a CMake and Ninja build whose log, taken in its build directory, names no directory. */
function ninjaTree(): string {
  const directory = mkdtempSync(path.join(tmpdir(), "vmsport-ninja-"));
  cpSync(`${fixtures}parse/real-cmake-ninja-rsp`, directory, { recursive: true });
  return directory;
}

describe.each(Object.entries(paths))("translate, %s", (_name, env) => {
  it("reads a response file beside the log", async () => {
    const tree = responseFileTree([]);
    const run = await runCli(["translate", path.join(tree, "build.log")], { cwd: tmpdir(), env });
    expect(run.stdout).toContain('BUILDING_CORE=1,"NAME=""core lib""")');
  });

  it("takes the objects of a link from its response file", async () => {
    const tree = responseFileTree([]);
    const run = await runCli(["translate", path.join(tree, "build.log")], { cwd: tmpdir(), env });
    expect(run.stdout).toMatch(/APP\.OPT\n(?:!.*\n)*\[\.CMAKEFILES\.CORE\^\.DIR\.SRC\]A\^\.C\.OBJ/);
  });

  it("warns about response files it cannot read", async () => {
    const tree = responseFileTree(["build/link.rsp"]);
    const run = await runCli(["translate", path.join(tree, "build.log")], { cwd: tmpdir(), env });
    expect(run.stderr).toContain(
      "2 response files (@file) could not be read, so the steps that name them lack those options",
    );
  });

  it("fails under --strict when a response file is missing", async () => {
    // The fixture names one response file that it does not hold, and every step translates.
    const tree = responseFileTree([]);
    const run = await runCli(["translate", path.join(tree, "build.log"), "--strict"], {
      cwd: tmpdir(),
      env,
    });
    expect(run.code).toBe(1);
  });

  it("puts the steps of a log without directory lines in --directory", async () => {
    const tree = ninjaTree();
    const run = await runCli(
      [
        "translate",
        path.join(tree, "build.log"),
        "--directory",
        path.join(tree, "build"),
        "--source-root",
        tree,
      ],
      { cwd: tmpdir(), env },
    );
    expect(run.stdout).toContain("$ SET DEFAULT SRC$ROOT:[BUILD]");
  });

  it("leaves a define that make would have expanded untranslated", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-unexpanded-"));
    const log = path.join(directory, "build.log");
    writeFileSync(log, "gcc -DV=$(shell echo 1) -c -o a.o a.c\ngcc -c -o b.o b.c\ngcc -o app *.o\n");
    const run = await runCli(["translate", log], { env });
    expect(run.stdout).toContain("NOT TRANSLATED [1] line 1");
    expect(run.stdout).toContain("NOT TRANSLATED [3] line 3");
    expect(run.stdout).not.toContain('shell echo 1)"');
  });

  it("rejects a Makefile given as a log", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-makefile-"));
    const makefile = path.join(directory, "Makefile");
    writeFileSync(makefile, "CC = gcc\napp: main.o\n\t$(CC) -o $@ main.o\nclean:\n\trm -f *.o app\n");
    const run = await runCli(["translate", makefile, "-o", path.join(directory, "BUILD.COM")], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("looks like a Makefile");
    expect(readdirSync(directory)).toEqual(["Makefile"]);
  });

  it("warns about relative paths that climb above the source root", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-above-"));
    const log = path.join(directory, "build.log");
    writeFileSync(log, "gcc -I../include -c ../src/main.c -o main.o\ngcc -o app main.o\n");
    const run = await runCli(["translate", log, "--strict"], { cwd: directory, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("2 relative paths climb above the source root");
    const placed = await runCli(
      ["translate", log, "--strict", "--directory", "/home/me/proj/build", "--source-root", "/home/me/proj"],
      { cwd: directory, env },
    );
    expect(placed.code).toBe(0);
    expect(placed.stderr).not.toContain("climb above");
  });

  it("takes the build directory from the configuration file", async () => {
    const tree = ninjaTree();
    const config = path.join(tree, "vmsport.config.json");
    writeFileSync(
      config,
      JSON.stringify({ translate: { directory: path.join(tree, "build"), sourceRoot: tree } }),
    );
    const run = await runCli(["translate", path.join(tree, "build.log"), "--config", config], {
      cwd: tmpdir(),
      env,
    });
    expect(run.stdout).toContain("$ SET DEFAULT SRC$ROOT:[BUILD]");
  });

  it("reads an archive's members from its response file", async () => {
    const tree = ninjaTree();
    const run = await runCli(
      [
        "translate",
        path.join(tree, "build.log"),
        "--directory",
        path.join(tree, "build"),
        "--source-root",
        tree,
      ],
      { cwd: tmpdir(), env },
    );
    expect(run.stdout).toContain(
      '$ LIBRARY/REPLACE LIBUTIL.OLB "[.CMAKEFILES.UTIL^.DIR.SRC]UTIL^.C.OBJ", -\n    "[.CMAKEFILES.UTIL^.DIR.SRC]TEXT^.C.OBJ"',
    );
  });

  it("creates the object directories that Ninja made silently", async () => {
    const tree = ninjaTree();
    const run = await runCli(
      [
        "translate",
        path.join(tree, "build.log"),
        "--directory",
        path.join(tree, "build"),
        "--source-root",
        tree,
      ],
      { cwd: tmpdir(), env },
    );
    const create = run.stdout.indexOf(
      '$ IF F$SEARCH("SRC$ROOT:[BUILD.CMAKEFILES.UTIL^.DIR]SRC.DIR") .EQS. "" THEN -\n    CREATE/DIRECTORY "SRC$ROOT:[BUILD.CMAKEFILES.UTIL^.DIR.SRC]"',
    );
    expect(create).toBeGreaterThan(0);
    expect(create).toBeLessThan(run.stdout.indexOf("UTIL^.C.OBJ\" 'CC_QUALIFIERS'"));
  });

  it("creates the build directory before the first SET DEFAULT into it", async () => {
    const tree = ninjaTree();
    const run = await runCli(
      [
        "translate",
        path.join(tree, "build.log"),
        "--directory",
        path.join(tree, "build"),
        "--source-root",
        tree,
      ],
      { cwd: tmpdir(), env },
    );
    const create = run.stdout.indexOf("THEN CREATE/DIRECTORY -\n    SRC$ROOT:[BUILD]");
    expect(create).toBeGreaterThan(0);
    expect(create).toBeLessThan(run.stdout.indexOf("$ SET DEFAULT SRC$ROOT:[BUILD]"));
  });

  it("creates the directories in the description file's .FIRST", async () => {
    const tree = ninjaTree();
    const output = path.join(mkdtempSync(path.join(tmpdir(), "vmsport-mms-")), "DESCRIP.MMS");
    await runCli(
      [
        "translate",
        path.join(tree, "build.log"),
        "--directory",
        path.join(tree, "build"),
        "--source-root",
        tree,
        "-f",
        "mms",
        "-o",
        output,
      ],
      { cwd: tmpdir(), env },
    );
    expect(readFileSync(output, "utf8")).toContain(
      '\tIF F$SEARCH("SRC$ROOT:[BUILD.CMAKEFILES.APP^.DIR]SRC.DIR") .EQS. "" THEN CREATE/DIRECTORY "SRC$ROOT:[BUILD.CMAKEFILES.APP^.DIR.SRC]"',
    );
  });

  it("leaves an archive whose response file is missing untranslated", async () => {
    const tree = ninjaTree();
    rmSync(path.join(tree, "build", "CMakeFiles", "util.rsp"));
    const run = await runCli(
      [
        "translate",
        path.join(tree, "build.log"),
        "--directory",
        path.join(tree, "build"),
        "--source-root",
        tree,
      ],
      { cwd: tmpdir(), env },
    );
    expect(run.stdout).toContain("$! reason: the members are in the response file CMakeFiles/util.rsp");
  });

  it("warns when the log names no directory", async () => {
    const tree = ninjaTree();
    const run = await runCli(["translate", path.join(tree, "build.log")], { cwd: tmpdir(), env });
    expect(run.stderr).toContain("the log names no directory, so its steps were placed in /tmp/rspar/src");
  });

  it("does not warn about directories with --directory", async () => {
    const tree = ninjaTree();
    const run = await runCli(
      [
        "translate",
        path.join(tree, "build.log"),
        "--directory",
        path.join(tree, "build"),
        "--source-root",
        tree,
      ],
      { cwd: tmpdir(), env },
    );
    expect(run.stderr).not.toContain("names no directory");
  });

  it("rejects a relative --directory", async () => {
    const tree = ninjaTree();
    const run = await runCli(["translate", path.join(tree, "build.log"), "--directory", "build"], {
      cwd: tmpdir(),
      env,
    });
    expect(run.code).toBe(2);
  });

  it("tells the user to rebuild a quiet log with its commands shown", async () => {
    const run = await runCli(["translate", `${fixtures}parse/silent-rules/build.log`], { env });
    expect(run.stderr).toContain("Rebuild with V=1");
  });
});
