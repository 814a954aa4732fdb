/**
 * The record layout counts bytes, not characters, and keeps no state between calls that could change a
 * later result: part lengths come from the parts' builders and rendered definitions are cached.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { defineList, findControlCharacter, renderCommand, renderComment } from "../../src/dcl/index.js";

describe("renderCommand byte widths", () => {
  test("wraps non-ASCII parameters by bytes", () => {
    const files = Array.from({ length: 12 }, (_, k) => `ünïcödé_${k}.c`);
    const result = renderCommand({ verb: "COPY", parameters: [{ elements: files }, "[.OUT]"] });
    if ("error" in result) throw new Error(result.error.message);
    for (const record of result.lines) expect(Buffer.byteLength(record)).toBeLessThanOrEqual(80);
    expect(result.lines.length).toBeGreaterThan(1);
  });

  test("rejects a record over the limit in bytes", () => {
    const word = "é".repeat(100);
    const result = renderCommand(
      { verb: "COPY", parameters: [word, "X"] },
      { limits: { maxRecord: 150, maxCommand: 4096, maxToken: 255 } },
    );
    expect("error" in result).toBe(true);
    if ("error" in result) expect(result.error.code).toBe("record-too-long");
  });

  test("keeps records within the width for any words", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .string({ minLength: 1, maxLength: 20 })
            .filter((word) => findControlCharacter(word) < 0 && !word.includes("'")),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        (words) => {
          const result = renderCommand({ verb: "COPY", parameters: [{ elements: words }, "OUT"] });
          if ("error" in result) return;
          for (const record of result.lines) expect(Buffer.byteLength(record)).toBeLessThanOrEqual(80);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("renderComment", () => {
  test("turns control characters into blanks", () => {
    expect(renderComment("a\x01b\x7fc\td")).toEqual(["$! a b c d"]);
  });

  test("wraps non-ASCII words by bytes", () => {
    const records = renderComment("ééééé ".repeat(30));
    for (const record of records) expect(Buffer.byteLength(record)).toBeLessThanOrEqual(80);
    expect(records.length).toBeGreaterThan(2);
  });
});

/** Comment layout built word by word, as `renderComment` once did, to compare the sliced layout with. */
function referenceComment(text: string): string[] {
  const records: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const words = line
      .replaceAll("\t", " ")
      .split(/ +/)
      .filter((word) => word.length > 0);
    const pieces: string[] = [];
    let piece = "";
    for (const word of words) {
      if (piece.length > 0 && Buffer.byteLength(`${piece} ${word}`) > 77) {
        pieces.push(piece);
        piece = word;
      } else {
        piece = piece.length > 0 ? `${piece} ${word}` : word;
      }
    }
    if (piece.length > 0 || pieces.length === 0) pieces.push(piece);
    for (const wrapped of pieces) {
      let clean = [...wrapped.replaceAll("'", "`")]
        .map((character) => (findControlCharacter(character) >= 0 ? " " : character))
        .join("")
        .trimEnd();
      if (clean.endsWith("-")) clean += ".";
      records.push(clean.length > 0 ? `$! ${clean}` : "$!");
    }
  }
  return records;
}

describe("renderComment layout", () => {
  test("matches word-by-word wrapping", () => {
    const character = fc.constantFrom(
      " ",
      " ",
      "  ",
      "\t",
      "\n",
      "\r\n",
      "'",
      "-",
      "é",
      "😀",
      "\x01",
      "a",
      "bc",
      "xyz",
    );
    const text = fc
      .array(fc.oneof(character, fc.string({ maxLength: 30 })), { maxLength: 60 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (comment) => {
        expect(renderComment(comment)).toEqual(referenceComment(comment));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("defineList cache", () => {
  test("keeps an invalid name with = apart from a value", () => {
    const invalid = defineList([{ name: "A=B" }]);
    const valid = defineList([{ name: "A", value: "B" }]);
    expect(invalid.unsafe).toHaveLength(1);
    expect(valid.elements).toEqual([{ kind: "raw", text: "A=B" }]);
  });

  test("returns the same elements when called again", () => {
    const defines = [{ name: "VERSION", value: '"1.2"' }, { name: "debug" }];
    const first = defineList(defines);
    expect(defineList(defines)).toEqual(first);
  });
});
