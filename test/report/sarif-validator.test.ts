import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatFindings } from "../../src/report/index.js";
import type { ScanResult } from "../../src/scan/types.js";

/**
 * Runs Microsoft's SARIF validator (`@microsoft/sarif-multitool`, `validate` verb) on the scanner's SARIF
 * output. The validator works offline. npm 11 does not run the platform package's install script, which
 * sets the run bit of the binary, until the script is approved with `npm install-scripts approve`.
 */

const projectRoot = path.resolve(import.meta.dirname, "../..");
const packageName = "@microsoft/sarif-multitool";
const require = createRequire(path.join(projectRoot, "package.json"));

function declaredAsDevDependency(): boolean {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8"));
  return manifest.devDependencies?.[packageName] !== undefined;
}

function findValidator(): string | undefined {
  try {
    return require(packageName) as string;
  } catch {
    return undefined;
  }
}

const validator = findValidator();
// NOTE: without the package installed and not declared in package.json, the test is skipped, not failed.
const runValidator = validator !== undefined || declaredAsDevDependency();

interface ValidationResult {
  ruleId: string;
  level?: string;
  message: { text?: string; arguments?: string[] };
}

describe.runIf(runValidator)("SARIF validator", () => {
  const workDirectory = mkdtempSync(path.join(tmpdir(), "vmsport-sarif-"));
  afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

  function validate(result: ScanResult, exitCode: number): ValidationResult[] {
    if (validator === undefined || !existsSync(validator)) {
      throw new Error(`${packageName} is in devDependencies but not installed; run npm install.`);
    }
    try {
      accessSync(validator, constants.X_OK);
    } catch {
      throw new Error(
        `${validator} is not executable; run "npm install-scripts approve ${packageName}-${process.platform}" and ` +
          `"npm rebuild", or "chmod u+x ${validator}".`,
      );
    }
    const input = path.join(workDirectory, `scan-${exitCode}.sarif`);
    const output = path.join(workDirectory, `validation-${exitCode}.sarif`);
    writeFileSync(
      input,
      formatFindings("sarif", result, { toolVersion: "0.1.0", exitCode, commandLine: "vmsport scan ." }),
    );
    const run = spawnSync(
      validator,
      ["validate", input, "--output", output, "--level", "Error;Warning;Note", "--quiet"],
      {
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    if (!existsSync(output)) throw new Error(`validator wrote no output: ${run.stdout}${run.stderr}`);
    const log = JSON.parse(readFileSync(output, "utf8"));
    return (log.runs?.[0]?.results ?? []) as ValidationResult[];
  }

  function describeResults(results: ValidationResult[]): string {
    return results
      .map((result) => `${result.level ?? "warning"} ${result.ruleId}: ${JSON.stringify(result.message)}`)
      .join("\n");
  }

  const fixture = JSON.parse(
    readFileSync(path.join(projectRoot, "fixtures/report/scan-result.json"), "utf8"),
  ) as ScanResult;

  // SARIF's default level is warning, so a result without `level` is a warning.
  const isError = (result: ValidationResult) => result.level === "error";
  const isWarning = (result: ValidationResult) => result.level === undefined || result.level === "warning";
  const fullLog = validate(fixture, 2);
  const emptyLog = validate({ ...fixture, findings: [], skipped: [], rules: [] }, 0);

  it("finds no errors with findings", () => {
    expect(describeResults(fullLog.filter(isError))).toBe("");
  });

  it("finds no warnings with findings", () => {
    expect(describeResults(fullLog.filter(isWarning))).toBe("");
  });

  it("finds no errors without findings", () => {
    expect(describeResults(emptyLog.filter(isError))).toBe("");
  });
});
