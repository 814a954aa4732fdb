import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const main = path.join(root, "dist/cli/main.js");
const fixtures = path.join(root, "fixtures/vms");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runPath(args: string[], stdin?: string): Run {
  const result = spawnSync(process.execPath, [main, "path", ...args], {
    input: stdin ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing; run npx tsc -p tsconfig.json first`);
});

describe("vmsport path", () => {
  test("one line per input", () => {
    const run = runPath(["a/b/c.c", "../x.h", "/dev/dir/f"]);
    expect(run.stdout).toBe("[.A.B]C.C\n[-]X.H\nDEV:[DIR]F.\n");
    expect(run.status).toBe(0);
  });

  test("default case upper", () => {
    expect(runPath(["Makefile", "foo.tar.gz"]).stdout).toBe("MAKEFILE.\nFOO^.TAR.GZ\n");
  });

  test("case preserve", () => {
    expect(runPath(["--case", "preserve", "Makefile", "foo.tar.gz"]).stdout).toBe("Makefile.\nfoo^.tar.gz\n");
  });

  test("ODS-2 default upper", () => {
    expect(runPath(["--ods", "2", "src/zlib.h"]).stdout).toBe("[.SRC]ZLIB.H\n");
  });

  test("ODS-2 problems exit 1", () => {
    const run = runPath(["--ods", "2", "foo.tar.gz", "a+b.c", "ok.c"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("FOO.TAR.GZ\nA+B.C\nOK.C\n");
    expect(run.stderr).toContain("foo.tar.gz: ODS-2 file names have one dot");
    expect(run.stderr).toContain('a+b.c: ODS-2 names cannot contain "+"');
  });

  test("ODS-2 problems as JSON", () => {
    const run = runPath(["--ods", "2", "--format", "json", "a+b.c"]);
    const results = JSON.parse(run.stdout) as Array<{ input: string; output: string; problems: unknown[] }>;
    expect(run.status).toBe(1);
    expect(results[0]).toMatchObject({
      input: "a+b.c",
      output: "A+B.C",
      problems: [{ code: "invalid-character", ods: 2, name: "a+b.c", character: "+" }],
    });
  });

  test("root logical", () => {
    const run = runPath([
      "--root-logical",
      "SRC$ROOT=/home/user/src/zlib",
      "--case",
      "upper",
      "/home/user/src/zlib/contrib/x.c",
    ]);
    expect(run.stdout).toBe("SRC$ROOT:[CONTRIB]X.C\n");
  });

  test("to-unix", () => {
    const run = runPath(["--to-unix", "[.A.B]C.C", "[-]X.H", "SYS$LOGIN:F", "NAME.DIR;1"]);
    expect(run.stdout).toBe("a/b/c.c\n../x.h\n/sys$login/f\nname/\n");
    expect(run.status).toBe(0);
  });

  test("crtl names off", () => {
    expect(runPath(["--no-crtl-names", "--case", "upper", "/dev/null"]).stdout).toBe("DEV:NULL.\n");
  });

  test("to-unix keep version", () => {
    expect(runPath(["--to-unix", "--keep-version", "X.C;3"]).stdout).toBe("x.c;3\n");
  });

  test("to-unix case preserve", () => {
    expect(runPath(["--to-unix", "--case", "preserve", "[.Src]Makefile."]).stdout).toBe("Src/Makefile\n");
  });

  test("invalid spec exit 2", () => {
    const run = runPath(["--to-unix", "[.A]X.C", "[A"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('invalid OpenVMS file specification "[A"');
  });

  test("standard input paths", () => {
    const input = readFileSync(path.join(fixtures, "unix-paths.txt"), "utf8");
    const run = runPath(["--case", "upper", "--root-logical", "SRC$ROOT=/home/user/src/zlib", "-"], input);
    expect(run.stdout).toBe(
      "[.SRC]ZLIB.H\nMAKEFILE.\n[-.CONTRIB.MINIZIP]IOAPI.C\nSRC$ROOT:[CONTRIB]X.C\nFOO^.TAR.GZ\n",
    );
  });

  test("standard input specifications", () => {
    const input = readFileSync(path.join(fixtures, "vms-specs.txt"), "utf8");
    const run = runPath(["--to-unix", "--root-logical", "SRC$ROOT=/home/user/src/zlib", "-"], input);
    expect(run.stdout).toBe("src/zlib.h\n../contrib/minizip/ioapi.c\n/home/user/src/zlib/makefile\n");
  });

  test("standard input error names line", () => {
    const input = readFileSync(path.join(fixtures, "vms-specs-invalid.txt"), "utf8");
    const run = runPath(["--to-unix", "-"], input);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("standard input:2:10: invalid OpenVMS file specification");
  });

  test("dash with other paths", () => {
    const run = runPath(["-", "a.c"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('"-" must be the only argument');
  });

  test("case lower without to-unix", () => {
    const run = runPath(["--case", "lower", "a.c"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--case lower is not valid without --to-unix");
  });

  test("bad root mapping", () => {
    const run = runPath(["--root-logical", "SRC$ROOT", "/a"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('invalid root mapping "SRC$ROOT"');
  });

  test("bad ods level", () => {
    expect(runPath(["--ods", "3", "a.c"]).status).toBe(2);
  });

  test("empty path", () => {
    const run = runPath([""]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("the path is empty");
  });
});
