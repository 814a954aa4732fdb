import { describe, expect, it } from "vitest";
import { DirectoryCreation, directoryFileOf, directoryOf } from "../../src/emit/directories.js";

describe("directoryFileOf", () => {
  const cases: [string, string | undefined][] = [
    ["SRC$ROOT:[BUILD]", "SRC$ROOT:[000000]BUILD.DIR"],
    ["SRC$ROOT:[A.B.C]", "SRC$ROOT:[A.B]C.DIR"],
    ["SRC$ROOT:[CMAKEFILES.UTIL^.DIR.SRC]", "SRC$ROOT:[CMAKEFILES.UTIL^.DIR]SRC.DIR"],
    ["SRC$ROOT:[OBJ^.ST]", "SRC$ROOT:[000000]OBJ^.ST.DIR"],
    ["SRC$ROOT:[000000]", undefined],
  ];
  for (const [spec, expected] of cases) {
    it(spec, () => {
      expect(directoryFileOf(spec)).toBe(expected);
    });
  }
});

describe("directoryOf", () => {
  it("file in a directory", () => {
    expect(directoryOf("SRC$ROOT:[A.B]C^.D.OBJ")).toBe("SRC$ROOT:[A.B]");
  });

  it("escaped bracket in a name", () => {
    expect(directoryOf("SRC$ROOT:[A^]B]C.OBJ")).toBe("SRC$ROOT:[A^]B]");
  });
});

describe("DirectoryCreation", () => {
  it("creates a directory once", () => {
    const creation = new DirectoryCreation("SRC$ROOT");
    expect(creation.needed(["SRC$ROOT:[BUILD]", "SRC$ROOT:[BUILD]"])).toEqual(["SRC$ROOT:[BUILD]"]);
    expect(creation.needed(["SRC$ROOT:[BUILD]"])).toEqual([]);
  });

  it("counts the levels above a created directory", () => {
    const creation = new DirectoryCreation("SRC$ROOT");
    creation.needed(["SRC$ROOT:[BUILD.CMAKEFILES.APP^.DIR.SRC]"]);
    expect(creation.needed(["SRC$ROOT:[BUILD.CMAKEFILES]"])).toEqual([]);
  });

  it("leaves a directory that holds a source file", () => {
    const creation = new DirectoryCreation("SRC$ROOT");
    creation.sourceFile("SRC$ROOT:[LIB.SRC]UTIL.C");
    expect(creation.needed(["SRC$ROOT:[LIB]", "SRC$ROOT:[LIB.SRC]"])).toEqual([]);
  });

  it("leaves a directory a step made", () => {
    const creation = new DirectoryCreation("SRC$ROOT");
    creation.made("SRC$ROOT:[OUT]");
    expect(creation.needed(["SRC$ROOT:[OUT]"])).toEqual([]);
  });

  it("leaves the root and other devices", () => {
    const creation = new DirectoryCreation("SRC$ROOT");
    expect(creation.needed(["SRC$ROOT:[000000]", "SYS$SCRATCH:[TMP]", undefined])).toEqual([]);
  });
});
