import { describe, expect, it } from "vitest";
import {
  anchorStartDirectory,
  commonRoot,
  inferSourceRoot,
  PathContext,
  productPath,
} from "../../src/emit/paths.js";
import { parseLogText } from "../../src/log/index.js";
import { compileStep } from "./steps.js";

const context = () =>
  new PathContext({ sourceRoot: "/src/p", rootLogical: "BUILD$ROOT", absoluteViaLogical: false });

describe("productPath", () => {
  it.each([
    ["obj/a.o", "object", "obj/a.obj"],
    ["a.lo", "input", "a.obj"],
    ["lib/libx.a", "library", "lib/libx.olb"],
    ["libz.so.1.3.1", "shared", "libz.exe"],
    ["libz.so.1.3.1.1-motley", "input", "libz.exe"],
    ["bin/beam.smp", "executable", "bin/beam_smp.exe"],
    ["demo", "executable", "demo.exe"],
  ] as const)("maps %s as %s", (input, role, expected) => {
    expect(productPath(input, role)).toBe(expected);
  });
});

describe("commonRoot", () => {
  it("finds the deepest shared directory", () => {
    expect(commonRoot(["/src/p/a", "/src/p/b/c", "/src/p"])).toBe("/src/p");
  });

  it("ignores relative directories", () => {
    expect(commonRoot([".", "sub"])).toBeUndefined();
  });
});

describe("inferSourceRoot", () => {
  it("uses absolute sources when directories are relative", () => {
    const relative = { path: "build", source: "ninja-enter" as const };
    const steps = [
      compileStep({ directory: relative, source: "/src/p/lib/a.c" }),
      compileStep({ directory: relative, source: "/src/p/test/b.c" }),
    ];
    expect(inferSourceRoot(steps)).toBe("/src/p");
  });

  it("prefers step directories", () => {
    expect(
      inferSourceRoot([
        compileStep({ directory: { path: "/src/q", source: "make-enter" }, source: "/src/p/a.c" }),
      ]),
    ).toBe("/src/q");
  });
});

describe("anchorStartDirectory", () => {
  const anchor = (log: string) => anchorStartDirectory(parseLogText(log).steps)?.directory;

  it("reads the start from make -C", () => {
    expect(anchor("gcc -c a.c\nmake -C util\nmake[1]: Entering directory '/src/p/util'\ngcc -c b.c\n")).toBe(
      "/src/p",
    );
  });

  it("reads the start from --directory=", () => {
    expect(
      anchor("make --directory=lib/x all\nmake[1]: Entering directory '/src/p/lib/x'\ngcc -c b.c\n"),
    ).toBe("/src/p");
  });

  it("reads the start from cd and make", () => {
    expect(anchor("cd util && make\nmake[1]: Entering directory '/src/p/util'\ngcc -c b.c\n")).toBe("/src/p");
  });

  it("ignores a directory that does not match", () => {
    expect(anchor("make -C util\nmake[1]: Entering directory '/src/p/other'\ngcc -c b.c\n")).toBeUndefined();
  });

  it("ignores a sub-make of a parent directory", () => {
    expect(anchor("make -C ..\nmake[1]: Entering directory '/src'\ngcc -c b.c\n")).toBeUndefined();
  });
});

describe("PathContext", () => {
  it("writes the root as [000000]", () => {
    expect(context().directorySpec("/src/p", 0)).toBe("BUILD$ROOT:[000000]");
  });

  it("writes a subdirectory under the root logical", () => {
    expect(context().directorySpec("/src/p/a/b", 0)).toBe("BUILD$ROOT:[A.B]");
  });

  it("keeps relative files relative", () => {
    expect(context().file("../inc/x.h", "/src/p/a", 0)).toBe("[-.INC]X.H");
  });

  it("makes absolute files inside the root relative", () => {
    expect(context().file("/src/p/inc/x.h", "/src/p/a", 0)).toBe("[-.INC]X.H");
  });

  it("records absolute paths outside the root", () => {
    const paths = context();
    paths.file("/usr/include/zlib.h", "/src/p", 3);
    expect([...paths.outside.values()]).toEqual([{ path: "/usr/include/zlib.h", stepIndex: 3 }]);
  });

  it("writes rooted specifications", () => {
    expect(context().rooted("obj/a.obj", "/src/p/lib", 0)).toBe("BUILD$ROOT:[LIB.OBJ]A.OBJ");
  });

  it("writes files in the current directory with [] when asked", () => {
    expect(context().file("a.obj", "/src/p", 0, true)).toBe("[]A.OBJ");
  });

  it("uses the logical for absolute paths when named", () => {
    const paths = new PathContext({
      sourceRoot: "/src/p",
      rootLogical: "SRC$ROOT",
      absoluteViaLogical: true,
    });
    expect(paths.file("/src/p/inc/x.h", "/src/p/a", 0)).toBe("SRC$ROOT:[INC]X.H");
  });
});
