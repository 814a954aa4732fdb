import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/model/finding.js";
import { loadScanRules } from "../../src/rules/scan/load.js";
import { scanSources } from "../../src/scan/index.js";
import type { ScanSourceOptions } from "../../src/scan/types.js";

// The worked examples of the scanner design, each a source file with an `.expect.json` next to it that lists
// the findings of the named rules: no more, no fewer.
const directory = fileURLToPath(new URL("../../fixtures/scan/worked/", import.meta.url));
const rules = loadScanRules();

interface Expected {
  ruleId: string;
  line: number;
  column?: number;
  severity?: string;
  confidence?: string;
  context?: string;
  justification?: string;
}

interface Expectation {
  options?: ScanSourceOptions;
  rules: string[];
  findings: Expected[];
  suppressed?: Expected[];
  alreadyPorted?: number;
  encoding?: string;
}

const describeFinding = (finding: Finding) =>
  `${finding.ruleId} ${finding.line}:${finding.column} ${finding.severity}/${finding.confidence} ${finding.context ?? ""}`;

function matches(finding: Finding, expected: Expected): boolean {
  return (
    finding.ruleId === expected.ruleId &&
    finding.line === expected.line &&
    (expected.column === undefined || finding.column === expected.column) &&
    (expected.severity === undefined || finding.severity === expected.severity) &&
    (expected.confidence === undefined || finding.confidence === expected.confidence) &&
    (expected.context === undefined || finding.context === expected.context) &&
    (expected.justification === undefined || finding.suppression?.justification === expected.justification)
  );
}

/** Pair expected with actual findings; return the expected ones left unmatched and the actual ones left over. */
function compare(actual: Finding[], expected: Expected[]): { missing: Expected[]; unexpected: Finding[] } {
  const left = [...actual];
  const missing: Expected[] = [];
  for (const entry of expected) {
    const position = left.findIndex((finding) => matches(finding, entry));
    if (position < 0) missing.push(entry);
    else left.splice(position, 1);
  }
  return { missing, unexpected: left };
}

const sources = readdirSync(directory).filter((name) => !name.endsWith(".json"));

describe("worked examples", () => {
  for (const name of sources) {
    const expectation = JSON.parse(
      readFileSync(`${directory}${name.replace(/\.[^.]+$/, "")}.expect.json`, "utf8"),
    ) as Expectation;
    it(name, () => {
      const result = scanSources(
        [{ path: name, content: readFileSync(directory + name) }],
        rules,
        expectation.options,
      );
      const relevant = result.findings.filter((finding) => expectation.rules.includes(finding.ruleId));
      const active = compare(
        relevant.filter((finding) => !finding.suppression),
        expectation.findings,
      );
      const all = relevant.map(describeFinding).join("; ");
      expect(active.missing, `missing findings; actual: ${all}`).toEqual([]);
      expect(active.unexpected.map(describeFinding), "unexpected findings").toEqual([]);
      const suppressed = compare(
        relevant.filter((finding) => finding.suppression),
        expectation.suppressed ?? [],
      );
      expect(suppressed.missing, `missing suppressed findings; actual: ${all}`).toEqual([]);
      expect(suppressed.unexpected.map(describeFinding), "unexpected suppressed findings").toEqual([]);
      if (expectation.alreadyPorted !== undefined) {
        expect(result.summary.alreadyPorted).toBe(expectation.alreadyPorted);
      }
      if (expectation.encoding === "iso-8859-1") expect(result.summary.latin1Files).toBe(1);
    });
  }
});
