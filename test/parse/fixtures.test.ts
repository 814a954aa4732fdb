/**
 * Runs every fixture folder under fixtures/parse: `build.log` must parse to `expected.json`. Set
 * UPDATE_GOLDENS=1 to rewrite the expected files, then review each diff by hand before keeping it.
 * Folders under `_error_` hold inputs that `vmsport parse` must reject with exit status 2.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLogText } from "../../src/log/index.js";
import { runParseCli } from "./helpers.js";

const root = path.resolve(import.meta.dirname, "../../fixtures/parse");
const update = process.env.UPDATE_GOLDENS === "1";

interface FixtureOptions {
  initialDirectory?: string;
  responseFileRoots?: string[];
}

function caseFolders(base: string): string[] {
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== "_error_")
    .map((entry) => entry.name)
    .sort();
}

function readFixtureFile(file: string): Buffer | undefined {
  return existsSync(file) ? readFileSync(file) : undefined;
}

describe("parse fixtures", () => {
  for (const name of caseFolders(root)) {
    it(name, () => {
      const folder = path.join(root, name);
      const optionsFile = path.join(folder, "options.json");
      const options: FixtureOptions = existsSync(optionsFile)
        ? JSON.parse(readFileSync(optionsFile, "utf8"))
        : {};
      const parsed = parseLogText(readFileSync(path.join(folder, "build.log")), {
        file: "build.log",
        initialDirectory: options.initialDirectory ?? ".",
        responseFileRoots: (options.responseFileRoots ?? []).map((relative) => path.join(folder, relative)),
        readResponseFile: readFixtureFile,
      });
      const actual = JSON.parse(JSON.stringify(parsed));
      const expectedFile = path.join(folder, "expected.json");
      if (update) writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
      expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, "utf8")));
    });
  }
});

describe("parse error fixtures", () => {
  const errorRoot = path.join(root, "_error_");
  for (const name of caseFolders(errorRoot)) {
    it(name, async () => {
      const result = await runParseCli([path.join(errorRoot, name, "build.log"), "--format", "json"]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^error: /);
    });
  }
});
