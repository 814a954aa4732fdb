import { describe, expect, it } from "vitest";
import { readHeader, writeHeader } from "../../src/adapt/index.js";

describe("readHeader", () => {
  it("reads autoconf define and commented undef", () => {
    const header = readHeader("#define HAVE_FORK 1\n/* #undef HAVE_POLL */\n");
    expect(header.macros.map((macro) => [macro.name, macro.form, macro.value])).toEqual([
      ["HAVE_FORK", "define", "1"],
      ["HAVE_POLL", "commented-undef", ""],
    ]);
  });

  it("keeps blanks between # and the directive", () => {
    const [macro] = readHeader("#  if X\n/* #  undef WORDS_BIGENDIAN */\n#  endif\n").macros;
    expect(macro?.indent).toBe("  ");
  });

  it("counts the depth of #if blocks", () => {
    const header = readHeader("#ifndef G\n#define G\n#ifdef X\n#define A 1\n#endif\n#define B 1\n#endif\n");
    expect(header.macros.map((macro) => `${macro.name}:${macro.depth}`)).toEqual(["G:1", "A:2", "B:1"]);
  });

  it("records the enclosing tests", () => {
    const header = readHeader("#ifdef X\n#if Y > 1 /* why */\n#define A 1\n#endif\n#endif\n");
    expect(header.macros[0]?.conditionals).toEqual([
      { test: "defined X", pastElse: false },
      { test: "Y > 1", pastElse: false },
    ]);
  });

  it("marks lines after #else", () => {
    const header = readHeader("#ifndef X\n#define A 1\n#else\n#define B 1\n#endif\n");
    expect(header.macros.map((macro) => macro.conditionals[0]?.pastElse)).toEqual([false, true]);
  });

  it("marks lines after #elif", () => {
    const header = readHeader("#if X\n#define A 1\n#elif Y\n#define B 1\n#endif\n");
    expect(header.macros[1]?.conditionals).toEqual([{ test: "X", pastElse: true }]);
  });

  it("joins backslash continuation lines", () => {
    const [macro] = readHeader("#define LIST a, \\\n  b\n").macros;
    expect(macro?.count).toBe(2);
    expect(macro?.value).toBe("a,    b");
  });

  it("ignores directives inside block comments", () => {
    const header = readHeader("/* Example:\n#define NOT_A_MACRO 1\n*/\n#define REAL 1\n");
    expect(header.macros.map((macro) => macro.name)).toEqual(["REAL"]);
  });

  it("drops a trailing comment from the value", () => {
    const [macro] = readHeader('#define PACKAGE "a/*b" /* the name */\n').macros;
    expect(macro?.value).toBe('"a/*b"');
  });

  it("marks function-like macros", () => {
    const [macro] = readHeader("#define MAX(a, b) ((a) > (b) ? (a) : (b))\n").macros;
    expect(macro?.functionLike).toBe(true);
  });

  it("reads cmake template lines", () => {
    const header = readHeader("#cmakedefine HAVE_FORK 1\n#cmakedefine01 HAVE_POLL\n");
    expect(header.form).toBe("cmake-template");
    expect(header.macros.map((macro) => macro.form)).toEqual(["cmakedefine", "cmakedefine01"]);
  });

  it("finds a guard after a leading comment block", () => {
    const header = readHeader("/* licence\n * text\n */\n\n#ifndef CONF_H\n#define CONF_H\n#endif\n");
    expect(header.guard).toEqual({ name: "CONF_H", defineIndex: 5 });
  });

  it("finds no guard when code comes first", () => {
    expect(readHeader("#define A 1\n#ifndef G\n#define G\n#endif\n").guard).toBeUndefined();
  });

  it("round-trips CRLF text unchanged", () => {
    const text = "/* x */\r\n#define A 1\r\n";
    const header = readHeader(text);
    expect(writeHeader(header.lines, header.eol, header.finalNewline)).toBe(text);
  });

  it("round-trips text without final newline", () => {
    const header = readHeader("#define A 1");
    expect(writeHeader(header.lines, header.eol, header.finalNewline)).toBe("#define A 1");
  });
});
