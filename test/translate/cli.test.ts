import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const demo = fileURLToPath(new URL("../../fixtures/demo/", import.meta.url));
const demoLog = path.join(demo, "build.log");
const rulesDirectory = fileURLToPath(new URL("../../fixtures/translate/rules/", import.meta.url));
const subMakeLog = fileURLToPath(new URL("../../fixtures/translate/logs/submake-start.log", import.meta.url));

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "vmsport-translate-"));
}

describe("translate with an unnamed start directory", () => {
  it("places the top steps at the root a sub-make shows", async () => {
    const run = await runCli(["translate", subMakeLog]);
    expect(run.stdout).toMatch(/SET DEFAULT SRC\$ROOT:\[UTIL\]/);
  });

  it("names the root the sub-make shows", async () => {
    const run = await runCli(["translate", subMakeLog]);
    expect(run.stdout).toContain("(/tmp/subproj on the machine that ran the build)");
  });

  it("warns when nothing shows the start", async () => {
    const directory = scratch();
    const log = path.join(directory, "build.log");
    const lines = readFileSync(subMakeLog, "utf8").split("\n");
    writeFileSync(log, lines.filter((line) => line !== "make -C util").join("\n"));
    const run = await runCli(["translate", log]);
    expect(run.stderr).toMatch(/1 step ran in the directory the build started in/);
  });

  it("marks a guessed root in the header", async () => {
    const directory = scratch();
    const log = path.join(directory, "build.log");
    const lines = readFileSync(subMakeLog, "utf8").split("\n");
    writeFileSync(log, lines.filter((line) => line !== "make -C util").join("\n"));
    const run = await runCli(["translate", log]);
    expect(run.stdout.replace(/\n\$! /g, " ")).toContain(
      "inferred from the steps whose directories the log names",
    );
  });

  it("does not mark a root a sub-make shows", async () => {
    const run = await runCli(["translate", subMakeLog]);
    expect(run.stdout.replace(/\n\$! /g, " ")).not.toContain("inferred from the steps");
  });

  it("stays quiet with --source-root", async () => {
    const directory = scratch();
    const log = path.join(directory, "build.log");
    const lines = readFileSync(subMakeLog, "utf8").split("\n");
    writeFileSync(log, lines.filter((line) => line !== "make -C util").join("\n"));
    const run = await runCli(["translate", log, "--source-root", "/tmp/subproj"]);
    expect(run.stderr).not.toMatch(/started in/);
  });
});

