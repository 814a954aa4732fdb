import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  checkProcedure,
  defineList,
  EXTENDED_LIMITS,
  findControlCharacter,
  includeDirectoryList,
  type MacroDefinition,
  parseCommand,
  parseDefineElement,
  quoteValue,
  renderCommand,
} from "../../src/dcl/index.js";

/** Characters that stress DCL quoting: quotes, apostrophes, comment and list delimiters, non-ASCII, controls. */
const trickyCharacter = fc.constantFrom(
  "a",
  "Z",
  "0",
  "_",
  " ",
  '"',
  "'",
  "!",
  ",",
  "/",
  "(",
  ")",
  "=",
  "+",
  "-",
  "&",
  "$",
  ":",
  "[",
  "]",
  "é",
  "€",
  "😀",
  "\t",
  "\n",
);
const trickyString = fc.string({ unit: trickyCharacter, maxLength: 24 });
const macroName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/);
const define: fc.Arbitrary<MacroDefinition> = fc.record(
  { name: macroName, value: trickyString },
  { requiredKeys: ["name"] },
);

/** Merge definitions the way the builder documents: last value wins, first position kept. */
function merged(defines: readonly MacroDefinition[]): MacroDefinition[] {
  const map = new Map<string, MacroDefinition>();
  for (const item of defines) map.set(item.name, item);
  return [...map.values()];
}

const asDefinition = (item: MacroDefinition): MacroDefinition =>
  item.value === undefined ? { name: item.name } : { name: item.name, value: item.value };

describe("round trip properties", () => {
  test("defines round-trip or are reported unsafe", () => {
    fc.assert(
      fc.property(fc.array(define, { maxLength: 8 }), (defines) => {
        const list = defineList(defines);
        const unsafeNames = new Set(list.unsafe.map((item) => item.name));
        for (const item of list.unsafe) {
          const value = item.value ?? "";
          expect(value.includes("''") || findControlCharacter(value) >= 0).toBe(true);
        }
        if (list.elements.length === 0) return;

        const result = renderCommand(
          { verb: "CC", qualifiers: [{ name: "DEFINE", value: list.elements }], parameters: ["x.c"] },
          { limits: EXTENDED_LIMITS },
        );
        if ("error" in result) {
          expect(["token-too-long", "record-too-long", "command-too-long"]).toContain(result.error.code);
          return;
        }
        const text = `${result.lines.join("\n")}\n`;
        expect(checkProcedure(text, { limits: EXTENDED_LIMITS })).toEqual([]);

        const parsed = parseCommand(text).qualifiers[0]?.values.map((value) =>
          parseDefineElement(value.text),
        );
        const expected = merged(defines)
          .filter((item) => !unsafeNames.has(item.name))
          .map(asDefinition);
        expect(parsed).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  test("include paths round-trip", () => {
    fc.assert(
      fc.property(fc.array(trickyString, { maxLength: 6 }), (paths) => {
        const list = includeDirectoryList(paths);
        if (list.elements.length === 0) return;
        const result = renderCommand(
          { verb: "CC", qualifiers: [{ name: "INCLUDE_DIRECTORY", value: list.elements }] },
          { limits: EXTENDED_LIMITS },
        );
        if ("error" in result) return;
        const text = `${result.lines.join("\n")}\n`;
        expect(checkProcedure(text, { limits: EXTENDED_LIMITS })).toEqual([]);
        const unsafe = new Set(list.unsafe.map((item) => item.value));
        const expected = [...new Set(paths)].filter((path) => !unsafe.has(path));
        const parsed = parseCommand(text).qualifiers[0]?.values.map((value) => value.text);
        // Bare values are upper-case already, so unquoting gives back the input.
        expect(parsed).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  test("file names round-trip as parameters", () => {
    fc.assert(
      fc.property(fc.array(trickyString, { minLength: 1, maxLength: 40 }), (names) => {
        const safe = names.filter((name) => !("unsafe" in quoteValue(name)));
        if (safe.length === 0) return;
        const result = renderCommand(
          { verb: "LIBRARY", parameters: [{ elements: safe }] },
          { width: 60, limits: EXTENDED_LIMITS },
        );
        if ("error" in result) return;
        const text = `${result.lines.join("\n")}\n`;
        expect(checkProcedure(text, { limits: EXTENDED_LIMITS })).toEqual([]);
        const parsed = parseCommand(text).parameters[0]?.elements.map((element) => element.value.text);
        expect(parsed).toEqual(safe);
      }),
      { numRuns: 300 },
    );
  });

  test("long lists wrap within width", () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,30}\.OBJ$/), { minLength: 1, maxLength: 60 }),
        (names) => {
          const result = renderCommand(
            { verb: "LINK", parameters: [{ elements: names }] },
            { width: 72, limits: EXTENDED_LIMITS },
          );
          if ("error" in result) throw new Error(result.error.message);
          for (const record of result.lines) expect(record.length).toBeLessThanOrEqual(72);
          const parsed = parseCommand(result.lines.join("\n")).parameters[0]?.elements.map(
            (element) => element.value.text,
          );
          expect(parsed).toEqual(names);
        },
      ),
      { numRuns: 200 },
    );
  });
});
