import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createResponseFileReader, MAX_RESPONSE_FILE_BYTES } from "../../src/log/response-reader.js";

const directories: string[] = [];

function scratch(): string {
  const directory = mkdtempSync(path.join(tmpdir(), "vmsport-rsp-"));
  directories.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe("createResponseFileReader", () => {
  it("reads a response file", () => {
    const file = path.join(scratch(), "a.rsp");
    writeFileSync(file, "-DX=1 -Iinc");
    expect(createResponseFileReader()(file)?.toString()).toBe("-DX=1 -Iinc");
  });

  it("keeps a file's bytes for the run", () => {
    const file = path.join(scratch(), "a.rsp");
    writeFileSync(file, "-DX=1");
    const read = createResponseFileReader();
    read(file);
    rmSync(file);
    expect(read(file)?.toString()).toBe("-DX=1");
  });

  it("keeps a missing file missing for the run", () => {
    const file = path.join(scratch(), "late.rsp");
    const read = createResponseFileReader();
    expect(read(file)).toBeUndefined();
    writeFileSync(file, "-DX=1");
    expect(read(file)).toBeUndefined();
  });

  it("skips a directory", () => {
    expect(createResponseFileReader()(scratch())).toBeUndefined();
  });

  it("skips a file over the size limit", () => {
    const file = path.join(scratch(), "huge.rsp");
    writeFileSync(file, Buffer.alloc(MAX_RESPONSE_FILE_BYTES + 1, 0x20));
    expect(createResponseFileReader()(file)).toBeUndefined();
  });
});
