import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeConfigHeader, findCode } from "../../src/adapt/index.js";
import { UserError } from "../../src/util/errors.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/config/${name}`, import.meta.url));

function rejection(input: Uint8Array, file = "input.h"): UserError {
  try {
    decodeConfigHeader(input, file);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("the input was accepted");
}

describe("decodeConfigHeader on generated headers", () => {
  it.each([
    ["autoconf", "autoconf-probe/config.h"],
    ["cmake configure_file", "cmake-probe/config.h"],
    ["cmake template", "cmake-probe/config.h.cmake"],
    ["meson configure_file", "meson-probe/config.h"],
    ["hand-written", "hand-written/config_vms.h"],
  ])("accepts the %s header", (_kind, name) => {
    const bytes = fixture(name);
    expect(decodeConfigHeader(bytes, name)).toBe(bytes.toString("utf8"));
  });
});

describe("decodeConfigHeader on C code", () => {
  it("rejects a source with macros", () => {
    expect(rejection(fixture("not-config/event-loop.c")).message).toBe(
      'input is C code, not a config.h: function definition "loop_add"',
    );
  });

  it("points at the function", () => {
    expect(rejection(fixture("not-config/event-loop.c"), "event-loop.c").location).toEqual({
      file: "event-loop.c",
      line: 15,
    });
  });

  it("rejects a macro and main", () => {
    expect(rejection(fixture("not-config/max.c")).message).toBe(
      'input is C code, not a config.h: function definition "main"',
    );
  });

  it("rejects an initialized table", () => {
    expect(rejection(fixture("not-config/tables.c")).message).toBe(
      'input is C code, not a config.h: definition of "weights" with an initializer',
    );
  });

  it("rejects an interface header", () => {
    expect(rejection(fixture("not-config/api.h")).message).toBe(
      "input is C code, not a config.h: 5 declarations outside preprocessor lines, more than its 1 macro lines",
    );
  });

  it("says what to give instead", () => {
    expect(rejection(fixture("not-config/max.c")).hint).toMatch(
      /Give the config.h that configure or cmake wrote/,
    );
  });
});

describe("findCode", () => {
  it.each([
    ["a K&R definition", "#define X 1\nint f(a)\nint a;\n{ return a; }\n", 4],
    ["a definition after extern C", '#define X 1\nextern "C" {\nint f(void) { return 0; }\n}\n', 3],
    ["a statement at file scope", "#define X 1\nx = 2;\n", 2],
    ["prose", "#define X 1\nthis is not a header at all\n", 2],
  ])("finds %s", (_case, text, line) => {
    expect(findCode(text, 1)?.line).toBe(line);
  });

  it.each([
    ["a typedef of a struct", "#define X 1\ntypedef struct { int a; } pair;\n"],
    ["an enum with values", "#define X 1\nenum { A = 1, B = 2 };\n"],
    ["a prototype", "#define X 1\nint setenv(const char *, const char *, int);\n"],
    ["braces in a comment", "#define X 1\n/* int f(void) { return 0; } */\n"],
    ["braces in a macro", "#define X 1\n#define F(x) do { (x) = 1; } while (0)\n"],
    ["a continued macro", "#define X 1\n#define LONG \\\n  int f(void) { return 0; }\n"],
    ["a trailing guard macro", "#define X 1\n__END_DECLS\n"],
  ])("accepts %s", (_case, text) => {
    expect(findCode(text, 1)).toBeUndefined();
  });

  it("never throws", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        findCode(text, 1);
      }),
    );
  });

  it("accepts every macro-only text", () => {
    const line = fc.constantFrom(
      "#define A 1",
      "/* #undef B */",
      "#undef C",
      "",
      "/* note { ; } */",
      "#if X",
      "#endif",
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        expect(findCode(lines.join("\n"), 1)).toBeUndefined();
      }),
    );
  });

  it("scans a long source in linear time", () => {
    const body = "static int f%(int a) { return a + %; }\n";
    const text = Array.from({ length: 20_000 }, (_, i) => body.replaceAll("%", String(i))).join("");
    const start = performance.now();
    findCode(`prefix words ${"word ".repeat(5000)}${text}`, 1);
    findCode(`#define X 1\nint (x) ${"identifier".repeat(40)} = { 0 };\n`, 1);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
