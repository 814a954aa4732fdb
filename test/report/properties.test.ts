import fc from "fast-check";
import { describe, it } from "vitest";
import type { Finding } from "../../src/model/finding.js";
import {
  compareFindings,
  escapeCommandData,
  escapeCommandProperty,
  formatFindings,
  quoteCsvField,
} from "../../src/report/index.js";
import type { ScanResult } from "../../src/scan/types.js";

/** Reverses the GitHub workflow command escaping, as the runner does when it reads a command. */
function unescapeCommand(text: string): string {
  return text
    .replace(/%0D/g, "\r")
    .replace(/%0A/g, "\n")
    .replace(/%3A/g, ":")
    .replace(/%2C/g, ",")
    .replace(/%25/g, "%");
}

const findingArbitrary: fc.Arbitrary<Finding> = fc.record({
  ruleId: fc.constantFrom("VMS1001", "VMS2002", "VMS3004"),
  severity: fc.constantFrom("error" as const, "warning" as const, "info" as const),
  confidence: fc.constant("high" as const),
  path: fc.constantFrom("a.c", "b/c.c", "b/d,e.c"),
  line: fc.integer({ min: 1, max: 40 }),
  column: fc.integer({ min: 1, max: 9 }),
  message: fc.string(),
  fingerprint: fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 8, maxLength: 8 }),
});

function resultOf(findings: Finding[]): ScanResult {
  return {
    files: [],
    skipped: [],
    findings,
    notes: [],
    rules: [],
    baseDirectory: "/src",
    summary: {
      filesScanned: 1,
      filesSkipped: 0,
      skippedByReason: {},
      symlinksNotFollowed: 0,
      lines: 1,
      bytes: 1,
      latin1Files: 0,
      findingsByRule: {},
      findingsBySeverity: { error: 0, warning: 0, info: 0 },
      suppressed: { inline: 0, baseline: 0 },
      alreadyPorted: 0,
      inactive: 0,
      durationMs: 1,
      jobs: 1,
    },
  };
}

describe("escaping properties", () => {
  it("command data round-trips", () => {
    fc.assert(fc.property(fc.string(), (text) => unescapeCommand(escapeCommandData(text)) === text));
  });

  it("command data has no line breaks", () => {
    fc.assert(fc.property(fc.string(), (text) => !/[\r\n]/.test(escapeCommandData(text))));
  });

  it("command properties round-trip", () => {
    fc.assert(fc.property(fc.string(), (text) => unescapeCommand(escapeCommandProperty(text)) === text));
  });

  it("command properties have no separators", () => {
    fc.assert(fc.property(fc.string(), (text) => !/[\r\n:,]/.test(escapeCommandProperty(text))));
  });

  it("csv fields round-trip", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const quoted = quoteCsvField(text);
        const inner = quoted.startsWith('"') ? quoted.slice(1, -1).replace(/""/g, '"') : quoted;
        return inner === text;
      }),
    );
  });
});

describe("ordering properties", () => {
  it("output ignores input order", () => {
    fc.assert(
      fc.property(fc.array(findingArbitrary, { maxLength: 12 }), fc.integer(), (findings, seed) => {
        const shuffled = [...findings].sort(
          (a, b) => ((a.line * 31 + seed) % 7) - ((b.line * 31 + seed) % 7),
        );
        return formatFindings("gcc", resultOf(findings)) === formatFindings("gcc", resultOf(shuffled));
      }),
    );
  });

  it("json findings are sorted", () => {
    fc.assert(
      fc.property(fc.array(findingArbitrary, { maxLength: 12 }), (findings) => {
        const listed = JSON.parse(formatFindings("json", resultOf(findings))).findings as Finding[];
        return listed.every(
          (finding, index) => index === 0 || compareFindings(listed[index - 1] as Finding, finding) <= 0,
        );
      }),
    );
  });

  it("gcc writes one line per finding", () => {
    fc.assert(
      fc.property(fc.array(findingArbitrary, { maxLength: 12 }), (findings) => {
        const text = formatFindings("gcc", resultOf(findings));
        return text.split("\n").length - 1 === findings.length;
      }),
    );
  });
});
