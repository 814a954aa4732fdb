import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitCommandLine } from "../../src/log/shell.js";

// Characters of plain command lines, with `=` and braces so that assignments and groups occur.
const plainWord = fc.string({
  unit: fc.constantFrom("a", "b", "c", "-", ".", "/", "=", "{", "}", "1", "_", "é", "\u00a0", ","),
  minLength: 1,
  maxLength: 6,
});
const plainLine = fc
  .array(fc.tuple(plainWord, fc.constantFrom(" ", "  ", "\t")), { maxLength: 8 })
  .map((parts) => parts.map(([word, blank]) => `${word}${blank}`).join(""));

describe("splitCommandLine", () => {
  it("splits plain lines as the general path does", () => {
    fc.assert(
      fc.property(plainLine, fc.constantFrom("", " "), (line, lead) => {
        // A trailing `;` adds no command but sends the line through the general tokenizer.
        expect(splitCommandLine(`${lead}${line}`)).toEqual(splitCommandLine(`${lead}${line};`));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps environment assignments out of the words", () => {
    const command = splitCommandLine("CC=gcc LANG=C make -j2").commands[0];
    expect(command?.environment).toEqual({ CC: "gcc", LANG: "C" });
    expect(command?.words).toEqual(["make", "-j2"]);
  });

  it("returns no command for blanks", () => {
    expect(splitCommandLine(" \t ")).toEqual({ commands: [], incomplete: false });
  });

  it("stops at a comment", () => {
    expect(splitCommandLine("gcc -c a.c # note").commands[0]?.words).toEqual(["gcc", "-c", "a.c"]);
  });
});
