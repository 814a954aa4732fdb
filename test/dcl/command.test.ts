import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import {
  type DclCommand,
  DEFAULT_LIMITS,
  defineList,
  EXTENDED_LIMITS,
  parseCommand,
  raw,
  renderAssignment,
  renderCommand,
  renderComment,
  renderCreate,
  renderExit,
  renderForeignCommand,
  renderIf,
  renderLabel,
  renderOn,
  renderPipe,
  symbol,
} from "../../src/dcl/index.js";

function lines(result: ReturnType<typeof renderCommand>): string[] {
  if ("error" in result) throw new Error(result.error.message);
  return result.lines;
}

describe("renderCommand", () => {
  test("short command on one record", () => {
    const command: DclCommand = {
      verb: "cc",
      qualifiers: [{ name: "list", negated: true }],
      parameters: ["X.C"],
    };
    expect(lines(renderCommand(command))).toEqual(["$ CC/NOLIST X.C"]);
  });

  test("qualifier list and keyword values", () => {
    const command: DclCommand = {
      verb: "CC",
      qualifiers: [
        { name: "NAMES", value: ["AS_IS", "SHORTENED"] },
        { name: "WARNINGS", value: { keyword: "DISABLE", value: ["QUESTCOMPARE"] } },
      ],
    };
    expect(lines(renderCommand(command))).toEqual([
      "$ CC/NAMES=(AS_IS,SHORTENED)/WARNINGS=DISABLE=(QUESTCOMPARE)",
    ]);
  });

  test("long command wraps with hyphen", () => {
    const files = Array.from({ length: 30 }, (_, index) => `MODULE_${index}.OBJ`);
    const result = lines(
      renderCommand({
        verb: "LIBRARY",
        qualifiers: [{ name: "REPLACE" }],
        parameters: [{ elements: files }],
      }),
    );
    expect(result.length).toBeGreaterThan(1);
    for (const record of result.slice(0, -1)) expect(record.endsWith(" -")).toBe(true);
  });

  test("continuation records have no dollar", () => {
    const files = Array.from({ length: 30 }, (_, index) => `MODULE_${index}.OBJ`);
    const result = lines(renderCommand({ verb: "LIBRARY", parameters: [{ elements: files }] }));
    for (const record of result.slice(1)) expect(record.startsWith("    ")).toBe(true);
  });

  test("records stay within width", () => {
    const files = Array.from({ length: 30 }, (_, index) => `MODULE_${index}.OBJ`);
    const result = lines(
      renderCommand({ verb: "LIBRARY", parameters: [{ elements: files }] }, { width: 60 }),
    );
    for (const record of result) expect(record.length).toBeLessThanOrEqual(60);
  });

  test("never breaks inside quotes", () => {
    const value = "a b c d e f g h i j k l m n o p q r s t u v w x y z ".repeat(3);
    const result = lines(renderCommand({ verb: "WRITE", parameters: ["SYS$OUTPUT", value] }, { width: 40 }));
    expect(result).toHaveLength(2);
  });

  test("positional qualifiers stay attached", () => {
    const command: DclCommand = {
      verb: "LINK",
      parameters: [{ elements: [{ value: "DEMO.OLB", qualifiers: [{ name: "LIBRARY" }] }, "MAIN.OBJ"] }],
    };
    expect(lines(renderCommand(command))).toEqual(["$ LINK DEMO.OLB/LIBRARY,MAIN.OBJ"]);
  });

  test("symbol reference rendered with apostrophes", () => {
    expect(lines(renderCommand({ verb: "CC", parameters: [symbol("ccflags"), "X.C"] }))).toEqual([
      "$ CC 'CCFLAGS' X.C",
    ]);
  });

  test("unsafe value is an error", () => {
    const result = renderCommand({ verb: "CC", qualifiers: [{ name: "DEFINE", value: "X=''Y'" }] });
    expect(result).toMatchObject({ error: { code: "unsafe-value" } });
  });

  test("token over 255 bytes is an error", () => {
    const result = renderCommand({ verb: "CC", parameters: ["A".repeat(256)] });
    expect(result).toMatchObject({ error: { code: "token-too-long" } });
  });

  test("command over 1024 bytes is an error", () => {
    const elements = Array.from({ length: 120 }, (_, index) => `FILE_${index}.OBJ`);
    const result = renderCommand({ verb: "LINK", parameters: [{ elements }] });
    expect(result).toMatchObject({ error: { code: "command-too-long" } });
  });

  test("extended limits accept 2000 bytes", () => {
    const elements = Array.from({ length: 120 }, (_, index) => `FILE_${index}.OBJ`);
    const result = renderCommand({ verb: "LINK", parameters: [{ elements }] }, { limits: EXTENDED_LIMITS });
    expect(result).toHaveProperty("lines");
  });

  test("symbol value counts toward limit", () => {
    const result = renderCommand(
      { verb: "CC", parameters: [symbol("BIG"), "X.C"] },
      { symbolValues: { BIG: "X".repeat(1100) } },
    );
    expect(result).toMatchObject({ error: { code: "command-too-long" } });
  });

  test("invalid verb is an error", () => {
    expect(renderCommand({ verb: "C C" })).toMatchObject({ error: { code: "invalid-name" } });
  });

  test("label and comment come first", () => {
    const result = lines(renderCommand({ verb: "EXIT", label: "done", comment: "All built" }));
    expect(result).toEqual(["$! All built", "$ DONE:", "$ EXIT"]);
  });

  test("define list parses back", () => {
    const defines = defineList([
      { name: "HAVE_CONFIG_H", value: "1" },
      { name: "VERSION", value: '"1.2 beta"' },
      { name: "lower" },
    ]);
    const result = lines(
      renderCommand({
        verb: "CC",
        qualifiers: [{ name: "DEFINE", value: defines.elements }],
        parameters: ["x.c"],
      }),
    );
    const parsed = parseCommand(result.join("\n"));
    expect(parsed.qualifiers[0]?.values.map((value) => value.text)).toEqual([
      "HAVE_CONFIG_H=1",
      'VERSION="1.2 beta"',
      "lower",
    ]);
  });
});

