import { describe, expect, it } from "vitest";
import { parseLogText } from "../../src/log/index.js";
import type { CompileStep } from "../../src/model/steps.js";
import { compdbEntry, formatCompdb } from "../../src/report/compdb.js";

function compiles(log: string, initialDirectory = "."): CompileStep[] {
  return parseLogText(log, { initialDirectory }).steps.filter(
    (step): step is CompileStep => step.kind === "compile",
  );
}

describe("compdbEntry", () => {
  it("keeps the arguments of a single compile", () => {
    const [step] = compiles("gcc -DX=1 -c a.c -o obj/a.o\n", "/src");
    expect(compdbEntry(step as CompileStep, "/unused")).toEqual({
      directory: "/src",
      file: "a.c",
      arguments: ["gcc", "-DX=1", "-c", "a.c", "-o", "obj/a.o"],
      output: "obj/a.o",
    });
  });

  it("resolves a relative directory against the base", () => {
    const [step] = compiles("ninja: Entering directory `build'\ncc -c ../a.c -o a.o\n");
    expect(compdbEntry(step as CompileStep, "/home/me/proj").directory).toBe("/home/me/proj/build");
  });

  it("splits a compile-and-link command per source", () => {
    const steps = compiles("cc -O2 -o tool main.c util.c -lm\n", "/w");
    expect(steps.map((step) => compdbEntry(step, "/w").arguments)).toEqual([
      ["cc", "-O2", "main.c", "-lm", "-c", "-o", "main.o"],
      ["cc", "-O2", "util.c", "-lm", "-c", "-o", "util.o"],
    ]);
  });

  it("drops wrappers from the arguments", () => {
    const [step] = compiles("ccache gcc -c a.c\n", "/w");
    expect(compdbEntry(step as CompileStep, "/w").arguments[0]).toBe("gcc");
  });
});

describe("formatCompdb", () => {
  it("writes an empty array for no steps", () => {
    expect(formatCompdb([], "/")).toBe("[]\n");
  });

  it("writes valid JSON", () => {
    const text = formatCompdb(compiles("gcc -c a.c\ngcc -c b.c\n", "/w"), "/w");
    expect(JSON.parse(text)).toHaveLength(2);
  });
});
