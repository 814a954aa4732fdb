import { describe, expect, test } from "vitest";
import { defineList, includeDirectoryList, quoteValue, stringLiteral } from "../../src/dcl/index.js";

describe("quoteValue", () => {
  test("upper-case file spec stays bare", () => {
    expect(quoteValue("SYS$LIBRARY:[DEMO]MAIN.OBJ;1")).toEqual({
      text: "SYS$LIBRARY:[DEMO]MAIN.OBJ;1",
      quoted: false,
    });
  });

  test("lower case is quoted", () => {
    expect(quoteValue("main.c")).toEqual({ text: '"main.c"', quoted: true });
  });

  test("lower case bare with foldCase", () => {
    expect(quoteValue("main.c", { foldCase: true })).toEqual({ text: "main.c", quoted: false });
  });

  test.each([
    ["A B", '"A B"'],
    ["A,B", '"A,B"'],
    ["/usr/include", '"/usr/include"'],
    ["F(X)", '"F(X)"'],
    ["A=B", '"A=B"'],
    ["A!B", '"A!B"'],
    ["A+B", '"A+B"'],
    ["&SYM", '"&SYM"'],
    ["CAFÉ", '"CAFÉ"'],
    ["TRAILING-", '"TRAILING-"'],
    ["", '""'],
  ])("special %j is quoted", (value, expected) => {
    expect(quoteValue(value)).toEqual({ text: expected, quoted: true });
  });

  test("inner quotes are doubled", () => {
    expect(quoteValue('say "hi"')).toEqual({ text: '"say ""hi"""', quoted: true });
  });

  test("single apostrophe is quoted", () => {
    expect(quoteValue("it's")).toEqual({ text: `"it's"`, quoted: true });
  });

  test("two apostrophes are unsafe", () => {
    expect(quoteValue("a''b")).toHaveProperty("unsafe");
  });

  test("newline is unsafe", () => {
    expect(quoteValue("a\nb")).toHaveProperty("unsafe");
  });
});

describe("stringLiteral", () => {
  test("upper case is still quoted", () => {
    expect(stringLiteral("ABC")).toEqual({ text: '"ABC"', quoted: true });
  });

  test("two apostrophes are unsafe", () => {
    expect(stringLiteral("''X'")).toHaveProperty("unsafe");
  });
});

describe("defineList", () => {
  test("simple definitions stay bare", () => {
    const result = defineList([{ name: "HAVE_CONFIG_H", value: "1" }, { name: "_LARGEFILE" }]);
    expect(result.elements.map((element) => element.text)).toEqual(["HAVE_CONFIG_H=1", "_LARGEFILE"]);
  });

  test("string value doubles quotes", () => {
    const result = defineList([{ name: "VERSION", value: '"1.2"' }]);
    expect(result.elements[0]?.text).toBe('"VERSION=""1.2"""');
  });

  test("lower-case name is quoted", () => {
    const result = defineList([{ name: "have_foo" }]);
    expect(result.elements[0]?.text).toBe('"have_foo"');
  });

  test("function-like macro is quoted", () => {
    const result = defineList([{ name: "funct(a)", value: "a+sin(a)" }]);
    expect(result.elements[0]?.text).toBe('"funct(a)=a+sin(a)"');
  });

  test("later definition wins", () => {
    const result = defineList([{ name: "A", value: "1" }, { name: "B" }, { name: "A", value: "2" }]);
    expect(result.elements.map((element) => element.text)).toEqual(["A=2", "B"]);
  });

  test("names are case-sensitive", () => {
    const result = defineList([{ name: "a" }, { name: "A" }]);
    expect(result.elements).toHaveLength(2);
  });

  test("apostrophe pair goes to unsafe", () => {
    const result = defineList([{ name: "Q", value: "''" }, { name: "OK" }]);
    expect(result.unsafe.map((define) => define.name)).toEqual(["Q"]);
  });

  test("remaining definitions kept beside unsafe", () => {
    const result = defineList([{ name: "Q", value: "''" }, { name: "OK" }]);
    expect(result.elements.map((element) => element.text)).toEqual(["OK"]);
  });

  test("invalid name goes to unsafe", () => {
    const result = defineList([{ name: "1BAD" }]);
    expect(result.unsafe[0]?.reason).toMatch(/not a valid C macro name/);
  });

  test("empty value is quoted", () => {
    const result = defineList([{ name: "EMPTY", value: "" }]);
    expect(result.elements[0]?.text).toBe('"EMPTY="');
  });
});

describe("includeDirectoryList", () => {
  test("order kept and duplicates dropped", () => {
    const result = includeDirectoryList(["[.INC]", "/usr/include", "[.INC]", ""]);
    expect(result.elements.map((element) => element.text)).toEqual(["[.INC]", '"/usr/include"', '""']);
  });

  test("unsafe directory reported", () => {
    const result = includeDirectoryList(["x''y"]);
    expect(result.unsafe).toHaveLength(1);
  });
});
