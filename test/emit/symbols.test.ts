import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  gsmatch,
  parseExportList,
  parseVersionScript,
  shortenedName,
  symbolVector,
} from "../../src/emit/symbols.js";
import { UserError } from "../../src/util/errors.js";

describe("shortenedName", () => {
  // Both pairs are the documented results of CC/NAMES=(SHORTENED,AS_IS) and CC/NAMES=SHORTENED.
  it("matches the compiler for AS_IS", () => {
    expect(shortenedName("Please_forgive_this_absurdly_long_symbol_name", true)).toBe(
      "Please_forgive_this_abs3rv8rnn$",
    );
  });

  it("matches the compiler for upper case", () => {
    expect(shortenedName("Please_forgive_this_absurdly_long_symbol_name", false)).toBe(
      "PLEASE_FORGIVE_THIS_ABS1ARO4QU$",
    );
  });

  it("keeps short names", () => {
    expect(shortenedName("short_name", true)).toBe("short_name");
  });

  it("always yields 31 characters for long names", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{31,80}$/), (name) => {
        expect(shortenedName(name, true)).toHaveLength(31);
      }),
    );
  });
});

describe("parseVersionScript", () => {
  it("reads global names of every node", () => {
    const text = "/* c */ A_1 { global: one; two; local: *; }; A_2 { three; } A_1;";
    expect(parseVersionScript(text, "v.map").list.symbols.map((symbol) => symbol.name)).toEqual([
      "one",
      "two",
      "three",
    ]);
  });

  it("reports wildcards", () => {
    expect(parseVersionScript("{ global: api_*; local: *; };", "v.map").patterns).toEqual(["api_*"]);
  });

  it("skips local names", () => {
    expect(parseVersionScript("{ local: hidden; global: shown; };", "v.map").list.symbols).toEqual([
      { name: "shown", type: "PROCEDURE" },
    ]);
  });
});

describe("parseExportList", () => {
  it("reads plain names", () => {
    expect(parseExportList("alpha\n# comment\nbeta DATA\n", "e.txt").symbols).toEqual([
      { name: "alpha", type: "PROCEDURE" },
      { name: "beta", type: "DATA" },
    ]);
  });

  it("reads nm output", () => {
    const text =
      "0000000000000000 A V_1.0\n0000000000004040 B counter\n0000000000001120 T run\n                 U printf\n";
    expect(parseExportList(text, "e.nm").symbols).toEqual([
      { name: "counter", type: "DATA" },
      { name: "run", type: "PROCEDURE" },
    ]);
  });

  it("rejects an invalid line with its number", () => {
    try {
      parseExportList("good\nnot a name list\n", "e.txt");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).location).toEqual({ file: "e.txt", line: 2 });
    }
  });
});

describe("symbolVector", () => {
  it("adds an upper-case alias", () => {
    expect(symbolVector([{ name: "run", type: "PROCEDURE" }])).toEqual([
      "SYMBOL_VECTOR=(run=PROCEDURE, -\n    RUN/run=PROCEDURE)",
    ]);
  });

  it("uses shortened names over 31 characters", () => {
    const [line] = symbolVector([
      { name: "Please_forgive_this_absurdly_long_symbol_name", type: "PROCEDURE" },
    ]);
    expect(line).toContain("PLEASE_FORGIVE_THIS_ABS1ARO4QU$/Please_forgive_this_abs3rv8rnn$=PROCEDURE");
  });

  it("splits long vectors into several statements", () => {
    const symbols = Array.from({ length: 200 }, (_, index) => ({
      name: `function_number_${index}`,
      type: "PROCEDURE" as const,
    }));
    const lines = symbolVector(symbols);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(1000);
  });
});

describe("gsmatch", () => {
  it("takes major from the soname and minor from the file", () => {
    expect(gsmatch("libz.so.1", "libz.so.1.3.1")).toBe("GSMATCH=LEQUAL,1,3");
  });

  it("is absent without a version", () => {
    expect(gsmatch(undefined, "libz.so")).toBeUndefined();
  });
});
