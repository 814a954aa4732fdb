import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TargetSettings } from "../../src/adapt/index.js";
import {
  adjustHeader,
  buildKnowledgeBase,
  crtlVersionNumber,
  loadCrtlKnowledgeBase,
  parseCrtlRuleFile,
  stripComments,
} from "../../src/adapt/index.js";

const knowledge = loadCrtlKnowledgeBase();
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/adapt/${name}`, import.meta.url), "utf8");
const adjust = (text: string, settings: TargetSettings = {}) => adjustHeader(text, knowledge, settings);
const rewrites = (text: string) => adjust(text).report.changes.filter((change) => change.kind !== "added");

describe("crtlVersionNumber", () => {
  it.each([
    ["7.3-1", 70301000],
    ["7.3-2", 70302000],
    ["8.3", 80300000],
    ["8.4-2L1", 80402000],
    ["9.2-2", 90202000],
  ])("converts %s", (version, expected) => {
    expect(crtlVersionNumber(version)).toBe(expected);
  });

  it("rejects a malformed version", () => {
    expect(() => crtlVersionNumber("V8")).toThrow(/invalid OpenVMS version/);
  });
});

describe("adjustHeader on fixtures", () => {
  it.each([
    ["autoconf/config.h", {}, "autoconf/expected-any.h"],
    [
      "autoconf/config.h",
      { vmsVersion: "8.4", pointerSize: 32, target: "ia64" },
      "autoconf/expected-8.4-p32.h",
    ],
    ["cmake/config.h", {}, "cmake/expected-any.h"],
    [
      "cmake-template/config.h.cmake",
      { vmsVersion: "8.2", pointerSize: 64 },
      "cmake-template/expected-8.2-p64.h",
    ],
  ] as const)("adjusts %s with %o", (input, settings, expected) => {
    expect(adjust(fixture(input), settings).text).toBe(fixture(expected));
  });

  it("keeps every line it does not change", () => {
    const input = fixture("autoconf/config.h");
    const output = adjust(input).text;
    const changed = new Set(
      adjust(input)
        .report.changes.filter((change) => change.before)
        .map((change) => change.before),
    );
    for (const line of input.split("\n")) {
      if (!changed.has(line)) expect(output.split("\n")).toContain(line);
    }
  });

  it("reports each change with its rule and source", () => {
    const change = adjust(fixture("autoconf/config.h")).report.changes.find(
      (entry) => entry.macro === "HAVE_FORK",
    );
    expect(change).toMatchObject({ ruleId: "have-fork", kind: "undefined", line: 19 });
    expect(change?.source).toMatch(/vfork/);
  });

  it("lists unknown configure results for review", () => {
    const review = adjust(fixture("autoconf/config.h")).report.review;
    expect(review.find((item) => item.macro === "HAVE_FROBNICATE")?.category).toBe("undefined-test");
    expect(review.find((item) => item.macro === "DEMO_FEATURE")?.category).toBe("project-setting");
  });

  it("writes a closing comment naming unknown tests", () => {
    const text = adjust("#define HAVE_WIDGET 1\n").text;
    expect(text).toContain("configure results the CRTL knowledge base does not decide");
    expect(text).toContain("   HAVE_WIDGET\n");
  });
});

describe("adjustHeader decisions", () => {
  it("undefines an absent function", () => {
    expect(stripComments(adjust("#define HAVE_FORK 1\n").text)).toContain("/* #undef HAVE_FORK */");
  });

  it("defines a present header", () => {
    expect(stripComments(adjust("/* #undef HAVE_UNISTD_H */\n").text)).toContain("#define HAVE_UNISTD_H 1");
  });

  it("decides a version entry with --vms-version", () => {
    const text = adjust("#define HAVE_SYMLINK 1\n", { vmsVersion: "8.2" }).text;
    expect(stripComments(text)).toContain("/* #undef HAVE_SYMLINK */");
  });

  it("writes a __CRTL_VER test without a version", () => {
    expect(adjust("#define HAVE_SYMLINK 1\n").text).toContain(
      "#if __CRTL_VER >= 80300000\n#define HAVE_SYMLINK 1\n#else",
    );
  });

  it("keeps the 0 and 1 convention of HAVE_DECL macros", () => {
    expect(stripComments(adjust("#define HAVE_DECL_STRLCPY 1\n").text)).toContain(
      "#define HAVE_DECL_STRLCPY 0",
    );
  });

  it("keeps the input value of a present macro", () => {
    expect(rewrites("#define HAVE_GETTIMEOFDAY 1\n")).toEqual([]);
  });

  it("resolves a cmakedefine with a placeholder value", () => {
    expect(
      stripComments(adjust(`#cmakedefine HAVE_POLL $${"{HAVE_POLL}"}\n`, { vmsVersion: "8.4" }).text),
    ).toContain("#define HAVE_POLL 1");
  });

  it("leaves function-like macros alone", () => {
    expect(rewrites("#define HAVE_FORK(x) x\n")).toEqual([]);
  });

  it("matches a macro family by pattern", () => {
    expect(stripComments(adjust("#define HAVE_LINUX_PERF_EVENT_H 1\n").text)).toContain(
      "/* #undef HAVE_LINUX_PERF_EVENT_H */",
    );
  });

  it("inserts feature macros after the guard", () => {
    const lines = adjust("#ifndef C_H\n#define C_H\n#define A 1\n#endif\n").text.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "#ifndef C_H",
      "#define C_H",
      expect.stringContaining("vmsport:"),
      "#ifndef _USE_STD_STAT",
    ]);
  });

  it("adds no feature macro the header defines", () => {
    const text = adjust("#define _LARGEFILE 1\n").text;
    expect(text.match(/define _LARGEFILE/g)).toHaveLength(1);
  });

  it("keeps CRLF line endings", () => {
    expect(adjust("#define HAVE_FORK 1\r\n").text).not.toMatch(/[^\r]\n/);
  });

  it("uses a target test when no target is given", () => {
    const rule = parseCrtlRuleFile(
      [
        "kind: crtl",
        "rules:",
        "  - id: have-demo",
        "    kind: function",
        "    macro: HAVE_DEMO",
        "    title: demo",
        "    source: test",
        "    cases:",
        "      - when: { targets: [x86_64] }",
        "        status: present",
        "      - status: absent",
        "    examples: [{ input: '', output: '' }]",
      ].join("\n"),
      "demo.yaml",
    );
    const base = buildKnowledgeBase(rule);
    expect(adjustHeader("#define HAVE_DEMO 1\n", base, {}).text).toContain("#if defined __x86_64\n");
    expect(stripComments(adjustHeader("#define HAVE_DEMO 1\n", base, { target: "alpha" }).text)).toBe(
      "/* #undef HAVE_DEMO */",
    );
  });
});

