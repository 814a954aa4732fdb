import { describe, expect, it } from "vitest";
import { baseFacts, type ExpressionToken, evaluateCondition } from "../../src/scan/conditions.js";
import { globToRegExp } from "../../src/scan/select.js";
import { parseDirective } from "../../src/scan/suppression.js";
import { ods2Problem, ods5Problem } from "../../src/scan/tree-checks.js";
import { compareVersions, crtlVersionNumber } from "../../src/scan/versions.js";

/** Split a #if expression into tokens, enough for these tests. */
function tokens(expression: string): ExpressionToken[] {
  const pattern =
    /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+[uUlL]*)|(&&|\|\||==|!=|<=|>=|<<|>>|[-+*/%<>!~()?:&|^]))/y;
  const list: ExpressionToken[] = [];
  for (let match = pattern.exec(expression); match; match = pattern.exec(expression)) {
    if (match[1]) list.push({ kind: "ident", text: match[1] });
    else if (match[2]) list.push({ kind: "number", text: match[2] });
    else if (match[3]) list.push({ kind: "punct", text: match[3] });
  }
  return list;
}

describe("condition evaluation", () => {
  const facts = baseFacts({ vmsVersion: "8.4", target: "ia64", define: ["HAVE_FOO=2"], undefine: ["NOPE"] });
  const lookup = (name: string) => facts.get(name);
  const cases: [string, boolean | undefined][] = [
    ["defined(__VMS)", true],
    ["defined __vms && !defined(__linux__)", true],
    ["defined(_WIN32) || defined(__APPLE__)", false],
    ["__CRTL_VER >= 80400000", true],
    ["__CRTL_VER < 70301000", false],
    ["defined(__ia64) && !defined(__alpha)", true],
    ["HAVE_FOO == 2", true],
    ["defined(HAVE_BAR)", undefined],
    ["defined(HAVE_BAR) && 0", false],
    ["defined(HAVE_BAR) || 1", true],
    ["NOPE", false],
    ["0", false],
    ["(1 << 3) + 2 == 10 ? 1 : 0", true],
    ["GCC_VERSION(4, 2)", undefined],
    ["1 +", undefined],
  ];
  for (const [expression, expected] of cases) {
    it(expression, () => {
      expect(evaluateCondition(tokens(expression), lookup).value).toBe(expected);
    });
  }

  it("vms mention", () => {
    expect(evaluateCondition(tokens("!defined(VMS)"), lookup).mentionsVms).toBe(true);
    expect(evaluateCondition(tokens("defined(__linux__)"), lookup).mentionsVms).toBe(false);
  });

  it("vms mention that does not decide the value", () => {
    expect(evaluateCondition(tokens("defined(__VMS) && 0"), lookup).mentionsVms).toBe(false);
  });

  it("vms mention that decides the value among others", () => {
    expect(evaluateCondition(tokens("!defined(__VMS) && HAVE_FOO == 2"), lookup).mentionsVms).toBe(true);
  });
});

describe("suppression directives", () => {
  it("same line with reason", () => {
    const parsed = parseDirective("vmsport-ignore[VMS1001, VMS2003]: child only runs exec */");
    expect(parsed.kind).toBe("line");
    expect(parsed.ruleIds).toEqual(["VMS1001", "VMS2003"]);
    expect(parsed.justification).toBe("child only runs exec");
    expect(parsed.invalid).toBeUndefined();
  });

  it("scoped forms", () => {
    expect(parseDirective("vmsport-ignore-next-line[VMS1001]").kind).toBe("next-line");
    expect(parseDirective("vmsport-ignore-begin[VMS1001]").kind).toBe("begin");
    expect(parseDirective("vmsport-ignore-end[VMS1001]").kind).toBe("end");
    expect(parseDirective("vmsport-ignore-file[VMS1001]").kind).toBe("file");
  });

  it("invalid directives", () => {
    expect(parseDirective("vmsport-ignore: no ids").invalid).toContain("names no rule");
    expect(parseDirective("vmsport-ignore[fork]").invalid).toContain('rule id "fork" is invalid');
    expect(parseDirective("vmsport-ignorex").invalid).toBeDefined();
  });
});

describe("globs", () => {
  const cases: [string, string, boolean][] = [
    ["**/*.c", "a/b/c.c", true],
    ["**/*.c", "c.c", true],
    ["src/*.{c,h}", "src/x.h", true],
    ["src/*.{c,h}", "src/sub/x.h", false],
    ["test/**", "test/a/b.c", true],
    ["file?.c", "file1.c", true],
    ["[ab].c", "c.c", false],
  ];
  for (const [glob, file, expected] of cases) {
    it(`${glob} on ${file}`, () => {
      expect(globToRegExp(glob).test(file)).toBe(expected);
    });
  }
});

