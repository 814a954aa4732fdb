/**
 * A silent-rule line (`  CC  main.o`) next to the command that builds the same file, as `make --trace`
 * prints them, is progress output and no step of its own. Tags without such a command stay silent-rule
 * steps.
 */
import { describe, expect, it } from "vitest";
import { parseLogText } from "../../src/log/index.js";
import { WINDOW_SIZE } from "../../src/log/parser.js";
import type { BuildStep } from "../../src/model/steps.js";

function parse(lines: string[]) {
  return parseLogText(lines.join("\n"), { file: "x.log", initialDirectory: "/p" });
}

function silentTargets(steps: readonly BuildStep[]): string[] {
  return steps.flatMap((step) =>
    step.kind === "unknown" && step.silentRule ? [step.silentRule.target] : [],
  );
}

describe("silent-rule pairing", () => {
  it("drops a tag after its command", () => {
    const parsed = parse(['echo "  CC      main.o";gcc -c -o main.o main.c', "  CC      main.o"]);
    expect(parsed.steps.map((step) => step.kind)).toEqual(["compile"]);
    expect(parsed.summary.silentRuleTargets).toBe(0);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.summary.lineCounts?.chatter).toBe(1);
  });

  it("drops a tag before its command", () => {
    const parsed = parse([
      'echo "  GEN     version.h"',
      "  GEN     version.h",
      "sed -e s/x/y/ version.h.in > version.h",
      "gcc -c -o main.o main.c",
    ]);
    expect(parsed.steps.map((step) => step.kind)).toEqual(["shell", "compile"]);
    expect(parsed.steps.map((step) => step.index)).toEqual([0, 1]);
    expect(parsed.summary.steps.unknown).toBe(0);
    expect(parsed.summary.silentRuleTargets).toBe(0);
    expect(parsed.summary.lineCounts?.step).toBe(2);
    expect(parsed.summary.lineCounts?.chatter).toBe(1);
  });

  it("pairs interleaved tags of make -j", () => {
    const parsed = parse([
      'echo "  CC      a.o";gcc -c -o a.o a.c',
      'echo "  CC      b.o";gcc -c -o b.o b.c',
      "  CC      b.o",
      "  CC      a.o",
    ]);
    expect(parsed.steps.map((step) => step.kind)).toEqual(["compile", "compile"]);
    expect(parsed.summary.silentRuleTargets).toBe(0);
  });

  it("compares targets as resolved paths", () => {
    const parsed = parse([
      "gcc -c -o sub/a.o sub/a.c",
      "(cd sub && gcc -c -o b.o b.c)",
      "  CC  ./sub/a.o",
      "  CC  sub/b.o",
    ]);
    expect(silentTargets(parsed.steps)).toEqual([]);
  });

  it("keeps a tag of another directory", () => {
    const parsed = parse([
      "gcc -c -o a.o a.c",
      "make[1]: Entering directory '/p/lib'",
      "  CC      a.o",
      "make[1]: Leaving directory '/p/lib'",
    ]);
    expect(silentTargets(parsed.steps)).toEqual(["a.o"]);
    expect(parsed.summary.silentRuleTargets).toBe(1);
  });

  it("pairs one tag per command", () => {
    const parsed = parse(["  CC      a.o", "gcc -c -o a.o a.c", "  CC      a.o", "gcc -c -o b.o b.c"]);
    expect(silentTargets(parsed.steps)).toEqual(["a.o"]);
    expect(parsed.steps.map((step) => step.origin.startLine)).toEqual([2, 3, 4]);
    expect(parsed.diagnostics[0]?.line).toBe(3);
  });

  it("keeps a tag whose command is unrecognised", () => {
    const parsed = parse(["  GEN     stamp.h", "./make-stamp.sh > stamp.h"]);
    expect(silentTargets(parsed.steps)).toEqual(["stamp.h"]);
    expect(parsed.diagnostics).toHaveLength(1);
  });

  it("keeps a tag outside the window", () => {
    const compiles = Array.from({ length: WINDOW_SIZE }, (_, k) => `gcc -c -o f${k}.o f${k}.c`);
    const after = parse(["gcc -c -o a.o a.c", ...compiles, "  CC      a.o"]);
    const before = parse(["  CC      a.o", ...compiles, "gcc -c -o a.o a.c"]);
    expect(silentTargets(after.steps)).toEqual(["a.o"]);
    expect(silentTargets(before.steps)).toEqual(["a.o"]);
  });

  it("pairs a tag at the window's edge", () => {
    const compiles = Array.from({ length: WINDOW_SIZE - 1 }, (_, k) => `gcc -c -o f${k}.o f${k}.c`);
    const before = parse(["  CC      a.o", ...compiles, "gcc -c -o a.o a.c"]);
    expect(silentTargets(before.steps)).toEqual([]);
    expect(before.steps.map((step) => step.index)).toEqual(before.steps.map((_, k) => k));
  });

  it("keeps the first remaining tag line", () => {
    const parsed = parse(["  CC      a.o", "  CC      b.o", "gcc -c -o a.o a.c"]);
    expect(parsed.diagnostics[0]?.line).toBe(2);
  });

  it("sets the failure on the command", () => {
    const parsed = parse(["  CC      a.o", "gcc -c -o a.o a.c", "make: *** [Makefile:3: a.o] Error 1"]);
    expect(parsed.steps.map((step) => step.status.result)).toEqual(["failed"]);
  });
});

describe("make --trace messages", () => {
  const lines = [
    "Makefile:18: update target 'main.o' due to: main.c version.h",
    "GNUmakefile:27: target 'stamp.h' does not exist",
    "<builtin>: update target 'x.o' due to: x.c",
    "rules/common.rules:4: update target 'y.o' due to: target is .PHONY",
    "Makefile:22: Ziel „version.h“ wird aktualisiert wegen: version.h.in",
    "<eingebaut>: Archiv „x“ existiert nicht",
    "Makefile:22\u00a0: mise à jour de la cible «\u00a0version.h\u00a0» causée par\u00a0: version.h.in",
    "<commande interne> : la cible «\u00a0x\u00a0» n'existe pas",
  ];
  for (const line of lines) {
    it(`counts ${line.slice(0, 24)} as chatter`, () => {
      const parsed = parse([line]);
      expect(parsed.steps).toEqual([]);
      expect(parsed.summary.lineCounts?.chatter).toBe(1);
    });
  }
});
