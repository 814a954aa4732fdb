import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScanRules } from "../../src/rules/scan/load.js";
import { scanSource } from "../../src/scan/index.js";

const rules = loadScanRules();
const forkRule = rules.filter((rule) => rule.id === "VMS1001");

/** Text at a 1-based line and column (in characters), with backslash-newline splices removed. */
function textAt(source: string, line: number, column: number): string {
  const lines = source.split(/\r\n|\r|\n/);
  const before = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
  // Rebuild the position in a copy of the source whose line ends are all LF, so offsets line up.
  const normalized = source.replace(/\r\n|\r/g, "\n");
  const start = before + [...(lines[line - 1] ?? "")].slice(0, column - 1).join("").length;
  return normalized.slice(start, start + 40).replace(/\\\n/g, "");
}

/** A fragment of C text and the number of real fork() calls in it. */
const fragment = fc.oneof(
  fc.constant({ text: "fork();", calls: 1 }),
  fc.constant({ text: "x = fo\\\nrk();", calls: 1 }),
  fc.constant({ text: "/* fork() */", calls: 0 }),
  fc.constant({ text: "// fork()\n", calls: 0 }),
  fc.constant({ text: "// spliced \\\nfork();\n", calls: 0 }),
  fc.constant({ text: "/* a\n fork()\n */", calls: 0 }),
  fc.constant({ text: '"fork()"', calls: 0 }),
  fc.constant({ text: 'R"d(fork())d"', calls: 0 }),
  fc.constant({ text: "'f'", calls: 0 }),
  fc.constant({ text: "p->fork();", calls: 0 }),
  fc.constant({ text: "ns::fork();", calls: 0 }),
  fc.constant({ text: "n = 1'000'000;", calls: 0 }),
  fc.constant({ text: 'c = "é";', calls: 0 }),
  fc.constantFrom(
    { text: "\n", calls: 0 },
    { text: "\r\n", calls: 0 },
    { text: "\r", calls: 0 },
    { text: " \t", calls: 0 },
  ),
);

describe("scanner properties", () => {
  it("never throws on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const findings = scanSource(Buffer.from(bytes), "random.c", rules);
        for (const finding of findings) {
          expect(finding.line).toBeGreaterThanOrEqual(1);
          expect(finding.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on C-like text", () => {
    const pieces = fc.constantFrom(
      "#if 0\n",
      "#endif\n",
      "#else\n",
      '"',
      "'",
      "/*",
      "*/",
      "//",
      "\\\n",
      'R"x(',
      ')x"',
      "fork(",
      ")",
      "{",
      "}",
      ";",
      "\n",
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        expect(() => scanSource(parts.join(""), "pieces.c", rules)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("findings point at the name", () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 25 }), (fragments) => {
        // Each fragment starts a statement inside a function so that calls are not taken for declarations.
        const body = fragments.map((part) => ` ${part.text} `).join("");
        const source = `void f(void) {${body}\n}\n`;
        const findings = scanSource(source, "generated.c", forkRule);
        expect(findings.length).toBe(fragments.reduce((sum, part) => sum + part.calls, 0));
        for (const finding of findings)
          expect(textAt(source, finding.line, finding.column).startsWith("fork")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
