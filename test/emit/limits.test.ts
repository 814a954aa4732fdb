import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { Translator } from "../../src/emit/translate.js";
import { UserError } from "../../src/util/errors.js";
import { compileStep, options } from "./steps.js";

/** A compile whose include list cannot fit a small command limit, with a define that needs a header. */
const longCompile = compileStep({
  includes: Array.from({ length: 12 }, (_, index) => ({
    path: `include/directory_number_${index}`,
    kind: "I" as const,
  })),
  defines: [{ name: "QUOTED", value: "it''s" }],
});

describe("command limit", () => {
  it("writes no header for a failed compile", () => {
    const plan = Translator.translate(
      [longCompile],
      options({ limits: { ...DEFAULT_LIMITS, maxCommand: 300 } }),
    );
    expect(plan.steps[0]?.disposition).toBe("not-translated");
    expect(plan.files).toEqual([]);
  });

  it("writes the header of a compile that fits", () => {
    const plan = Translator.translate([longCompile], options());
    expect(plan.files.map((file) => file.kind)).toEqual(["header"]);
  });

  it("rejects a limit below the shared qualifiers", () => {
    expect(() =>
      Translator.translate([compileStep()], options({ limits: { ...DEFAULT_LIMITS, maxCommand: 150 } })),
    ).toThrow(UserError);
  });

  it("states the accepted range", () => {
    let hint: string | undefined;
    try {
      Translator.translate([compileStep()], options({ limits: { ...DEFAULT_LIMITS, maxCommand: 150 } }));
    } catch (error) {
      hint = (error as UserError).hint;
    }
    expect(hint).toMatch(/from \d+ to 4096/);
  });
});
