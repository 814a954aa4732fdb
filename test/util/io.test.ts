import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/util/errors.js";
import { readInput, writeFilesAtomically, writeOutput } from "../../src/util/io.js";

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "vmsport-io-"));
}

describe("writeFilesAtomically", () => {
  it("writes every file and leaves no temporary files", async () => {
    const dir = scratch();
    await writeFilesAtomically(
      [
        { path: path.join(dir, "BUILD.COM"), content: "$ exit\n" },
        { path: path.join(dir, "sub", "IMAGE.OPT"), content: "A.OBJ\n" },
      ],
      { force: false },
    );
    expect(readFileSync(path.join(dir, "BUILD.COM"), "utf8")).toBe("$ exit\n");
    expect(readFileSync(path.join(dir, "sub", "IMAGE.OPT"), "utf8")).toBe("A.OBJ\n");
    expect(readdirSync(dir).sort()).toEqual(["BUILD.COM", "sub"]);
  });

  it("refuses an existing file without force and writes nothing", async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, "IMAGE.OPT"), "old");
    const attempt = writeFilesAtomically(
      [
        { path: path.join(dir, "BUILD.COM"), content: "new" },
        { path: path.join(dir, "IMAGE.OPT"), content: "new" },
      ],
      { force: false },
    );
    await expect(attempt).rejects.toThrow(/already exists/);
    expect(readdirSync(dir)).toEqual(["IMAGE.OPT"]);
    expect(readFileSync(path.join(dir, "IMAGE.OPT"), "utf8")).toBe("old");
  });

  it("replaces an existing file with force", async () => {
    const dir = scratch();
    const file = path.join(dir, "out.json");
    writeFileSync(file, "old");
    await writeFilesAtomically([{ path: file, content: "new" }], { force: true });
    expect(readFileSync(file, "utf8")).toBe("new");
  });

  it("rejects a directory as output", async () => {
    const dir = scratch();
    mkdirSync(path.join(dir, "out"));
    const attempt = writeFilesAtomically([{ path: path.join(dir, "out"), content: "x" }], { force: true });
    await expect(attempt).rejects.toThrow(/is a directory/);
  });

  it("rejects the same path given twice", async () => {
    const dir = scratch();
    const file = path.join(dir, "a");
    const attempt = writeFilesAtomically(
      [
        { path: file, content: "1" },
        { path: file, content: "2" },
      ],
      { force: true },
    );
    await expect(attempt).rejects.toBeInstanceOf(UserError);
  });
});

describe("writeOutput", () => {
  it("writes to the stream without a path", async () => {
    const chunks: string[] = [];
    const stream = {
      write(chunk: string, callback: (error?: Error | null) => void) {
        chunks.push(chunk);
        callback();
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    await writeOutput(undefined, "result\n", { force: false }, stream);
    expect(chunks).toEqual(["result\n"]);
  });
});

describe("readInput", () => {
  it("names a missing file", async () => {
    const missing = path.join(scratch(), "nope.log");
    const attempt = readInput(missing, "build log");
    await expect(attempt).rejects.toMatchObject({
      message: "build log not found",
      location: { file: missing },
    });
  });

  it("rejects a directory", async () => {
    await expect(readInput(scratch())).rejects.toThrow(/is a directory/);
  });
});
