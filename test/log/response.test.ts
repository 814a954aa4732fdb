import { describe, expect, it } from "vitest";
import { expandResponseFiles } from "../../src/log/response.js";

/** Creates a reader over an in-memory file table that records every path it is asked for. */
function recordingReader(files: Record<string, string>) {
  const requested: string[] = [];
  const read = (file: string): Buffer | undefined => {
    requested.push(file);
    const content = files[file];
    return content === undefined ? undefined : Buffer.from(content);
  };
  return { read, requested };
}

describe("expandResponseFiles", () => {
  it("reads the step directory first", () => {
    const { read, requested } = recordingReader({ "/build/sub/a.rsp": "-DX=1" });
    const result = expandResponseFiles(["cc", "@a.rsp"], "/build/sub", ["/logs"], read);
    expect(result.argv).toEqual(["cc", "-DX=1"]);
    expect(requested).toEqual(["/build/sub/a.rsp"]);
  });

  it("falls back to the roots in order", () => {
    const { read, requested } = recordingReader({ "/second/sub/a.rsp": "-Iinc" });
    const result = expandResponseFiles(["cc", "@a.rsp"], "sub", ["/first", "/second"], read);
    expect(result.argv).toEqual(["cc", "-Iinc"]);
    expect(requested).toEqual(["sub/a.rsp", "/first/sub/a.rsp", "/second/sub/a.rsp"]);
  });

  it("tries each candidate path once", () => {
    const { read, requested } = recordingReader({});
    const result = expandResponseFiles(["cc", "@a.rsp"], "sub", ["/first", "/second", "/first"], read);
    expect(requested).toEqual(["sub/a.rsp", "/first/sub/a.rsp", "/second/sub/a.rsp"]);
    expect(result.files).toEqual([{ path: "a.rsp", resolved: false }]);
  });

  it("reads an absolute path only as written", () => {
    const { read, requested } = recordingReader({ "/tmp/x.rsp": "-O2" });
    const result = expandResponseFiles(["cc", "@/tmp/x.rsp"], "/build", ["/logs"], read);
    expect(result.argv).toEqual(["cc", "-O2"]);
    expect(requested).toEqual(["/tmp/x.rsp"]);
  });

  it("keeps a missing file's word", () => {
    const { read } = recordingReader({});
    const result = expandResponseFiles(["cc", "@gone.rsp", "x.c"], "/build", [], read);
    expect(result.argv).toEqual(["cc", "@gone.rsp", "x.c"]);
  });
});