describe("adjustHeader Apple universal-build branch", () => {
  const bigEndianBlock = (elseBranch: string) =>
    [
      "#if defined AC_APPLE_UNIVERSAL_BUILD",
      "# if defined __BIG_ENDIAN__",
      "#  define WORDS_BIGENDIAN 1",
      "# endif",
      "#else",
      "# ifndef WORDS_BIGENDIAN",
      elseBranch,
      "# endif",
      "#endif",
      "",
    ].join("\n");

  it("keeps the Apple branch", () => {
    const text = adjust(bigEndianBlock("/* #  undef WORDS_BIGENDIAN */")).text;
    expect(text).toContain(
      "#if defined AC_APPLE_UNIVERSAL_BUILD\n# if defined __BIG_ENDIAN__\n#  define WORDS_BIGENDIAN 1\n",
    );
  });

  it("counts no change on little-endian output", () => {
    expect(rewrites(bigEndianBlock("/* #  undef WORDS_BIGENDIAN */"))).toEqual([]);
  });

  it("rewrites the else branch", () => {
    const changes = rewrites(bigEndianBlock("#  define WORDS_BIGENDIAN 1"));
    expect(changes.map((change) => change.line)).toEqual([7]);
  });

  it("rewrites after the branch ends", () => {
    const changes = rewrites(`${bigEndianBlock("/* #  undef WORDS_BIGENDIAN */")}#define HAVE_FORK 1\n`);
    expect(changes.map((change) => change.macro)).toEqual(["HAVE_FORK"]);
  });

  it.each([
    "#ifdef AC_APPLE_UNIVERSAL_BUILD",
    "#if defined(AC_APPLE_UNIVERSAL_BUILD)",
    "# if defined AC_APPLE_UNIVERSAL_BUILD /* universal */",
  ])("recognises %s", (opening) => {
    expect(rewrites(`${opening}\n#define WORDS_BIGENDIAN 1\n#endif\n`)).toEqual([]);
  });

  it("rewrites under another test", () => {
    expect(
      rewrites("#if defined AC_APPLE_UNIVERSAL_BUILD_X\n#define WORDS_BIGENDIAN 1\n#endif\n"),
    ).toHaveLength(1);
  });

  it("real config.h: WORDS_BIGENDIAN unchanged", () => {
    const changes = adjust(fixture("autoconf/config.h")).report.changes;
    expect(changes.map((change) => change.macro)).not.toContain("WORDS_BIGENDIAN");
  });
});

describe("adjustHeader properties", () => {
  const macroName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/);
  const line = fc.oneof(
    macroName.map((name) => `#define ${name} 1`),
    macroName.map((name) => `/* #undef ${name} */`),
    fc.constantFrom(
      "#define HAVE_FORK 1",
      "#define HAVE_POLL 1",
      "#define SIZEOF_LONG 8",
      "/* #undef HAVE_UNISTD_H */",
    ),
    fc.constantFrom("", "/* comment */", "#ifdef X", "#endif", "int x;"),
  );
  const headerText = fc.array(line, { maxLength: 30 }).map((lines) => `${lines.join("\n")}\n`);
  const settings = fc.record(
    {
      vmsVersion: fc.constantFrom("7.3-2", "8.2", "8.4", "9.2-2"),
      pointerSize: fc.constantFrom(32 as const, 64 as const),
    },
    { requiredKeys: [] },
  );

  it("is idempotent", () => {
    fc.assert(
      fc.property(headerText, settings, (text, target) => {
        const once = adjust(text, target).text;
        expect(adjust(once, target).text).toBe(once);
      }),
    );
  });

  it("keeps lines that name no known macro", () => {
    fc.assert(
      fc.property(headerText, (text) => {
        const output = adjust(text).text.split("\n");
        for (const original of text.split("\n")) {
          if (/HAVE_FORK|HAVE_POLL|SIZEOF_LONG|HAVE_UNISTD_H/.test(original)) continue;
          if (knowledge.byMacro.has(original.match(/[A-Z][A-Z0-9_]+/)?.[0] ?? "")) continue;
          expect(output).toContain(original);
        }
      }),
    );
  });
});
