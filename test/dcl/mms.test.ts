import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  checkDescription,
  type DclIssue,
  raw,
  renderMmsAction,
  renderMmsComment,
  renderMmsMacro,
  renderMmsRule,
} from "../../src/dcl/index.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/dcl/${name}`, import.meta.url), "utf8");
const codes = (issues: DclIssue[]) => issues.map((issue) => `${issue.record}:${issue.code}`);

describe("MMS renderers", () => {
  test("macro definition", () => {
    expect(renderMmsMacro("CFLAGS", "/NOLIST")).toEqual({ lines: ["CFLAGS = /NOLIST"] });
  });

  test("long macro continues", () => {
    const value = Array.from({ length: 20 }, (_, index) => `OBJECT_${index}.OBJ`).join(" ");
    const result = renderMmsMacro("OBJECTS", value, { width: 60 });
    if ("error" in result) throw new Error(result.error.message);
    expect(result.lines.slice(0, -1).every((line) => line.endsWith(" -"))).toBe(true);
  });

  test("macro with bang rejected", () => {
    expect(renderMmsMacro("X", "A!B")).toMatchObject({ error: { code: "unsafe-value" } });
  });

  test("invalid macro name rejected", () => {
    expect(renderMmsMacro("1X", "A")).toMatchObject({ error: { code: "unsafe-value" } });
  });

  test("rule with blanks around colon", () => {
    const result = renderMmsRule({
      targets: ["DEMO.EXE"],
      sources: ["MAIN.OBJ", "UTIL.OBJ"],
      actions: [
        {
          verb: "LINK",
          qualifiers: [{ name: "EXECUTABLE", value: raw("$(MMS$TARGET)") }],
          parameters: [raw("$(MMS$SOURCE_LIST)")],
        },
      ],
    });
    expect(result).toEqual({
      lines: ["DEMO.EXE : MAIN.OBJ, UTIL.OBJ", "\tLINK/EXECUTABLE=$(MMS$TARGET) $(MMS$SOURCE_LIST)"],
    });
  });

  test("action prefix applied", () => {
    expect(renderMmsAction(raw("DELETE *.OBJ;*"), { prefix: "-" })).toEqual({
      lines: ["\t- DELETE *.OBJ;*"],
    });
  });

  test("a prefix without a blank is an error", () => {
    const issues = checkDescription("all :\n\t-DELETE *.OBJ;*\n");
    expect(issues.map((issue) => issue.code)).toContain("mms-prefix-without-blank");
  });

  test("comment lines", () => {
    expect(renderMmsComment("one\ntwo")).toEqual(["! one", "! two"]);
  });

  test("rendered rule passes checker", () => {
    const sources = Array.from({ length: 20 }, (_, index) => `OBJECT_${index}.OBJ`);
    const result = renderMmsRule({
      targets: ["DEMO.EXE"],
      sources,
      actions: [{ verb: "LINK", parameters: [{ elements: sources }] }],
    });
    if ("error" in result) throw new Error(result.error.message);
    expect(checkDescription(`${result.lines.join("\n")}\n`)).toEqual([]);
  });
});

describe("checkDescription", () => {
  test("clean description has no issues", () => {
    expect(checkDescription(fixture("descrip.mms"))).toEqual([]);
  });

  test("broken description issues", () => {
    expect(codes(checkDescription(fixture("broken.mms")))).toEqual([
      "1:mms-action-before-rule",
      "2:mms-missing-colon-blank",
      "3:mms-undefined-macro",
      "4:mms-invalid-line",
      "5:unbalanced-parenthesis",
      "5:unintended-substitution",
    ]);
  });

  test("macro from options is known", () => {
    expect(checkDescription("A : B\n\tLINK $(OPTS) B\n", { macros: ["OPTS"] })).toEqual([]);
  });

  test("directives accepted", () => {
    expect(checkDescription(".SUFFIXES\n.SUFFIXES .OBJ .C\n.IFDEF DEBUG\nX = 1\n.ENDIF\n")).toEqual([]);
  });

  test("dangling hyphen reported", () => {
    expect(codes(checkDescription("A : B -\n"))).toEqual(["1:dangling-continuation"]);
  });
});
