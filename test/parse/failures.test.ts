/** Log-level warnings about make's failure reports: a log of a build that stopped lacks steps. */
import { describe, expect, it } from "vitest";
import { parseLogText } from "../../src/log/index.js";

const warningsOf = (log: string) =>
  parseLogText(log, {}).diagnostics.filter((diagnostic) => diagnostic.message.includes("failed recipe"));

describe("make failure reports", () => {
  it("warns about a build that stopped", () => {
    const log = [
      "make[1]: Entering directory '/p/tests'",
      "gcc -c -o t.o t.c",
      "make[1]: *** No rule to make target '../src/libx.la', needed by 't'.  Stop.",
      "make[1]: Leaving directory '/p/tests'",
      "make: *** [Makefile:443: all-recursive] Error 1",
      "",
    ].join("\n");
    const [warning] = warningsOf(log);
    expect(warning?.line).toBe(5);
    expect(warning?.message).toContain(
      "a failed recipe (the first: make: *** [Makefile:443: all-recursive] Error 1)",
    );
  });

  it("counts every failure and names the first", () => {
    const log = "gcc -c a.c\nmake: *** [a.o] Error 1\ngcc -c b.c\nmake: *** [b.o] Error 1\n";
    const [warning] = warningsOf(log);
    expect(warning?.message).toContain("2 failed recipes (the first: make: *** [a.o] Error 1)");
    expect(warning?.line).toBe(2);
  });

  it("stays quiet about ignored failures", () => {
    expect(warningsOf("gcc -c a.c\nmake: [a.o] Error 1 (ignored)\n")).toEqual([]);
  });

  it("stays quiet about a build that succeeded", () => {
    expect(warningsOf("gcc -c a.c\ngcc -o app a.o\n")).toEqual([]);
  });
});
