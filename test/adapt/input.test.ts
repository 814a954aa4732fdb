import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeConfigHeader } from "../../src/adapt/index.js";
import { UserError } from "../../src/util/errors.js";

const bytes = (text: string) => Buffer.from(text, "utf8");

function rejection(input: Uint8Array): UserError {
  try {
    decodeConfigHeader(input, "input.h");
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("the input was accepted");
}

describe("decodeConfigHeader", () => {
  it.each([
    ["#define", "#define HAVE_FORK 1\n"],
    ["#undef", "#undef HAVE_FORK\n"],
    ["commented #undef", "/* #undef HAVE_FORK */\n"],
    ["#cmakedefine", "#cmakedefine HAVE_FORK 1\n"],
    ["#cmakedefine01", "#cmakedefine01 HAVE_FORK\n"],
  ])("accepts %s", (_form, text) => {
    expect(decodeConfigHeader(bytes(text), "config.h")).toBe(text);
  });

  it("accepts the autoconf fixture", () => {
    const text = readFileSync(new URL("../../fixtures/adapt/autoconf/config.h", import.meta.url));
    expect(decodeConfigHeader(text, "config.h")).toContain("HAVE_FORK");
  });

  it("rejects an ELF executable", () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]);
    expect(rejection(elf).message).toBe("input is binary data, not a config.h (NUL byte at offset 7)");
  });

  it("rejects a NUL after macro lines", () => {
    expect(rejection(bytes("#define HAVE_FORK 1\n\0")).message).toMatch(/binary data/);
  });

  it("rejects a C source", () => {
    const source = '#include <stdio.h>\n\nint main(void)\n{\n    puts("hi");\n    return 0;\n}\n';
    expect(rejection(bytes(source)).message).toBe(
      "input has no config.h macro lines, so there is nothing to adjust",
    );
  });

  it("rejects empty input", () => {
    expect(rejection(bytes("")).message).toBe("input is empty, so there is nothing to adjust");
  });

  it("rejects a header with only its guard", () => {
    expect(rejection(bytes("#ifndef CONFIG_H\n#define CONFIG_H\n#endif\n")).message).toMatch(
      /no config.h macro lines/,
    );
  });

  it("names the file", () => {
    expect(rejection(bytes("int x;\n")).location).toEqual({ file: "input.h" });
  });

  it("says what was expected", () => {
    expect(rejection(bytes("int x;\n")).hint).toMatch(
      /#define, #undef, \/\* #undef NAME \*\/ or #cmakedefine/,
    );
  });
});
