import { describe, expect, it } from "vitest";
import { classifyCompilerRun } from "../../src/log/compiler.js";

const gcc = { family: "gcc", cplusplus: false } as const;

function build(argv: string[], libtoolMode?: string) {
  const run = classifyCompilerRun(argv, gcc, libtoolMode);
  if (run.kind !== "build") throw new Error(`expected a build, got: ${run.reason}`);
  return run;
}

describe("classifyCompilerRun", () => {
  it("links the objects of its own sources", () => {
    // gcc writes the object of `lib/x.c` to the current directory, as `x.o`.
    const run = build(["gcc", "-o", "prog", "main.c", "util.o", "-lm", "lib/x.c"]);
    expect(run.link?.inputs).toEqual(["main.o", "util.o", "x.o"]);
    expect(run.link?.libraries).toEqual(["m"]);
  });

  it("links objects alone without compiles", () => {
    const run = build(["gcc", "-o", "prog", "a.o", "b.o"]);
    expect(run.compiles).toEqual([]);
    expect(run.link?.inputs).toEqual(["a.o", "b.o"]);
  });

  it("names one object per source", () => {
    const run = build(["gcc", "-c", "a.c", "dir/b.c"]);
    expect(run.compiles.map((compile) => compile.output)).toEqual(["a.o", "b.o"]);
    expect(run.compiles.map((compile) => compile.outputImplied)).toEqual([true, true]);
  });

  it("keeps an explicit object of one source", () => {
    const run = build(["gcc", "-c", "a.c", "-o", "obj/a.o"]);
    expect(run.compiles[0]?.output).toBe("obj/a.o");
    expect(run.compiles[0]?.outputImplied).toBe(false);
  });

  it("names libtool objects .lo", () => {
    const run = build(["gcc", "-c", "a.c"], "compile");
    expect(run.compiles[0]?.output).toBe("a.lo");
  });

  it("rejects -c without a source", () => {
    const run = classifyCompilerRun(["gcc", "-c", "-O2"], gcc);
    expect(run).toEqual({ kind: "other", reason: "compiler run without a source file" });
  });

  it("sets every compile field", () => {
    const run = build(["gcc", "-c", "a.c", "b.c"]);
    const [first, second] = run.compiles;
    expect(Object.keys(first ?? {})).toEqual(Object.keys(second ?? {}));
    expect(Object.keys(first ?? {})).toContain("standard");
  });

  it("reads soname and version script", () => {
    const run = build([
      "gcc",
      "-shared",
      "-o",
      "libx.so",
      "x.o",
      "-Wl,-soname,libx.so.1,--version-script=x.map",
    ]);
    expect(run.link?.soname).toBe("libx.so.1");
    expect(run.link?.versionScript).toBe("x.map");
  });

  it("splits glued and separate options", () => {
    const run = build([
      "gcc",
      "-c",
      "x.c",
      "-I",
      "inc",
      "-Isrc",
      "-isystem/usr/x",
      "-DA=1",
      "-D",
      "B",
      "-UC",
      "-include",
      "cfg.h",
      "-o",
      "x.o",
    ]);
    const compile = run.compiles[0];
    expect(compile?.includes).toEqual([
      { path: "inc", kind: "I" },
      { path: "src", kind: "I" },
      { path: "/usr/x", kind: "isystem" },
    ]);
    expect(compile?.defines).toEqual([{ name: "A", value: "1" }, { name: "B" }]);
    expect(compile?.undefines).toEqual(["C"]);
    expect(compile?.forcedIncludes).toEqual(["cfg.h"]);
    expect(compile?.output).toBe("x.o");
  });

  it("collects dependency flags", () => {
    const run = build(["gcc", "-MMD", "-MF", "x.d", "-MTx.o", "-MP", "-c", "x.c", "-MQ", "q"]);
    expect(run.compiles[0]?.dependencyFlags).toEqual(["-MMD", "-MF", "x.d", "-MT", "x.o", "-MP", "-MQ", "q"]);
  });

  it("keeps other M-words as flags", () => {
    const run = build(["gcc", "-c", "x.c", "-Mfoo", "-march=native"]);
    expect(run.compiles[0]?.otherFlags).toEqual(["-Mfoo", "-march=native"]);
    expect(run.compiles[0]?.dependencyFlags).toEqual([]);
  });

  it("links libraries glued and separate", () => {
    const run = build(["gcc", "-o", "prog", "a.o", "-L", "lib", "-Lout", "-l", "z", "-lm"]);
    expect(run.link?.libraryDirectories).toEqual(["lib", "out"]);
    expect(run.link?.libraries).toEqual(["z", "m"]);
  });
});