describe("renderComment", () => {
  test("apostrophe replaced", () => {
    expect(renderComment("don't 'X'")).toEqual(["$! don`t `X`"]);
  });

  test("long text wraps", () => {
    const result = renderComment("word ".repeat(40), { width: 40 });
    for (const record of result) expect(record.length).toBeLessThanOrEqual(40);
  });

  test("trailing hyphen neutralized", () => {
    expect(renderComment("see below -")).toEqual(["$! see below -."]);
  });

  test("empty text gives bare comment", () => {
    expect(renderComment("")).toEqual(["$!"]);
  });
});

describe("other renderers", () => {
  test("label record", () => {
    expect(renderLabel("fail")).toEqual({ lines: ["$ FAIL:"] });
  });

  test("invalid label", () => {
    expect(renderLabel("1X")).toMatchObject({ error: { code: "invalid-name" } });
  });

  test("string assignment keeps case", () => {
    expect(renderAssignment("ccflags", '/NOLIST/DEFINE=("a")')).toEqual({
      lines: ['$ CCFLAGS = "/NOLIST/DEFINE=(""a"")"'],
    });
  });

  test("global assignment of expression", () => {
    expect(renderAssignment("HERE", raw('F$ENVIRONMENT("PROCEDURE")'), { global: true })).toEqual({
      lines: ['$ HERE == F$ENVIRONMENT("PROCEDURE")'],
    });
  });

  test("foreign command bare", () => {
    expect(renderForeignCommand("demo", "DKA0:[DEMO]DEMO.EXE")).toEqual({
      lines: ["$ DEMO :== $DKA0:[DEMO]DEMO.EXE"],
    });
  });

  test("foreign command with lower case", () => {
    expect(renderForeignCommand("demo", "dka0:[demo]demo.exe")).toEqual({
      lines: ['$ DEMO == "$dka0:[demo]demo.exe"'],
    });
  });

  test("IF with GOTO", () => {
    const result = renderIf('F$SEARCH("X.OBJ") .EQS. ""', { verb: "GOTO", parameters: ["COMPILE"] });
    expect(result).toEqual({ lines: ['$ IF F$SEARCH("X.OBJ") .EQS. "" THEN GOTO COMPILE'] });
  });

  test("ON ERROR", () => {
    expect(renderOn("ERROR", { verb: "GOTO", parameters: ["FAIL"] })).toEqual({
      lines: ["$ ON ERROR THEN GOTO FAIL"],
    });
  });

  test("EXIT with status", () => {
    expect(renderExit("%x10000002")).toEqual(["$ EXIT %X10000002"]);
  });

  test("PIPE with redirection", () => {
    const result = renderPipe(
      [
        { command: { verb: "CC", parameters: ["X.C"] }, separator: "&&" },
        { command: { verb: "LINK", parameters: ["X"] } },
      ],
      { output: "BUILD.LOG" },
    );
    expect(result).toEqual({ lines: ["$ PIPE CC X.C && LINK X > BUILD.LOG"] });
  });

  test("CREATE with plain data", () => {
    expect(renderCreate("CONFIG.H", ["#define A 1"])).toEqual({
      lines: ["$ CREATE CONFIG.H", "#define A 1"],
    });
  });

  test("CREATE adds DECK for dollar data", () => {
    expect(renderCreate("X.COM", ["$ WRITE SYS$OUTPUT 1"])).toEqual({
      lines: ["$ CREATE X.COM", "$ DECK", "$ WRITE SYS$OUTPUT 1", "$ EOD"],
    });
  });

  test("CREATE uses DOLLARS for EOD data", () => {
    expect(renderCreate("X.COM", ["$EOD"])).toEqual({
      lines: ["$ CREATE X.COM", '$ DECK/DOLLARS="$END_OF_DATA"', "$EOD", "$END_OF_DATA"],
    });
  });

  test("CREATE rejects line break in data", () => {
    expect(renderCreate("X.H", ["a\nb"])).toMatchObject({ error: { code: "unsafe-value" } });
  });
});

describe("renderComment record length", () => {
  it("cuts a word longer than a record", () => {
    const records = renderComment(`gcc -c ${"a/".repeat(4000)}x.c`);
    expect(Math.max(...records.map((record) => record.length))).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRecord);
  });

  it("keeps a word a little longer than the width whole", () => {
    const path = `/home/user/src/${"d".repeat(70)}/x.c`;
    expect(renderComment(`gcc -c ${path}`)).toContain(`$! ${path}`);
  });

  it("keeps every record within the record limit for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 3000 }), (text) => {
        for (const record of renderComment(text))
          expect(Buffer.byteLength(record)).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRecord);
      }),
    );
  });
});
