import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type DclCommand, type DclQualifier, raw, renderCommand, symbol } from "../../src/dcl/index.js";

const word = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,14}$/);

/** Qualifiers with list values, shared between commands as a translator shares them between compiles. */
const sharedQualifiers = fc.array(
  fc.oneof(
    fc
      .array(word, { minLength: 1, maxLength: 12 })
      .map((names): DclQualifier => ({ name: "DEFINE", value: names.map((name) => raw(name)) })),
    fc
      .array(word, { minLength: 1, maxLength: 8 })
      .map(
        (names): DclQualifier => ({ name: "INCLUDE_DIRECTORY", value: names.map((name) => `[.${name}]`) }),
      ),
    fc.constantFrom<DclQualifier>({ name: "OPTIMIZE" }, { name: "DEBUG", negated: true }),
  ),
  { minLength: 1, maxLength: 5 },
);

const commandShape = fc.record({
  verb: fc.constantFrom("CC", "CXX"),
  /** Bit i set: the command uses the pool's qualifier i. */
  mask: fc.nat(),
  object: word,
  source: word,
  width: fc.constantFrom(undefined, 60, 80),
});

function errorCode(result: ReturnType<typeof renderCommand>): string | undefined {
  return "error" in result ? result.error.code : undefined;
}

describe("shared command layout", () => {
  test("renders as a fresh copy does", () => {
    fc.assert(
      fc.property(
        sharedQualifiers,
        fc.array(commandShape, { minLength: 2, maxLength: 16 }),
        (pool, shapes) => {
          const symbolValues = { CC_QUALIFIERS: "/NOLIST", CXX_QUALIFIERS: "/NOLIST/STANDARD=LATEST" };
          for (const shape of shapes) {
            const command: DclCommand = {
              verb: shape.verb,
              qualifiers: [
                ...pool.filter((_, index) => (shape.mask >> index) & 1),
                { name: "OBJECT", value: `${shape.object}.OBJ` },
              ],
              parameters: [symbol(`${shape.verb}_QUALIFIERS`), `${shape.source}.C`],
            };
            const options = { symbolValues, ...(shape.width === undefined ? {} : { width: shape.width }) };
            expect(renderCommand(command, options)).toEqual(renderCommand(structuredClone(command), options));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test("reports the command limit for a shared prefix", () => {
    const defines: DclQualifier = {
      name: "DEFINE",
      value: Array.from({ length: 60 }, (_, i) => raw(`NAME_${i}`)),
    };
    const options = { limits: { maxCommand: 512, maxRecord: 255, maxToken: 255 } };
    const first = renderCommand({ verb: "CC", qualifiers: [defines], parameters: ["A.C"] }, options);
    const second = renderCommand({ verb: "CC", qualifiers: [defines], parameters: ["B.C"] }, options);
    expect(errorCode(first)).toBe("command-too-long");
    expect(errorCode(second)).toBe("command-too-long");
  });
});
