/**
 * `vmsport parse` collects its output in megabyte buffers and reuses them once written. Output that spans
 * several buffers, and a step larger than one buffer, must come out byte for byte as the steps' JSON.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseLogText } from "../../src/log/index.js";
import { runCli } from "../helpers/cli.js";
import { runParseCli } from "./helpers.js";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures/parse");
const recursiveLog = path.join(fixtures, "real-make-recursive", "build.log");

let scratch: string;
let log: string;

/** Returns the jsonl output expected for `file`: each step's JSON on its own line. */
function expectedJsonl(file: string): string {
  const parsed = parseLogText(readFileSync(file), { file });
  return parsed.steps.map((step) => `${JSON.stringify(step)}\n`).join("");
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "vmsport-output-"));
  log = path.join(scratch, "build.log");
  // About 3 MB of jsonl from the fixture repeated, then one compile whose step alone exceeds a buffer.
  const sample = readFileSync(recursiveLog, "utf8");
  const defines = Array.from({ length: 30000 }, (_, k) => `-DNAME_${k}=\\"välue_${k}\\"`).join(" ");
  writeFileSync(log, `${sample.repeat(800)}gcc ${defines} -c big.c -o big.o\n${sample}`);
});

describe("parse output buffering", () => {
  it("streams many buffers in order", async () => {
    const result = await runParseCli([log, "-f", "jsonl"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(expectedJsonl(log));
  });

  it("writes a file through reused buffers", async () => {
    const output = path.join(scratch, "steps.jsonl");
    const result = await runCli(["parse", log, "-f", "jsonl", "-o", output]);
    expect(result.code).toBe(0);
    expect(readFileSync(output, "utf8")).toBe(expectedJsonl(log));
  });

  it("writes standard output through reused buffers", async () => {
    const result = await runCli(["parse", log, "-f", "jsonl"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(expectedJsonl(log));
  });
});
