import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { StagedOutput } from "../../src/emit/write.js";
import { UserError } from "../../src/util/errors.js";

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "vmsport-write-"));
}

/** Names in a directory, temporary files included. */
function entries(directory: string): string[] {
  return readdirSync(directory).sort();
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("StagedOutput", () => {
  it("writes the main file and staged files", async () => {
    const directory = scratch();
    const output = new StagedOutput(path.join(directory, "build.com"), false);
    output.stage(path.join(directory, "a.opt"), "A.OBJ\n");
    output.stage(path.join(directory, "b.opt"), ["B.OBJ\n", "C.OBJ\n"]);
    await output.commit(["$ CC A.C\n", "$ LINK A\n"]);
    expect(entries(directory)).toEqual(["a.opt", "b.opt", "build.com"]);
    expect(readFileSync(path.join(directory, "build.com"), "utf8")).toBe("$ CC A.C\n$ LINK A\n");
    expect(readFileSync(path.join(directory, "b.opt"), "utf8")).toBe("B.OBJ\nC.OBJ\n");
  });

  it("creates the output directory", async () => {
    const directory = path.join(scratch(), "new", "dir");
    const output = new StagedOutput(path.join(directory, "build.com"), false);
    output.stage(path.join(directory, "a.opt"), "A.OBJ\n");
    await output.commit("$ EXIT\n");
    expect(entries(directory)).toEqual(["a.opt", "build.com"]);
  });

  it("rejects an existing staged file and writes nothing", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "b.opt"), "old");
    const output = new StagedOutput(path.join(directory, "build.com"), false);
    output.stage(path.join(directory, "a.opt"), "A.OBJ\n");
    output.stage(path.join(directory, "b.opt"), "B.OBJ\n");
    const error = await failure(output.commit("$ EXIT\n"));
    expect(error.message).toBe("output file already exists with other content");
    expect(error.location?.file).toBe(path.join(directory, "b.opt"));
    expect(entries(directory)).toEqual(["b.opt"]);
    expect(readFileSync(path.join(directory, "b.opt"), "utf8")).toBe("old");
  });

  it("points a directory in an options file's way at the build", async () => {
    const directory = scratch();
    mkdirSync(path.join(directory, "a.opt"));
    const output = new StagedOutput(path.join(directory, "build.com"), false);
    output.stage(path.join(directory, "a.opt"), "A.OBJ\n");
    const error = await failure(output.commit("$ EXIT\n"));
    expect(error.hint).toMatch(/options file or header/);
  });

  it("keeps the main file out after a failed rename", async () => {
    const directory = scratch();
    const main = path.join(directory, "build.com");
    const staged = path.join(directory, "a.opt");
    const output = new StagedOutput(main, false);
    output.stage(staged, "A.OBJ\n");
    // A directory that appears after the checks makes the rename fail, as another process could.
    mkdirSync(staged);
    writeFileSync(path.join(staged, "keep"), "");
    const error = await failure(output.commit("$ EXIT\n"));
    expect(error.location?.file).toBe(staged);
    expect(existsSync(main)).toBe(false);
    expect(entries(directory)).toEqual(["a.opt"]);
  });

  it("rejects an existing main file first", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "build.com"), "old");
    writeFileSync(path.join(directory, "a.opt"), "old");
    const output = new StagedOutput(path.join(directory, "build.com"), false);
    output.stage(path.join(directory, "a.opt"), "A.OBJ\n");
    const error = await failure(output.commit("$ EXIT\n"));
    expect(error.location?.file).toBe(path.join(directory, "build.com"));
    expect(entries(directory)).toEqual(["a.opt", "build.com"]);
  });

  it("replaces existing files with force", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "build.com"), "old");
    writeFileSync(path.join(directory, "a.opt"), "old");
    const output = new StagedOutput(path.join(directory, "build.com"), true);
    output.stage(path.join(directory, "a.opt"), "A.OBJ\n");
    await output.commit("$ EXIT\n");
    expect(readFileSync(path.join(directory, "a.opt"), "utf8")).toBe("A.OBJ\n");
    expect(readFileSync(path.join(directory, "build.com"), "utf8")).toBe("$ EXIT\n");
  });

  it("rejects a directory even with force", async () => {
    const directory = scratch();
    mkdirSync(path.join(directory, "a.opt"));
    const output = new StagedOutput(path.join(directory, "build.com"), true);
    output.stage(path.join(directory, "a.opt"), "A.OBJ\n");
    const error = await failure(output.commit("$ EXIT\n"));
    expect(error.message).toBe("output path is a directory");
    expect(entries(directory)).toEqual(["a.opt"]);
  });

  it("rejects a file staged twice", async () => {
    const directory = scratch();
    const output = new StagedOutput(path.join(directory, "build.com"), false);
    output.stage(path.join(directory, "a.opt"), "A.OBJ\n");
    output.stage(path.join(directory, ".", "a.opt"), "B.OBJ\n");
    const error = await failure(output.commit("$ EXIT\n"));
    expect(error.message).toBe("the same output file would be written twice");
    expect(entries(directory)).toEqual([]);
  });

  it("reports a path below a file", async () => {
    const directory = scratch();
    writeFileSync(path.join(directory, "plain"), "a file, not a directory");
    const main = path.join(directory, "plain", "build.com");
    const output = new StagedOutput(main, false);
    output.stage(path.join(directory, "plain", "a.opt"), "A.OBJ\n");
    const error = await failure(output.commit("$ EXIT\n"));
    expect(error.message).toMatch(/^output file cannot be read: ENOTDIR/);
    expect(error.location?.file).toBe(main);
    expect(entries(directory)).toEqual(["plain"]);
  });

  it("removes a created directory on failure", async () => {
    const parent = scratch();
    const directory = path.join(parent, "new", "dir");
    const output = new StagedOutput(path.join(directory, "build.com"), false);
    output.stage(path.join(directory, "a.opt"), "A.OBJ\n");
    output.stage(path.join(directory, "a.opt"), "B.OBJ\n");
    await failure(output.commit("$ EXIT\n"));
    expect(entries(parent)).toEqual([]);
  });

  it("removes staged files on abort", async () => {
    const directory = scratch();
    const output = new StagedOutput(path.join(directory, "build.com"), false);
    output.stage(path.join(directory, "a.opt"), "A.OBJ\n");
    await output.abort();
    expect(entries(directory)).toEqual([]);
    expect(existsSync(path.join(directory, "build.com"))).toBe(false);
  });
});
