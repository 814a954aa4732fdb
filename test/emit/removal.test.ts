/**
 * A removal of a file that a later step builds (CMake's `cmake -E rm -f libx.a` before `ar qc libx.a`) opens
 * that product's MMS rule, so that an up-to-date `mms` run deletes nothing. The procedure keeps it in log
 * order.
 */
import { describe, expect, it } from "vitest";
import { checkDescription, checkProcedure, DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { renderDescription } from "../../src/emit/description.js";
import { procedureCheckOptions, renderProcedure } from "../../src/emit/procedure.js";
import { Translator } from "../../src/emit/translate.js";
import { parseLogText } from "../../src/log/index.js";
import { options, ROOT } from "./steps.js";

const header = { log: "build.log", target: "x86_64", pointerSize: 32 as const, version: "test" };

function translate(lines: readonly string[]) {
  const text = `make: Entering directory '${ROOT}'\n${lines.join("\n")}\n`;
  const plan = Translator.translate(parseLogText(text, { file: "build.log" }).steps, options());
  const renderOptions = { limits: DEFAULT_LIMITS, symbolValues: plan.symbols };
  const description = renderDescription(plan, header, renderOptions);
  const procedure = renderProcedure(plan, { ...header, procedureName: "BUILD.COM" }, renderOptions);
  return { plan, description, procedure };
}

/** Return the action lines of the rule or target whose head starts with `head`, up to the next blank line. */
function ruleActions(description: string, head: string): string[] {
  const lines = description.split("\n");
  const start = lines.findIndex((line) => line.startsWith(head));
  if (start < 0) return [];
  const end = lines.indexOf("", start);
  return lines.slice(start, end < 0 ? undefined : end).filter((line) => line.startsWith("\t"));
}

const ARCHIVE_CHAIN = [
  "gcc -c -o util.o util.c",
  ": && /usr/bin/cmake -E rm -f libutil.a && /usr/bin/ar qc libutil.a util.o && /usr/bin/ranlib libutil.a && :",
];

describe("removal before a rebuild", () => {
  it("opens the library rule", () => {
    const { description } = translate(ARCHIVE_CHAIN);
    expect(ruleActions(description, "[]LIBUTIL.OLB :").slice(0, 3)).toEqual([
      "\tSET DEFAULT SRC$ROOT:[000000]",
      '\tIF F$SEARCH("LIBUTIL.OLB;*") .NES. "" THEN DELETE/NOLOG/NOCONFIRM -',
      "\t   LIBUTIL.OLB;*",
    ]);
  });

  it("leaves prepare out", () => {
    const { description } = translate(ARCHIVE_CHAIN);
    expect(description).not.toMatch(/^prepare :/m);
    expect(description).not.toMatch(/^all : prepare/m);
  });

  it("accepts cmake -E remove", () => {
    const { description } = translate([
      "gcc -c -o util.o util.c",
      "/usr/bin/cmake -E remove -f libutil.a",
      "/usr/bin/ar qc libutil.a util.o",
    ]);
    expect(description).not.toMatch(/^prepare :/m);
    expect(ruleActions(description, "[]LIBUTIL.OLB :")[1]).toContain("DELETE");
  });

  it("opens the link rule", () => {
    const { description } = translate(["gcc -c -o a.o a.c", "rm -f prog", "gcc -o prog a.o"]);
    expect(ruleActions(description, "[]PROG.EXE :")[1]).toContain("DELETE/NOLOG/NOCONFIRM");
    expect(description).not.toMatch(/^prepare :/m);
  });

  it("keeps the heading of the removal", () => {
    const { description } = translate(ARCHIVE_CHAIN);
    const rule = description.indexOf("[]LIBUTIL.OLB :");
    const heading = description.lastIndexOf("! [2] line 3:", rule);
    expect(heading).toBeGreaterThan(description.indexOf("! [1] line 2:"));
  });

  it("keeps the procedure in log order", () => {
    const { procedure } = translate(ARCHIVE_CHAIN);
    const deletion = procedure.indexOf("THEN DELETE/NOLOG/NOCONFIRM");
    const creation = procedure.indexOf("LIBRARY/CREATE");
    expect(deletion).toBeGreaterThan(0);
    expect(creation).toBeGreaterThan(deletion);
  });

  it("passes the DCL and MMS checkers", () => {
    const { plan, description, procedure } = translate(ARCHIVE_CHAIN);
    expect(checkDescription(description, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
    expect(checkProcedure(procedure, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
  });
});

describe("removal of other files", () => {
  it("stays in prepare when nothing rebuilds it", () => {
    const { description } = translate(["rm -f stale.a", "gcc -c -o a.o a.c"]);
    expect(ruleActions(description, "prepare :")[1]).toContain("STALE.OLB;*");
  });

  it("stays in prepare with a wildcard", () => {
    const { description } = translate(["rm -f *.a", "gcc -c -o a.o a.c", "ar qc libx.a a.o"]);
    expect(ruleActions(description, "prepare :")[1]).toContain("*.OLB;*");
  });

  it("stays in prepare with two files", () => {
    const { description } = translate(["rm -f libx.a liby.a", "gcc -c -o a.o a.c", "ar qc libx.a a.o"]);
    expect(ruleActions(description, "prepare :").join("\n")).toContain("LIBX.OLB;*");
  });

  it("follows an earlier build of the file", () => {
    const { plan, description } = translate([
      "gcc -c -o a.o a.c",
      "ar qc libx.a a.o",
      "rm -f libx.a",
      "ar qc libx.a a.o",
    ]);
    expect(plan.steps[2]?.uses).toEqual(["SRC$ROOT:[000000]LIBX.OLB"]);
    expect(plan.steps[2]?.actionOf).toBeUndefined();
    expect(description).toMatch(/^step_3 : \[\]LIBX\.OLB/m);
  });
});
