import { readFileSync } from "node:fs";
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { formatFindings, REPORT_FORMATS } from "../../src/report/index.js";
import { loadFormatter } from "../../src/report/load.js";
import type { ScanResult } from "../../src/scan/types.js";
import { UserError } from "../../src/util/errors.js";

const fixtureUrl = new URL("../../fixtures/report/scan-result.json", import.meta.url);

function loadResult(): ScanResult {
  return JSON.parse(readFileSync(fixtureUrl, "utf8")) as ScanResult;
}

describe("loadFormatter", () => {
  const options = {
    color: new Chalk({ level: 1 }),
    toolVersion: "9.9.9",
    exitCode: 1,
    commandLine: "vmsport scan src",
  };

  for (const format of REPORT_FORMATS) {
    it(`writes ${format} as formatFindings does`, async () => {
      const formatter = await loadFormatter(format);
      expect(formatter(loadResult(), options)).toBe(formatFindings(format, loadResult(), options));
    });
  }

  it("rejects an unknown format", async () => {
    await expect(loadFormatter("xml")).rejects.toBeInstanceOf(UserError);
  });
});
