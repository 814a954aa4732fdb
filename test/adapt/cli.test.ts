import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkProcedure } from "../../src/dcl/index.js";
import { runCli } from "../helpers/cli.js";

const fixtures = fileURLToPath(new URL("../../fixtures/adapt/", import.meta.url));
const autoconf = path.join(fixtures, "autoconf/config.h");
const log = path.join(fixtures, "setup/build.log");
const demoLog = fileURLToPath(new URL("../../fixtures/demo/build.log", import.meta.url));
const relativeLog = path.join(fixtures, "setup/relative/build.log");

/**
 * Returns the rooted specification of every image a LINK command in a translated procedure writes, resolving
 * a relative /EXECUTABLE or /SHAREABLE file against the `SET DEFAULT` before it.
 */
function linkedImages(procedure: string): string[] {
  let current = "";
  const images: string[] = [];
  for (const line of procedure.split("\n")) {
    const setDefault = /^\$ SET DEFAULT "?([A-Z0-9$_]+):\[([^\]]+)\]"?$/.exec(line);
    if (setDefault) current = `${setDefault[1]}:[${setDefault[2]}]`;
    const link = /^\$ (?:CXX)?LINK\/(?:EXECUTABLE|SHAREABLE)=("[^"]+"|[^/ ]+)/.exec(line);
    if (!link?.[1]) continue;
    const file = link[1].replace(/^"|"$/g, "");
    const relative = /^\[\.([^\]]+)\](.*)$/.exec(file);
    const [root = "", directory = ""] = current.split(":[");
    const base = directory.replace(/\]$/, "");
    if (relative) {
      const joined = base === "000000" ? relative[1] : `${base}.${relative[1]}`;
      images.push(`${root}:[${joined}]${relative[2]}`);
    } else {
      images.push(file.includes(":") ? file : `${current}${file}`);
    }
  }
  return images;
}

/** Returns the image of every foreign command and shareable-image logical name a setup procedure defines. */
function setupImages(procedure: string): string[] {
  const images: string[] = [];
  for (const line of procedure.split("\n")) {
    const foreign = /^\$ [A-Z0-9_$]+ :== \$(.+)$/.exec(line);
    const logical = /^\$ DEFINE\/PROCESS\/NOLOG (?!DECC\$)[A-Z0-9_$]+ "?([^"\s]+\.EXE)"?$/.exec(line);
    const image = foreign?.[1] ?? logical?.[1];
    if (image) images.push(image.replace(/^"|"$/g, ""));
  }
  return images;
}

