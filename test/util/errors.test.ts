import { describe, expect, it } from "vitest";
import { formatLocation, formatUserError, UserError } from "../../src/util/errors.js";

describe("formatLocation", () => {
  it("joins file, line and column", () => {
    expect(formatLocation({ file: "build.log", line: 3, column: 7 })).toBe("build.log:3:7");
  });

  it("names standard input for -", () => {
    expect(formatLocation({ file: "-", line: 3 })).toBe("standard input:3");
  });
});

describe("formatUserError", () => {
  it("puts the hint on its own line", () => {
    const error = new UserError("bad value", { location: { file: "a.yaml" }, hint: "Use a number." });
    expect(formatUserError(error)).toBe("a.yaml: bad value\n  Use a number.");
  });
});
