import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const demoLog = fileURLToPath(new URL("../../fixtures/demo/build.log", import.meta.url));
const productsLog = fileURLToPath(new URL("../../fixtures/translate/logs/products.log", import.meta.url));

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "vmsport-translate-output-"));
}

describe("translate to standard output", () => {
  it("writes no file beside it", async () => {
    const directory = scratch();
    const run = await runCli(["translate", demoLog], { cwd: directory });
    expect(run.code).toBe(0);
    expect(readdirSync(directory)).toEqual([]);
  });

  it("creates the options files inside", async () => {
    const run = await runCli(["translate", demoLog], { cwd: scratch() });
    expect(run.stdout).toContain("$ CREATE SRC$ROOT:[000000]DEMO.OPT");
  });

  it("runs twice in one directory", async () => {
    const directory = scratch();
    await runCli(["translate", demoLog], { cwd: directory });
    const second = await runCli(["translate", demoLog], { cwd: directory });
    expect(second.code).toBe(0);
  });

  it("rejects a description file that needs options files", async () => {
    const run = await runCli(["translate", demoLog, "-f", "mms"], { cwd: scratch() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("-o");
  });
});

describe("translate messages", () => {
  it("uses the singular for one file", async () => {
    const run = await runCli(["translate", productsLog], { cwd: scratch() });
    expect(run.stderr).toContain("creates 1 options file");
    expect(run.stderr).not.toContain("header");
  });

  it("uses the singular for one path", async () => {
    const run = await runCli(["translate", productsLog], { cwd: scratch() });
    expect(run.stderr).toMatch(/\b1 absolute path outside/);
  });

  it("warns about a root logical without a dollar sign", async () => {
    const run = await runCli(["translate", demoLog, "--root-logical", "SRC"], { cwd: scratch() });
    expect(run.stderr).toContain("quote it");
  });

  it("stays quiet about a root logical with a dollar sign", async () => {
    const run = await runCli(["translate", demoLog, "--root-logical", "SRC$ROOT"], { cwd: scratch() });
    expect(run.stderr).not.toContain("quote it");
  });

  it("states the --max-command range", async () => {
    const run = await runCli(["translate", demoLog, "--max-command", "8192"], { cwd: scratch() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("from 256 to 4096");
  });
});

describe("translate --exports", () => {
  it("rejects a binary file", async () => {
    const directory = scratch();
    const binary = path.join(directory, "libx.so");
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x3e, 0]));
    const run = await runCli(["translate", demoLog, "--exports", binary], { cwd: directory });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("ELF binary");
  });

  it("shortens a long bad entry", async () => {
    const directory = scratch();
    const list = path.join(directory, "exports.txt");
    writeFileSync(list, `${"x".repeat(40)} ${"y".repeat(200)} z\n`);
    const run = await runCli(["translate", demoLog, "--exports", list], { cwd: directory });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain("y".repeat(100));
  });
});

describe("parse -o", () => {
  it("creates missing directories", async () => {
    const directory = scratch();
    const output = path.join(directory, "missing", "dir", "steps.json");
    const run = await runCli(["parse", demoLog, "-f", "json", "-o", output]);
    expect(run.code).toBe(0);
    expect(existsSync(output)).toBe(true);
  });

  it("names the output path on failure", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "file"), "");
    const output = path.join(directory, "file", "steps.json");
    const run = await runCli(["parse", demoLog, "-o", output]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(output);
  });

  it("hides the temporary file name", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "file"), "");
    const run = await runCli(["parse", demoLog, "-o", path.join(directory, "file", "steps.json")]);
    expect(run.stderr).not.toContain(".tmp");
  });

  it("writes valid JSON into a new directory", async () => {
    const directory = scratch();
    const output = path.join(directory, "a", "steps.json");
    await runCli(["parse", demoLog, "-f", "json", "-o", output]);
    expect(() => JSON.parse(readFileSync(output, "utf8"))).not.toThrow();
  });
});
