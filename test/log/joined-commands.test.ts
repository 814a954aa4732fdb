/**
 * Lines where make -j ran two jobs' commands into each other: the second compiler or archiver name among the
 * operands makes the line an unknown step, so translate never emits a command built from both halves.
 */
import { describe, expect, it } from "vitest";
import { parseLogText } from "../../src/log/index.js";

function kinds(log: string): string[] {
  return parseLogText(Buffer.from(log), { file: "build.log" }).steps.map((step) => step.kind);
}

describe("joined commands", () => {
  it("makes a compile with a second gcc unknown", () => {
    expect(kinds("gcc -O2 -c -o x.o gcc -O2 -c -o y.o y.c\n")).toEqual(["unknown"]);
  });

  it("makes an archive with a compiler among its members unknown", () => {
    expect(kinds("ar rcs libl.a x.o gcc -o app y.o\n")).toEqual(["unknown"]);
  });

  it("makes an archive with an option among its members unknown", () => {
    expect(kinds("ar rcs libl.a x.o -L../lib\n")).toEqual(["unknown"]);
  });

  it("keeps an output named like a compiler", () => {
    expect(kinds("gcc -o gcc gcc.c\n")).toEqual(["compile", "link"]);
  });

  it("keeps an object file named like a compiler", () => {
    expect(kinds("ar rcs libcc.a cc.o gcc.o\n")).toEqual(["archive"]);
  });
});
