import { execFileSync } from "node:child_process";
import { createReadStream, lstatSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { existingOutputProblem, writeFilesAtomically } from "../../src/util/io.js";
import { runCli } from "../helpers/cli.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/parse", import.meta.url));
const LOG = path.join(FIXTURES, "compile-and-link", "build.log");

/** A fresh directory holding a FIFO named `out`; FIFOs stand in for /dev/null, which a test must not risk. */
function fifoDirectory(): { directory: string; fifo: string } {
  const directory = mkdtempSync(path.join(tmpdir(), "vmsport-fifo-"));
  const fifo = path.join(directory, "out");
  execFileSync("mkfifo", [fifo]);
  return { directory, fifo };
}

/** Everything written into the FIFO until its writer closes it. */
function drain(fifo: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    createReadStream(fifo)
      .on("data", (chunk) => chunks.push(chunk as Buffer))
      .on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
      .on("error", reject);
  });
}

describe("existingOutputProblem", () => {
  it("accepts a character device without --force", () => {
    expect(existingOutputProblem("/dev/null", statSync("/dev/null"), false)).toBeUndefined();
  });

  it("accepts a FIFO without --force", () => {
    const { fifo } = fifoDirectory();
    expect(existingOutputProblem(fifo, statSync(fifo), false)).toBeUndefined();
  });

  it("still refuses a regular file without --force", () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-fifo-"));
    const file = path.join(directory, "out");
    writeFileSync(file, "kept");
    expect(existingOutputProblem(file, statSync(file), false)?.message).toMatch(/already exists/);
  });
});

describe("writeFilesAtomically into a FIFO", () => {
  it("writes into the FIFO and leaves it a FIFO", async () => {
    const { directory, fifo } = fifoDirectory();
    const received = drain(fifo);
    await writeFilesAtomically(
      [
        { path: fifo, content: "$ EXIT\n" },
        { path: path.join(directory, "IMAGE.OPT"), content: "A.OBJ\n" },
      ],
      { force: false },
    );
    expect(await received).toBe("$ EXIT\n");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(directory).sort()).toEqual(["IMAGE.OPT", "out"]);
  });
});

describe("CLI output into a FIFO", () => {
  it("parse -o writes the steps into the FIFO", async () => {
    const { directory, fifo } = fifoDirectory();
    const received = drain(fifo);
    const run = await runCli(["parse", LOG, "--format", "jsonl", "-o", fifo]);
    expect(run.code).toBe(0);
    const lines = (await received).trim().split("\n");
    expect(JSON.parse(lines[0] as string).kind).toBeTypeOf("string");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(directory)).toEqual(["out"]);
  });

  it("translate -o writes the procedure into the FIFO", async () => {
    const { fifo } = fifoDirectory();
    const received = drain(fifo);
    const run = await runCli(["translate", LOG, "-o", fifo]);
    expect(run.code).toBe(0);
    expect(await received).toMatch(/^\$ ?!/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("translate -o keeps the options files inside the procedure for a FIFO", async () => {
    const { directory, fifo } = fifoDirectory();
    const received = drain(fifo);
    const run = await runCli(["translate", LOG, "-o", fifo]);
    expect(run.code).toBe(0);
    expect(await received).toMatch(/^\$ CREATE .*\.OPT$/m);
    expect(readdirSync(directory)).toEqual(["out"]);
  });

  it("scan -o writes the report into the FIFO", async () => {
    const { directory, fifo } = fifoDirectory();
    writeFileSync(path.join(directory, "main.c"), "int main(void) { return fork(); }\n");
    const received = drain(fifo);
    const run = await runCli(["scan", path.join(directory, "main.c"), "--format", "json", "-o", fifo]);
    expect(run.code).toBe(1);
    expect(JSON.parse(await received).findings.length).toBeGreaterThan(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});