describe("file names", () => {
  it("ods2 rules", () => {
    expect(ods2Problem("main.c", false)).toBeUndefined();
    expect(ods2Problem("grammar.tab.c", false)).toBe("more than one dot");
    expect(ods2Problem("file with spaces.c", false)).toBe('the character " "');
    expect(ods2Problem("x".repeat(40), false)).toContain("40 characters");
    expect(ods2Problem("lib.d", true)).toBe('the directory name "lib.d", which has a dot');
  });

  it("ods5 rules", () => {
    expect(ods5Problem("file with spaces.c")).toBeUndefined();
    expect(ods5Problem("a:b.c")).toBe('the character ":"');
    expect(ods5Problem("y".repeat(237))).toContain("237 characters");
  });
});

describe("versions", () => {
  it("comparison", () => {
    expect(compareVersions("8.4-2L1", "8.4")).toBeGreaterThan(0);
    expect(compareVersions("V7.3-1", "7.3-2")).toBeLessThan(0);
    expect(compareVersions("9.2", "9.2-0")).toBe(0);
  });

  it("crtl numbers", () => {
    expect(crtlVersionNumber("7.3-1")).toBe(70301000);
    expect(crtlVersionNumber("V8.4")).toBe(80400000);
  });
});

describe("file includes condition", () => {
  it("downgrades in ported files", async () => {
    const { scanSource } = await import("../../src/scan/index.js");
    const { loadScanRules } = await import("../../src/rules/scan/load.js");
    const fork = loadScanRules().find((rule) => rule.id === "VMS1001");
    if (!fork) throw new Error("VMS1001 is missing from the built-in rules");
    const rule = {
      ...fork,
      severityOverrides: [{ when: { fileIncludes: ["starlet.h"] }, severity: "info" as const }],
    };
    const ported = scanSource("#include <starlet.h>\nint f(void) { return fork(); }\n", "p.c", [rule]);
    const plain = scanSource("int f(void) { return fork(); }\n", "q.c", [rule]);
    expect(ported.map((finding) => finding.severity)).toEqual(["info"]);
    expect(plain.map((finding) => finding.severity)).toEqual(["error"]);
  });
});

describe("string literal first-character filter", () => {
  it("shared slash of path rules", async () => {
    const { sharedFirstCharacter } = await import("../../src/scan/compile.js");
    expect(sharedFirstCharacter(["^\\/tmp(\\/|$)", "^/dev/null$"])).toBe(47);
  });

  it("none for other patterns", async () => {
    const { sharedFirstCharacter } = await import("../../src/scan/compile.js");
    const cases: string[][] = [[], ["^/tmp", "tmp"], ["^/?tmp"], ["^/tmp|^C:"], ["^\\d"]];
    for (const sources of cases) expect(sharedFirstCharacter(sources), sources.join(" ")).toBeUndefined();
  });

  it("keeps alternation inside groups", async () => {
    const { sharedFirstCharacter } = await import("../../src/scan/compile.js");
    expect(sharedFirstCharacter(["^/(proc|sys)/[|]"])).toBe(47);
  });

  it("finds paths behind escapes and raw strings", async () => {
    const { scanSource } = await import("../../src/scan/index.js");
    const { loadScanRules } = await import("../../src/rules/scan/load.js");
    const rules = loadScanRules();
    const source = [
      'const char *a = "/tmp/a";',
      'const char *b = "\\x2ftmp/b";',
      'const char *c = "\\057tmp/c";',
      'const char *d = R"(/tmp/d)";',
      'const char *e = u8"/tmp/e";',
      'const char *f = "tmp/f";',
      "",
    ].join("\n");
    const lines = scanSource(source, "paths.cpp", rules)
      .filter((finding) => finding.ruleId === "VMS3002")
      .map((finding) => finding.line);
    expect(lines).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("latin1", () => {
  it("short and long ranges", async () => {
    const { latin1 } = await import("../../src/scan/lexer.js");
    const bytes = Buffer.from("x_\xe9t\xe9_long_identifier_name_here y", "latin1");
    expect(latin1(bytes, 0, 5)).toBe("x_\xe9t\xe9");
    expect(latin1(bytes, 0, bytes.length - 2)).toBe("x_\xe9t\xe9_long_identifier_name_here");
    expect(latin1(bytes, 3, 3)).toBe("");
  });
});

describe("number suffix filter", () => {
  it("long constants and shifts", async () => {
    const { scanSource } = await import("../../src/scan/index.js");
    const { loadScanRules } = await import("../../src/rules/scan/load.js");
    const rules = loadScanRules();
    const source = "long a = 0x100000000L;\nlong b = 1UL << 40;\nlong c = 0x100000000;\nlong d = 1LU << 3;\n";
    const lines = scanSource(source, "n.c", rules)
      .filter((finding) => finding.ruleId === "VMS5001")
      .map((finding) => finding.line);
    expect(lines).toEqual([1, 2]);
  });
});
