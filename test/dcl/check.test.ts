import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { checkProcedure, type DclIssue, DEFAULT_LIMITS, parseCommand } from "../../src/dcl/index.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/dcl/${name}`, import.meta.url), "utf8");
const codes = (issues: DclIssue[]) => issues.map((issue) => `${issue.record}:${issue.code}`);

describe("checkProcedure", () => {
  test("clean procedure has no issues", () => {
    expect(checkProcedure(fixture("build.com"), { symbols: ["CCFLAGS"] })).toEqual([]);
  });

  test("unlisted symbol is reported", () => {
    expect(codes(checkProcedure(fixture("build.com")))).toEqual(["4:unintended-substitution"]);
  });

  test("broken procedure issues", () => {
    expect(codes(checkProcedure(fixture("broken.com")))).toEqual([
      "1:unbalanced-parenthesis",
      "1:unintended-substitution",
      "2:unintended-substitution",
      "3:unbalanced-parenthesis",
      "4:undefined-label",
      "6:missing-dollar",
      "7:dangling-continuation",
    ]);
  });

  test("issue column points at apostrophe", () => {
    const issue = checkProcedure("$ CC/DEFINE=(it's) X.C\n").find(
      (found) => found.code === "unintended-substitution",
    );
    expect(issue?.column).toBe(16);
  });

  test("single apostrophe inside quotes is fine", () => {
    expect(checkProcedure(`$ CC/DEFINE=("Q=it's") X.C\n`)).toEqual([]);
  });

  test("ampersand outside quotes is reported", () => {
    expect(codes(checkProcedure("$ COPY &SRC X.C\n"))).toEqual(["1:unintended-substitution"]);
  });

  test("unbalanced quote is reported", () => {
    expect(codes(checkProcedure('$ WRITE SYS$OUTPUT "abc\n'))).toEqual(["1:unbalanced-quote"]);
  });

  test("comment cutting a value is reported", () => {
    expect(codes(checkProcedure("$ CC/DEFINE=A!B X.C\n"))).toEqual(["1:comment-in-value"]);
  });

  test("apostrophe in comment is reported", () => {
    expect(codes(checkProcedure("$! it's here\n"))).toEqual(["1:unintended-substitution"]);
  });

  test("record over limit is reported", () => {
    const record = `$ WRITE SYS$OUTPUT "${"x".repeat(300)}"\n`;
    expect(codes(checkProcedure(record))).toContain("1:record-too-long");
  });

  test("token over limit is reported", () => {
    const record = `$ WRITE SYS$OUTPUT "${"x".repeat(300)}"\n`;
    expect(codes(checkProcedure(record))).toContain("1:token-too-long");
  });

  test("joined command over limit is reported", () => {
    const records = [
      "$ LINK A.OBJ, -",
      ...Array.from({ length: 80 }, () => "    ABCDEFGHIJKL.OBJ, -"),
      "    Z.OBJ",
    ];
    expect(codes(checkProcedure(`${records.join("\n")}\n`))).toEqual(["1:command-too-long"]);
  });

  test("symbol value counts toward limit", () => {
    const issues = checkProcedure("$ CC 'FLAGS' X.C\n", {
      symbols: { FLAGS: "X".repeat(DEFAULT_LIMITS.maxCommand) },
    });
    expect(codes(issues)).toEqual(["1:command-too-long"]);
  });

  test("DECK data may start with dollar", () => {
    const text = "$ CREATE X.COM\n$ DECK\n$ WRITE SYS$OUTPUT 'P1'\n$ EOD\n$ EXIT\n";
    expect(checkProcedure(text)).toEqual([]);
  });

  test("DECK without EOD is reported", () => {
    expect(codes(checkProcedure("$ CREATE X.COM\n$ DECK\n$ WRITE SYS$OUTPUT 1\n"))).toEqual([
      "2:unterminated-data",
    ]);
  });

  test("DECK with DOLLARS string", () => {
    const text = '$ CREATE X.COM\n$ DECK/DOLLARS="$END"\n$EOD\n$END\n$ EXIT\n';
    expect(checkProcedure(text)).toEqual([]);
  });

  test("continuation with dollar is reported", () => {
    expect(codes(checkProcedure("$ CC -\n$ X.C\n"))).toEqual(["2:continuation-dollar"]);
  });

  test("duplicate label is reported", () => {
    expect(codes(checkProcedure("$ A:\n$ A:\n"))).toEqual(["2:duplicate-label"]);
  });

  test("GOSUB to defined label passes", () => {
    expect(checkProcedure("$ GOSUB SUB\n$ EXIT\n$ SUB:\n$ RETURN\n")).toEqual([]);
  });

  test("block IF closed passes", () => {
    expect(checkProcedure('$ IF X .EQS. ""\n$ THEN\n$   A = 1\n$ ELSE\n$   A = 2\n$ ENDIF\n')).toEqual([]);
  });

  test("block IF without ENDIF", () => {
    expect(codes(checkProcedure("$ IF X\n$ THEN\n$ A = 1\n"))).toEqual(["1:unbalanced-block"]);
  });

  test("stray ENDIF is reported", () => {
    expect(codes(checkProcedure("$ ENDIF\n"))).toEqual(["1:unbalanced-block"]);
  });

  test("label compare ignores case", () => {
    expect(checkProcedure("$ goto done\n$ Done:\n")).toEqual([]);
  });
});

describe("parseCommand", () => {
  test("verb qualifiers and parameters", () => {
    const parsed = parseCommand("$ cc/nolist/object=x.obj x.c");
    expect(parsed).toEqual({
      label: undefined,
      verb: "CC",
      qualifiers: [
        { name: "LIST", written: "NOLIST", negated: true, values: [] },
        { name: "OBJECT", written: "OBJECT", negated: false, values: [{ text: "X.OBJ", quoted: false }] },
      ],
      parameters: [
        { elements: [{ value: { text: "X.C", quoted: false }, qualifiers: [] }], separator: undefined },
      ],
    });
  });

  test("continuation records joined", () => {
    const parsed = parseCommand("$ LINK A.OBJ, -\n    B.OBJ");
    expect(parsed.parameters[0]?.elements.map((element) => element.value.text)).toEqual(["A.OBJ", "B.OBJ"]);
  });

  test("positional qualifier attached", () => {
    const parsed = parseCommand("LINK DEMO.OLB/LIBRARY");
    expect(parsed.parameters[0]?.elements[0]?.qualifiers[0]?.name).toBe("LIBRARY");
  });

  test("label and comment", () => {
    const parsed = parseCommand("$ START: CC X.C ! compile");
    expect([parsed.label, parsed.verb, parsed.parameters.length]).toEqual(["START", "CC", 1]);
  });

  test("both string define forms agree", () => {
    const quotedWhole = parseCommand('CC/DEFINE=("V=""1""")').qualifiers[0]?.values[0]?.text;
    const quotedValue = parseCommand('CC/DEFINE=(V="""1""")').qualifiers[0]?.values[0]?.text;
    expect(quotedWhole).toBe(quotedValue);
  });

  test("blanks around list comma", () => {
    const parsed = parseCommand("LINK A.OBJ , B.OBJ");
    expect(parsed.parameters[0]?.elements.map((element) => element.value.text)).toEqual(["A.OBJ", "B.OBJ"]);
  });

  test("plus separated parameter", () => {
    const parsed = parseCommand("COPY A.TXT+B.TXT C.TXT");
    expect(parsed.parameters[0]?.separator).toBe("+");
  });
});
