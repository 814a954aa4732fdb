import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runParseCli } from "./helpers.js";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures/parse");
const recursiveLog = path.join(fixtures, "real-make-recursive", "build.log");

describe("vmsport parse", () => {
  it("prints a text summary by default", async () => {
    const result = await runParseCli([recursiveLog]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/15 lines, 8 steps/);
    expect(result.stdout).toMatch(/compile\s+3/);
  });

  it("writes a versioned JSON document", async () => {
    const result = await runParseCli([recursiveLog, "--format", "json"]);
    const document = JSON.parse(result.stdout);
    expect(document.schemaVersion).toBe(1);
    expect(document.steps).toHaveLength(8);
    expect(document.summary.steps.link).toBe(1);
  });

  it("writes one step per JSON line", async () => {
    const result = await runParseCli([recursiveLog, "-f", "jsonl"]);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(8);
    expect(JSON.parse(lines[1] as string).kind).toBe("compile");
  });

  it("writes compile_commands.json entries", async () => {
    const result = await runParseCli([recursiveLog, "-f", "compdb"]);
    const entries = JSON.parse(result.stdout);
    expect(entries.map((entry: { file: string }) => entry.file)).toEqual(["util.c", "shape.cpp", "main.c"]);
    expect(entries[0].directory).toBe("/home/user/src/hello/lib");
  });

  it("reads standard input", async () => {
    const result = await runParseCli(["-", "-f", "jsonl"], { stdin: "gcc -c a.c -o a.o\n" });
    expect(JSON.parse(result.stdout).origin.file).toBe("-");
  });

  it("uses --directory as the starting directory", async () => {
    const result = await runParseCli(["-", "-f", "jsonl", "--directory", "/build/here"], {
      stdin: "gcc -c a.c\n",
    });
    expect(JSON.parse(result.stdout).directory).toEqual({ path: "/build/here", source: "initial" });
  });

  it("takes the directory from the configuration file", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "vmsport-parse-"));
    writeFileSync(
      path.join(folder, "vmsport.config.json"),
      JSON.stringify({ parse: { directory: "/from/config" } }),
    );
    const result = await runParseCli(["-", "-f", "jsonl"], { stdin: "gcc -c a.c\n", cwd: folder });
    expect(JSON.parse(result.stdout).directory.path).toBe("/from/config");
  });

  it("writes the output file and refuses to overwrite it", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "vmsport-parse-"));
    const output = path.join(folder, "steps.json");
    expect((await runParseCli([recursiveLog, "-f", "json", "-o", output])).code).toBe(0);
    expect(JSON.parse(readFileSync(output, "utf8")).steps).toHaveLength(8);
    const again = await runParseCli([recursiveLog, "-f", "json", "-o", output]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect((await runParseCli([recursiveLog, "-f", "json", "-o", output, "--force"])).code).toBe(0);
  });

  it("leaves no output file when the input is rejected", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "vmsport-parse-"));
    const output = path.join(folder, "steps.json");
    const result = await runParseCli(["-", "-f", "json", "-o", output], { stdin: "just some prose\n" });
    expect(result.code).toBe(2);
    expect(() => readFileSync(output)).toThrow();
  });

  it("reports a missing log", async () => {
    const result = await runParseCli([path.join(fixtures, "no-such.log")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/build log not found/);
  });

  it("rejects an unknown format", async () => {
    const result = await runParseCli([recursiveLog, "-f", "xml"]);
    expect(result.code).toBe(2);
  });

  it("warns about silent rules on standard error", async () => {
    const result = await runParseCli([path.join(fixtures, "silent-rules", "build.log"), "-f", "jsonl"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/7 targets were built by silent rules/);
  });
});
