import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectedRulePages, GENERATED_NOTICE } from "../../src/report/rule-docs.js";
import { loadScanRules } from "../../src/rules/scan/load.js";

const docsDirectory = path.resolve(import.meta.dirname, "../../docs/rules");
const rules = loadScanRules();
const pages = expectedRulePages(rules);
const regenerate = 'run "npm run build && node scripts/gen-rule-docs.mjs"';

/** Every construct of the OpenVMS porting catalogue, plus the two rules about the scan itself. */
const CATALOGUE = [
  "VMS0001",
  "VMS0002",
  "VMS1001",
  "VMS1003",
  "VMS1004",
  "VMS1005",
  "VMS1006",
  "VMS1007",
  "VMS1008",
  "VMS1009",
  "VMS1010",
  "VMS1011",
  "VMS1012",
  "VMS1013",
  "VMS2001",
  "VMS2002",
  "VMS2003",
  "VMS2004",
  "VMS2005",
  "VMS2006",
  "VMS2007",
  "VMS2008",
  "VMS2009",
  "VMS2010",
  "VMS2011",
  "VMS2012",
  "VMS2013",
  "VMS2014",
  "VMS3001",
  "VMS3002",
  "VMS3003",
  "VMS3004",
  "VMS3005",
  "VMS3006",
  "VMS3007",
  "VMS3008",
  "VMS3009",
  "VMS3010",
  "VMS3011",
  "VMS3012",
  "VMS3013",
  "VMS4001",
  "VMS4002",
  "VMS4003",
  "VMS4004",
  "VMS4005",
  "VMS5001",
  "VMS5002",
  "VMS5003",
  "VMS5004",
  "VMS5005",
  "VMS5006",
  "VMS6001",
  "VMS6002",
  "VMS6003",
  "VMS6004",
  "VMS6005",
  "VMS7001",
  "VMS7002",
  "VMS7003",
  "VMS8001",
  "VMS8002",
  "VMS8003",
];

describe("rule catalogue", () => {
  const ids = new Set(rules.map((rule) => rule.id));

  for (const id of CATALOGUE) {
    it(`defines ${id}`, () => {
      expect(ids.has(id)).toBe(true);
    });
  }

  for (const rule of rules) {
    describe(rule.id, () => {
      // A skipped file never reaches the scanner, so no source snippet can make VMS0002 fire.
      const producedByScan = rule.match.meta !== "skipped-file";

      it.runIf(producedByScan)("has an example that fires", () => {
        expect(rule.examples.fire.length, `${rule.id} in ${rule.file}`).toBeGreaterThan(0);
      });

      it("has an example that passes", () => {
        expect(rule.examples.pass.length, `${rule.id} in ${rule.file}`).toBeGreaterThan(0);
      });

      it("explains why it breaks", () => {
        expect(rule.rationale ?? "", `${rule.id} in ${rule.file}`).not.toBe("");
      });

      it("names an alternative", () => {
        expect(rule.alternative ?? "", `${rule.id} in ${rule.file}`).not.toBe("");
      });

      it.runIf(rule.family !== "meta")("cites a reference", () => {
        expect(rule.references?.length ?? 0, `${rule.id} in ${rule.file}`).toBeGreaterThan(0);
      });

      it("sits in the file of its family", () => {
        expect(path.basename(rule.file)).toBe(`${rule.family}.yaml`);
      });
    });
  }
});

describe("rule pages", () => {
  for (const [name, text] of pages) {
    it(`${name} is up to date`, () => {
      const file = path.join(docsDirectory, name);
      const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
      expect(current === text, `docs/rules/${name} is missing or stale; ${regenerate}`).toBe(true);
    });
  }

  it("has no page of a removed rule", () => {
    const leftovers = readdirSync(docsDirectory).filter(
      (name) => /^VMS\d{4}\.md$/.test(name) && !pages.has(name),
    );
    expect(leftovers, regenerate).toEqual([]);
  });

  it("starts with the generated notice", () => {
    expect(pages.get("VMS1001.md")?.startsWith(GENERATED_NOTICE)).toBe(true);
  });

  it("contains every section", () => {
    const headings = (pages.get("VMS2002.md") ?? "").match(/^## .+$/gm);
    expect(headings).toEqual([
      "## Problem",
      "## Why it breaks on OpenVMS",
      "## OpenVMS alternative",
      "## Exceptions",
      "## Examples",
      "## References",
    ]);
  });
});
