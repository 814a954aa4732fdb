import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { baseFacts, mergeMacroOptions, parseConfigHeader } from "../../src/scan/conditions.js";
import { UserError } from "../../src/util/errors.js";
import { runCli } from "../helpers/cli.js";

const fixture = fileURLToPath(new URL("../../fixtures/scan/config-header/", import.meta.url));

/** Run `vmsport scan` in the fixture and return the rule id and line of each finding. */
async function scanFixture(args: readonly string[]): Promise<{ code: number | null; findings: string[] }> {
  const run = await runCli(["scan", "--format", "json", "--fail-on", "none", ...args], { cwd: fixture });
  if (run.code !== 0) return { code: run.code, findings: [] };
  const document = JSON.parse(run.stdout) as { findings: { ruleId: string; path: string; line: number }[] };
  return {
    code: run.code,
    findings: document.findings.map((finding) => `${finding.ruleId} ${finding.path}:${finding.line}`),
  };
}

function parseError(text: string): UserError {
  try {
    parseConfigHeader(text, "config.h");
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("parseConfigHeader accepted the text");
}

describe("parseConfigHeader", () => {
  it("define with a value", () => {
    expect(parseConfigHeader("#define HAVE_POLL 1\n", "config.h")).toEqual([
      { name: "HAVE_POLL", defined: true, value: "1" },
    ]);
  });

  it("define without a value", () => {
    expect(parseConfigHeader("#  define _GNU_SOURCE\n", "config.h")).toEqual([
      { name: "_GNU_SOURCE", defined: true, value: "" },
    ]);
  });

  it("undef and the commented form", () => {
    expect(parseConfigHeader("#undef HAVE_FORK\n/* #undef HAVE_SENDFILE */\n", "config.h")).toEqual([
      { name: "HAVE_FORK", defined: false },
      { name: "HAVE_SENDFILE", defined: false },
    ]);
  });

  it("comment after the value", () => {
    expect(parseConfigHeader("#define SIZEOF_LONG 4 /* bytes */\n", "config.h")).toEqual([
      { name: "SIZEOF_LONG", defined: true, value: "4" },
    ]);
  });

  it("continued line", () => {
    expect(parseConfigHeader('#define PACKAGE_NAME \\\n  "demo"\n', "config.h")).toEqual([
      { name: "PACKAGE_NAME", defined: true, value: '"demo"' },
    ]);
  });

  it("function-like macro skipped", () => {
    const text = "#define MAX(a, b) ((a) > (b) ? (a) : (b))\n#define HAVE_POLL 1\n";
    expect(parseConfigHeader(text, "config.h").map((macro) => macro.name)).toEqual(["HAVE_POLL"]);
  });

  it("conditionals are not evaluated", () => {
    const text = "#ifndef _ALL_SOURCE\n# define _ALL_SOURCE 1\n#endif\n";
    expect(parseConfigHeader(text, "config.h")).toEqual([{ name: "_ALL_SOURCE", defined: true, value: "1" }]);
  });

  it("define without a name", () => {
    const error = parseError("#define HAVE_A 1\n#define\n");
    expect(error.location).toEqual({ file: "config.h", line: 2 });
  });

  it("undef with a number", () => {
    expect(parseError("#undef 1\n").message).toContain("invalid #undef line");
  });

  it("file without macros", () => {
    expect(parseError("int main(void) { return 0; }\n").message).toContain("no #define or #undef lines");
  });

  it("binary file", () => {
    expect(parseError("#define A 1\n\0\0").message).toContain("binary");
  });
});

describe("mergeMacroOptions", () => {
  const header = [
    { name: "HAVE_SENDFILE", defined: false } as const,
    { name: "HAVE_POLL", defined: true, value: "1" } as const,
    { name: "EMPTY", defined: true, value: "" } as const,
  ];

  it("header facts", () => {
    expect(mergeMacroOptions(header, [], [])).toEqual({
      define: ["HAVE_POLL=1", "EMPTY="],
      undefine: ["HAVE_SENDFILE"],
    });
  });

  it("--define wins over #undef", () => {
    expect(mergeMacroOptions(header, ["HAVE_SENDFILE"], []).define).toContain("HAVE_SENDFILE");
  });

  it("--undefine wins over #define", () => {
    expect(mergeMacroOptions(header, [], ["HAVE_POLL"]).undefine).toContain("HAVE_POLL");
  });

  it("later header entry wins", () => {
    const later = [...header, { name: "HAVE_SENDFILE", defined: true, value: "1" } as const];
    expect(mergeMacroOptions(later, [], []).undefine).not.toContain("HAVE_SENDFILE");
  });

  it("each macro named once", () => {
    const name = fc.constantFrom("A", "B", "C", "D");
    const macro = fc.oneof(
      fc.record({ name, defined: fc.constant(true as const), value: fc.constantFrom("", "1", "0x10") }),
      fc.record({ name, defined: fc.constant(false as const) }),
    );
    fc.assert(
      fc.property(fc.array(macro), fc.array(name), fc.array(name), (macros, define, undefine) => {
        const merged = mergeMacroOptions(macros, define, undefine);
        const names = [...merged.define.map((entry) => entry.split("=")[0]), ...merged.undefine];
        expect(new Set(names).size).toBe(names.length);
        for (const removed of undefine) expect(merged.undefine).toContain(removed);
      }),
    );
  });
});

describe("scan --config-header", () => {
  it("guarded code reported without it", async () => {
    const { findings } = await scanFixture(["src/guarded.c"]);
    expect(findings).toContain("VMS4006 src/guarded.c:19");
  });

  it("adapted header makes guarded branches dead", async () => {
    const { findings } = await scanFixture(["--config-header", "vms/config.h", "src/guarded.c"]);
    expect(findings).toEqual([]);
  });

  it("unguarded calls still reported", async () => {
    const { findings } = await scanFixture(["--config-header", "vms/config.h", "src/missing-calls.c"]);
    expect(findings).toContain("VMS4006 src/missing-calls.c:10");
  });

  it("--define wins over the header", async () => {
    const args = ["--config-header", "vms/config.h", "-D", "HAVE_SENDFILE", "src/guarded.c"];
    expect((await scanFixture(args)).findings).toEqual(["VMS4006 src/guarded.c:19"]);
  });

  it("later header wins", async () => {
    const args = ["--config-header", "vms/config.h", "--config-header", "extra-define.h", "src/guarded.c"];
    expect((await scanFixture(args)).findings).toEqual(["VMS4006 src/guarded.c:19"]);
  });

  it("configuration file key", async () => {
    const args = ["--config", "vms/vmsport.config.json", "src/guarded.c"];
    expect((await scanFixture(args)).findings).toEqual([]);
  });

  it("missing header is exit 2", async () => {
    const run = await runCli(["scan", "--config-header", "vms/nothere.h", "src"], { cwd: fixture });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("vms/nothere.h: configuration header not found");
  });

  it("source file as header is exit 2", async () => {
    const run = await runCli(["scan", "--config-header", "src/guarded.c", "src"], { cwd: fixture });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("src/guarded.c: configuration header has no #define or #undef lines");
  });
});

describe("scan branch guards", () => {
  it("VMS7002 skips an include under an unknown macro", async () => {
    const { findings } = await scanFixture(["src/guarded.c"]);
    expect(findings.filter((finding) => finding.startsWith("VMS7002"))).toEqual([]);
  });

  it("VMS7004 skips an include under an unknown macro", async () => {
    const { findings } = await scanFixture(["src/guarded.c"]);
    expect(findings.filter((finding) => finding.startsWith("VMS7004"))).toEqual([]);
  });
});

describe("scan --min-severity with --fail-on", () => {
  const args = [
    "scan",
    "--format",
    "gcc",
    "--min-severity",
    "error",
    "--fail-on",
    "info",
    "--include-inactive",
  ];
  const guards = [
    "-U",
    "HAVE_SENDFILE",
    "-U",
    "HAVE_GETRANDOM",
    "-U",
    "HAVE_SYS_SENDFILE_H",
    "src/guarded.c",
  ];

  it("hidden findings still fail", async () => {
    const run = await runCli([...args, ...guards], { cwd: fixture });
    expect(run.code).toBe(1);
  });

  it("hidden findings are named on stderr", async () => {
    const run = await runCli([...args, "--quiet", ...guards], { cwd: fixture });
    expect(run.stderr).toContain("exit status 1: 3 findings at or above --fail-on info are hidden by");
  });

  it("nothing shown on stdout", async () => {
    const run = await runCli([...args, ...guards], { cwd: fixture });
    expect(run.stdout).toBe("");
  });

  it("no line when a failing finding is shown", async () => {
    const run = await runCli([...args, "src/missing-calls.c"], { cwd: fixture });
    expect(run.stderr).not.toContain("exit status 1");
  });
});

describe("parseConfigHeader conditionals", () => {
  const versioned = [
    "#if __CRTL_VER >= 80500000",
    "#define HAVE_STRERROR_R 1",
    "#else",
    "/* #undef HAVE_STRERROR_R */",
    "#endif",
    "",
  ].join("\n");
  const fact = (vmsVersion?: string) =>
    parseConfigHeader(versioned, "config.h", baseFacts(vmsVersion ? { vmsVersion } : {})).at(-1);

  it("takes the branch of a newer version", () => {
    expect(fact("9.2")).toEqual({ name: "HAVE_STRERROR_R", defined: true, value: "1" });
  });

  it("takes the branch of an older version", () => {
    expect(fact("8.4")).toEqual({ name: "HAVE_STRERROR_R", defined: false });
  });

  it("leaves the macro unknown without a version", () => {
    expect(fact()).toEqual({ name: "HAVE_STRERROR_R", defined: undefined });
  });

  it("reads through an include guard", () => {
    const text = "#ifndef CONFIG_H\n#define CONFIG_H\n#define HAVE_POLL 1\n#endif\n";
    expect(parseConfigHeader(text, "config.h", baseFacts({}))).toContainEqual({
      name: "HAVE_POLL",
      defined: true,
      value: "1",
    });
  });

  it("defines a feature macro under #ifndef", () => {
    const text = "#ifndef _POSIX_EXIT\n#define _POSIX_EXIT 1\n#endif\n";
    expect(parseConfigHeader(text, "config.h", baseFacts({}))).toEqual([
      { name: "_POSIX_EXIT", defined: true, value: "1" },
    ]);
  });

  it("skips a branch for another architecture", () => {
    const text = "#ifdef __ia64\n#define HAVE_IA64_ONLY 1\n#endif\n#define HAVE_POLL 1\n";
    expect(parseConfigHeader(text, "config.h", baseFacts({ target: "x86_64" }))).toEqual([
      { name: "HAVE_POLL", defined: true, value: "1" },
    ]);
  });

  it("drops an unknown macro from the merged options", () => {
    const merged = mergeMacroOptions(
      [
        { name: "HAVE_X", defined: true, value: "1" },
        { name: "HAVE_X", defined: undefined },
      ],
      [],
      [],
    );
    expect(merged).toEqual({ define: [], undefine: [] });
  });
});

describe("--config-header with a Unix config.h", () => {
  it("warns that the header was not adapted", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-header-"));
    writeFileSync(path.join(directory, "config.h"), "#define HAVE_FORK 1\n");
    writeFileSync(path.join(directory, "main.c"), "int main(void) { return 0; }\n");
    const run = await runCli(["scan", "main.c", "--config-header", "config.h", "--fail-on", "none"], {
      cwd: directory,
    });
    expect(run.stderr).toContain("was not adapted by vmsport config");
  });
});