describe("vmsport config", () => {
  it("prints the adjusted header", async () => {
    const run = await runCli([
      "config",
      autoconf,
      "--vms-version",
      "8.4",
      "--pointer-size",
      "32",
      "--target",
      "ia64",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(path.join(fixtures, "autoconf/expected-8.4-p32.h"), "utf8"));
  });

  it("summarises on standard error", async () => {
    const run = await runCli(["config", autoconf]);
    expect(run.stderr).toMatch(/changes; \d+ configure results the knowledge base does not decide/);
  });

  it("prints the JSON report", async () => {
    const run = await runCli(["config", autoconf, "--format", "json"]);
    const report = JSON.parse(run.stdout) as { schemaVersion: number; changes: { macro: string }[] };
    expect(report.schemaVersion).toBe(1);
    expect(report.changes.map((change) => change.macro)).toContain("HAVE_FORK");
  });

  it("prints the text report", async () => {
    const run = await runCli(["config", autoconf, "--format", "text"]);
    expect(run.stdout).toContain("HAVE_FORK undefined: fork() is absent");
  });

  it("counts in its first line what it lists below", async () => {
    const input =
      '#define PACKAGE "demo"\n#define VERSION "1.0"\n#define HAVE_FORK 1\n#define HAVE_ZZ_WIDGET 1\n';
    const run = await runCli(["config", "-", "--format", "text"], { input });
    const [first = ""] = run.stdout.split("\n");
    expect(first).toContain("1 configure result to check by hand, 2 project settings kept");
    expect(run.stdout).toContain("Project settings kept as they are: PACKAGE, VERSION");
  });

  it("takes the build directory of a log that names none", async () => {
    const log = "[1/2] /usr/bin/cc -o app.o -c ../app.c\n[2/2] : && /usr/bin/cc app.o -o app && :\n";
    const run = await runCli(["setup", "-", "--directory", "/p/build", "--source-root", "/p"], {
      input: log,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("$ APP :== $SRC$ROOT:[BUILD]APP.EXE");
  });

  it("reads standard input", async () => {
    const run = await runCli(["config", "-", "-q"], { input: "#define HAVE_FORK 1\n" });
    expect(run.stdout).toContain("/* #undef HAVE_FORK */");
  });

  it("takes settings from the configuration file", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-config-"));
    writeFileSync(
      path.join(directory, "vmsport.config.json"),
      JSON.stringify({ vmsVersion: "8.2", config: { format: "text" } }),
    );
    const run = await runCli(["config", autoconf], { cwd: directory });
    expect(run.stdout).toContain("for OpenVMS 8.2");
  });

  it("loads extra rule files from the configuration file", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-config-"));
    writeFileSync(
      path.join(directory, "local.yaml"),
      "kind: crtl\nrules:\n  - id: have-frobnicate\n    kind: function\n    macro: HAVE_FROBNICATE\n    title: frobnicate() comes from a local library\n    source: site notes\n    status: present\n    examples: [{ input: '/* #undef HAVE_FROBNICATE */', output: '#define HAVE_FROBNICATE 1' }]\n",
    );
    writeFileSync(path.join(directory, "vmsport.config.yaml"), "rules:\n  - local.yaml\n");
    const run = await runCli(["config", autoconf, "-q"], { cwd: directory });
    expect(run.stdout).toContain("#define HAVE_FROBNICATE 1");
  });

  it("rejects an invalid version", async () => {
    const run = await runCli(["config", autoconf, "--vms-version", "eight"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid OpenVMS version "eight"');
  });

  it("reports a missing input", async () => {
    const run = await runCli(["config", path.join(fixtures, "missing.h")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("config.h not found");
  });

  it("rejects an executable", async () => {
    const run = await runCli(["config", process.execPath]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("input is binary data, not a config.h");
  });

  it("rejects a C source", async () => {
    const run = await runCli(["config", path.join(fixtures, "setup/relative/src/wc-lite.c")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("input has no config.h macro lines");
  });

  it("rejects /dev/null", async () => {
    const run = await runCli(["config", "/dev/null"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("/dev/null: input is empty");
  });

  it("rejection says what was expected", async () => {
    const run = await runCli(["config", "-"], { input: "int x;\n" });
    expect(run.stderr).toContain("standard input: input has no config.h macro lines");
    expect(run.stderr).toContain("Give the config.h that configure or cmake wrote");
  });

  it("writes nothing for rejected input", async () => {
    const run = await runCli(["config", "/dev/null"]);
    expect(run.stdout).toBe("");
  });

  it("refuses to overwrite without --force", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-config-"));
    const output = path.join(directory, "config_vms.h");
    writeFileSync(output, "old");
    const run = await runCli(["config", autoconf, "-o", output]);
    expect(run.code).toBe(2);
    expect(readFileSync(output, "utf8")).toBe("old");
  });
});

describe("vmsport setup", () => {
  it("writes a procedure that passes the DCL checker", async () => {
    const run = await runCli(["setup", log]);
    expect(run.code).toBe(0);
    expect(
      checkProcedure(run.stdout, { symbols: ["SETUP_PROC", "SETUP_DEV", "SETUP_DIR", "SETUP_ROOT"] }),
    ).toEqual([]);
  });

  it("defines the programs of the log", async () => {
    const run = await runCli(["setup", log, "--root-logical", "DEMO$ROOT"]);
    expect(run.stdout).toContain("$ HELLO :== $DEMO$ROOT:[000000]HELLO.EXE");
    expect(run.stdout).toContain("$ DEMO_TOOL :== $DEMO$ROOT:[TOOLS]DEMO-TOOL.EXE");
    expect(run.stdout).toContain("$ DEFINE/PROCESS/NOLOG LIBDEMO DEMO$ROOT:[000000]LIBDEMO.EXE");
  });

  it("writes the procedure and the C source together", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-setup-"));
    const run = await runCli(["setup", log, "-o", "SETUP.COM", "--init-c", "crtl_init.c"], {
      cwd: directory,
    });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(directory, "SETUP.COM"), "utf8")).toContain("$ EXIT");
    expect(readFileSync(path.join(directory, "crtl_init.c"), "utf8")).toContain("LIB$INITIALIZE");
  });

  it("uses the profile from the configuration file", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-setup-"));
    writeFileSync(
      path.join(directory, "vmsport.config.json"),
      JSON.stringify({ setup: { profile: "minimal" } }),
    );
    const run = await runCli(["setup", log], { cwd: directory });
    expect(run.stdout).not.toContain("DECC$");
  });

  it("rejects an invalid root logical", async () => {
    const run = await runCli(["setup", log, "--root-logical", "1BAD NAME"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid logical name "1BAD NAME"');
  });

  it("reads the log from standard input", async () => {
    const run = await runCli(["setup", "-"], { input: readFileSync(log) });
    expect(run.stdout).toContain("HELLO :==");
  });

  it("takes --source-root", async () => {
    const run = await runCli(["setup", demoLog, "--source-root", "/home/user/src", "-q"]);
    expect(run.stdout).toContain("$ DEMO :== $SRC$ROOT:[DEMO.BUILD]DEMO.EXE");
  });

  it("rejects a relative --source-root", async () => {
    const run = await runCli(["setup", demoLog, "--source-root", "build"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the source root "build" is not an absolute Unix directory');
  });

  it("rejects an empty log", async () => {
    const run = await runCli(["setup", "/dev/null"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("/dev/null: the file contains no recognisable build output");
    expect(run.stdout).toBe("");
  });

  it("rejects prose without writing files", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-setup-"));
    writeFileSync(
      path.join(directory, "notes.txt"),
      "Release notes\n\nThis release fixes the parser and adds a manual page.\n",
    );
    const run = await runCli(["setup", "notes.txt", "-o", "SETUP.COM", "--init-c", "crtl_init.c"], {
      cwd: directory,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("notes.txt: the file contains no recognisable build output");
    expect(existsSync(path.join(directory, "SETUP.COM"))).toBe(false);
    expect(existsSync(path.join(directory, "crtl_init.c"))).toBe(false);
  });

  it("relative log: no placeholder", async () => {
    const run = await runCli(["setup", relativeLog, "-q"]);
    expect(run.stdout).not.toMatch(/\/vmsport-/);
    expect(run.stdout).toContain("$ STAMP :== $SRC$ROOT:[OUT.TOOLS]STAMP.EXE");
  });
});

describe("setup and translate together", () => {
  const cases = [
    { name: "demo log", log: demoLog, extra: [] as string[] },
    { name: "relative log", log: relativeLog, extra: ["--exports", "exports.txt"] },
  ];

  for (const { name, log: buildLog, extra } of cases) {
    it(`${name}: images are linked`, async () => {
      const directory = mkdtempSync(path.join(tmpdir(), "vmsport-setup-"));
      writeFileSync(path.join(directory, "exports.txt"), "count_words\n");
      const translated = await runCli(["translate", buildLog, "-o", "BUILD.COM", "-q", ...extra], {
        cwd: directory,
      });
      const setup = await runCli(["setup", buildLog, "-o", "SETUP.COM", "-q"], { cwd: directory });
      expect(translated.code).toBe(0);
      expect(setup.code).toBe(0);
      const linked = linkedImages(readFileSync(path.join(directory, "BUILD.COM"), "utf8"));
      const named = setupImages(readFileSync(path.join(directory, "SETUP.COM"), "utf8"));
      expect(named.length).toBeGreaterThan(0);
      expect(named.sort()).toEqual(linked.sort());
    });
  }
});
