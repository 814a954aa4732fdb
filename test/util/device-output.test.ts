import { execFileSync, spawnSync } from "node:child_process";
import {
  closeSync,
  createReadStream,
  existsSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { existingOutputProblem, writeFilesAtomically } from "../../src/util/io.js";
import { CLI, runCli } from "../helpers/cli.js";

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

/** Create a fresh scratch directory. */
function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "vmsport-out-"));
}

describe("output path ending in a slash", () => {
  for (const args of [
    ["parse", LOG, "-o", "missing/"],
    ["translate", LOG, "-o", "missing/"],
    ["scan", "main.c", "-o", "missing/"],
  ]) {
    it(`${args[0]} rejects it and writes nothing`, async () => {
      const directory = scratch();
      writeFileSync(path.join(directory, "main.c"), "int main(void) { return 0; }\n");
      const run = await runCli(args, { cwd: directory });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/ends with a slash/);
      expect(readdirSync(directory)).toEqual(["main.c"]);
    });
  }
});

describe("output directories of a failed run", () => {
  it("parse removes the directories it made", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "empty.log"), "");
    const run = await runCli(["parse", "empty.log", "-o", "made/deeper/steps.json"], { cwd: directory });
    expect(run.code).toBe(2);
    expect(readdirSync(directory)).toEqual(["empty.log"]);
  });
});

describe("options files shared by DCL and MMS", () => {
  it("leaves an identical options file as it is", async () => {
    const directory = scratch();
    expect((await runCli(["translate", LOG, "-o", "BUILD.COM"], { cwd: directory })).code).toBe(0);
    const before = readFileSync(path.join(directory, "app.opt"), "utf8");
    const run = await runCli(["translate", LOG, "--format", "mms", "-o", "DESCRIP.MMS"], { cwd: directory });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(directory, "app.opt"), "utf8")).toBe(before);
    expect(readdirSync(directory).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("still rejects a different options file without --force", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "app.opt"), "OTHER.OBJ\n");
    const run = await runCli(["translate", LOG, "-o", "BUILD.COM"], { cwd: directory });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/app\.opt: output file already exists/);
    expect(readFileSync(path.join(directory, "app.opt"), "utf8")).toBe("OTHER.OBJ\n");
  });
});

describe.runIf(existsSync("/dev/full"))("a device that fails writes", () => {
  it("parse -o reports it without a stack trace", async () => {
    const run = await runCli(["parse", LOG, "-o", "/dev/full"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: \/dev\/full: cannot write output: no space left on the device$/m);
  });

  it("parse to a full standard output reports it", () => {
    const descriptor = openSync("/dev/full", "w");
    const run = spawnSync(process.execPath, [CLI, "parse", LOG], {
      stdio: ["ignore", descriptor, "pipe"],
      encoding: "utf8",
    });
    closeSync(descriptor);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: standard output: cannot write output: ENOSPC/m);
  });

  it("scan -o names the device in its hint", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "main.c"), "int main(void) { return 0; }\n");
    const run = await runCli(["scan", "main.c", "-o", "/dev/full"], { cwd: directory });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/device or pipe accepts writes/);
  });
});

describe("translate --format mms into a device", () => {
  it("rejects a description file that needs options files", async () => {
    const run = await runCli(["translate", LOG, "--format", "mms", "-o", "/dev/null"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/which a device or pipe cannot carry/);
  });
});