describe("vmsport translate", () => {
  it("writes the procedure and its options files", async () => {
    const directory = scratch();
    const run = await runCli([
      "translate",
      demoLog,
      "-o",
      path.join(directory, "build.com"),
      "--exports",
      path.join(demo, "greet.nm"),
    ]);
    expect(run.code).toBe(0);
    expect(readdirSync(directory).sort()).toEqual(["build.com", "demo.opt", "libgreet.opt"]);
    expect(run.stderr).toContain("12 steps: 10 translated, 2 need no command, 0 not translated");
  });

  it("reads the version script beside the log", async () => {
    const directory = scratch();
    const run = await runCli(["translate", demoLog, "-o", path.join(directory, "build.com")]);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(directory, "libgreet.opt"), "utf8")).toContain("greet_message=PROCEDURE");
    expect(run.stderr).toContain("1 shareable image exports the names of a version script, all as PROCEDURE");
  });

  it("moves a define with ! into the header of a description file", async () => {
    const directory = scratch();
    const log = path.join(directory, "bang.log");
    writeFileSync(log, `gcc -DGREETING='"hello, world!"' -DLEVEL=3 -c a.c -o a.o\n`);
    const run = await runCli(["translate", log, "-f", "mms", "-o", path.join(directory, "DESCRIP.MMS")]);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(directory, "DESCRIP.MMS"), "utf8")).toContain("/FIRST_INCLUDE=");
    expect(readFileSync(path.join(directory, "descrip_defs_1.h"), "utf8")).toContain(
      '#define GREETING "hello, world!"',
    );
    const procedure = await runCli(["translate", log]);
    expect(procedure.stdout).toContain(`"GREETING=""hello, world!"""`);
  });

  it("blames an untranslated library link, not a missing rule", async () => {
    const directory = scratch();
    const log = path.join(directory, "lib.log");
    writeFileSync(
      log,
      "gcc -shared -Wl,-soname,libfoo.so.1 -o libfoo.so.1.0 foo.o\ngcc -o app main.o -L. -lfoo\n",
    );
    const run = await runCli(["translate", log]);
    expect(run.stdout).toContain("-lfoo is the library this log links at line 1");
    expect(run.stderr).not.toContain("without an OpenVMS library");
  });

  it("does not warn about types with --exports", async () => {
    const directory = scratch();
    const run = await runCli([
      "translate",
      demoLog,
      "-o",
      path.join(directory, "build.com"),
      "--exports",
      path.join(demo, "greet.nm"),
    ]);
    expect(run.stderr).not.toContain("all as PROCEDURE");
  });

  it("refuses to overwrite and writes nothing", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "build.com"), "old");
    const run = await runCli(["translate", demoLog, "-o", path.join(directory, "build.com")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("output file already exists");
    expect(existsSync(path.join(directory, "demo.opt"))).toBe(false);
    expect(readFileSync(path.join(directory, "build.com"), "utf8")).toBe("old");
  });

  it("refuses an existing options file and leaves no temporary file", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "libgreet.opt"), "old");
    const run = await runCli(["translate", demoLog, "-o", path.join(directory, "build.com")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("output file already exists");
    expect(run.stderr).toContain("libgreet.opt");
    expect(readdirSync(directory)).toEqual(["libgreet.opt"]);
    expect(readFileSync(path.join(directory, "libgreet.opt"), "utf8")).toBe("old");
  });

  it("refuses an output name that ODS-5 cannot hold", async () => {
    const directory = scratch();
    const run = await runCli(["translate", demoLog, "-o", path.join(directory, 'x"y.com')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ODS-5 names cannot contain """');
    expect(readdirSync(directory)).toEqual([]);
  });

  it("refuses an output name with an apostrophe", async () => {
    const directory = scratch();
    const run = await runCli(["translate", demoLog, "-o", path.join(directory, "it's.com")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("symbol substitution");
  });

  it("names an ODS-5 output with its caret escapes", async () => {
    const directory = scratch();
    const run = await runCli(["translate", demoLog, "-o", path.join(directory, "b;1.com")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("needs an ODS-5 disk");
    const text = readFileSync(path.join(directory, "b;1.com"), "utf8");
    expect(text).toContain('$ WRITE SYS$OUTPUT "B^;1.COM failed in step');
  });

  it("names an output without a type with its trailing dot", async () => {
    const directory = scratch();
    const run = await runCli(["translate", demoLog, "-o", path.join(directory, "build")]);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(directory, "build"), "utf8")).toContain("run @BUILD. there");
  });

  it("overwrites with --force", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "build.com"), "old");
    const run = await runCli(["translate", demoLog, "-o", path.join(directory, "build.com"), "--force"]);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(directory, "build.com"), "utf8")).toContain(
      "$ ON ERROR THEN GOTO BUILD_FAILED",
    );
  });

  it("writes a description file with --format mms", async () => {
    const directory = scratch();
    const run = await runCli([
      "translate",
      demoLog,
      "--format",
      "mms",
      "-o",
      path.join(directory, "descrip.mms"),
    ]);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(directory, "descrip.mms"), "utf8")).toContain(".FIRST :");
  });

  it("writes to standard output without -o", async () => {
    const directory = scratch();
    const run = await runCli(["translate", "-", "--target", "alpha"], {
      cwd: directory,
      input: "gcc -c -o a.o a.c\n",
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("/OBJECT=A.OBJ -\n    'CC_QUALIFIERS' A.C");
    expect(run.stdout).toContain("target alpha");
  });

  it("uses the 64-bit qualifiers", async () => {
    const run = await runCli(["translate", "-", "--pointer-size", "64"], {
      cwd: scratch(),
      input: "gcc -c -o a.o a.c\n",
    });
    expect(run.stdout).toContain("/POINTER_SIZE=64=ARGV");
  });

  it("names the root logical", async () => {
    const input = "make: Entering directory '/src/p'\ngcc -c -o a.o /src/p/lib/a.c\n";
    const run = await runCli(["translate", "-", "--root-logical", "SRC$ROOT"], { cwd: scratch(), input });
    expect(run.stdout).toContain("SRC$ROOT:[LIB]A.C");
  });

  it("exits 1 under --strict when a step is not translated", async () => {
    const run = await runCli(["translate", "-", "--strict"], {
      cwd: scratch(),
      input: "gcc -c -o a.o a.c\n./configure --prefix=/usr\n",
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("NOT TRANSLATED");
  });

  it("exits 0 without --strict when a step is not translated", async () => {
    const run = await runCli(["translate", "-"], {
      cwd: scratch(),
      input: "gcc -c -o a.o a.c\n./configure --prefix=/usr\n",
    });
    expect(run.code).toBe(0);
  });

  it("applies a rule file", async () => {
    const run = await runCli(["translate", "-", "--rules", path.join(rulesDirectory, "custom-flags.yaml")], {
      cwd: scratch(),
      input: "gcc -O2 -c -o a.o a.c\n",
    });
    expect(run.stdout).toContain("/OPTIMIZE=(LEVEL=4,INLINE=SPEED)");
  });

  it("reports an invalid rule file with its position", async () => {
    const file = path.join(rulesDirectory, "invalid-action.yaml");
    const run = await runCli(["translate", demoLog, "--rules", file], { cwd: scratch() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:6:13: invalid rule file`);
  });

  it("reports a missing log", async () => {
    const run = await runCli(["translate", "no-such.log"], { cwd: scratch() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no-such.log: build log not found");
  });

  it("rejects an invalid --max-command", async () => {
    const run = await runCli(["translate", demoLog, "--max-command", "12"], { cwd: scratch() });
    expect(run.code).toBe(2);
  });

  it("rejects an unknown target", async () => {
    const run = await runCli(["translate", demoLog, "--target", "vax"], { cwd: scratch() });
    expect(run.code).toBe(2);
  });

  it("takes settings from the configuration file", async () => {
    const directory = scratch();
    writeFileSync(
      path.join(directory, "vmsport.config.json"),
      JSON.stringify({ target: "ia64", translate: { rootLogical: "PRJ$ROOT" } }),
    );
    const run = await runCli(["translate", "-"], { cwd: directory, input: "gcc -c -o a.o a.c\n" });
    expect(run.stdout).toContain("target ia64");
    expect(run.stdout).toContain("DEFINE/NOLOG/TRANSLATION_ATTRIBUTES=CONCEALED PRJ$ROOT");
  });

  it("layers rule files named in the configuration file", async () => {
    const directory = scratch();
    writeFileSync(
      path.join(directory, "site.yaml"),
      readFileSync(path.join(rulesDirectory, "custom-libraries.yaml")),
    );
    writeFileSync(path.join(directory, "vmsport.config.json"), JSON.stringify({ rules: ["site.yaml"] }));
    const run = await runCli(["translate", "-", "-o", "build.com"], {
      cwd: directory,
      input: "gcc -o prog a.o -lfrob\n",
    });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(directory, "prog.opt"), "utf8")).toContain(
      "FROB_ROOT:[LIB]FROB.OLB/LIBRARY",
    );
  });

  it("skips scanner rule files of the configuration file", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "scan.yaml"), "kind: scan\nrules: []\n");
    writeFileSync(path.join(directory, "vmsport.config.json"), JSON.stringify({ rules: ["scan.yaml"] }));
    const run = await runCli(["translate", "-"], { cwd: directory, input: "gcc -c -o a.o a.c\n" });
    expect(run.code).toBe(0);
  });

  it("rejects a scanner rule file in --rules", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "scan.yaml"), "kind: scan\nrules: []\n");
    const run = await runCli(["translate", "-", "--rules", "scan.yaml"], {
      cwd: directory,
      input: "gcc -c a.c\n",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("rule file is for scan rules");
  });

  it("rejects an export list with a bad line", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "exports.txt"), "good_name\nnot valid here\n");
    const run = await runCli(["translate", demoLog, "--exports", path.join(directory, "exports.txt")], {
      cwd: directory,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("exports.txt:2: invalid export list entry");
  });
});
