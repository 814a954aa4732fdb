import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { UserError } from "../../src/util/errors.js";
import {
  InvalidFileSpecError,
  normalizeUnixPath,
  parseRootMapping,
  parseVmsSpec,
  type RootMapping,
  unixDirectoryToVms,
  unixToVms,
  vmsToUnix,
} from "../../src/vms/filespec.js";

const zlibRoot: RootMapping[] = [{ unixPrefix: "/home/user/src/zlib", logical: "SRC$ROOT" }];

describe("unixToVms", () => {
  test.each([
    ["a/b/c.c", "[.A.B]C.C"],
    ["c.c", "C.C"],
    ["./x.c", "X.C"],
    ["../x.h", "[-]X.H"],
    ["../../x.h", "[-.-]X.H"],
    ["../../a/x.h", "[-.-.A]X.H"],
    ["a/../b/c.c", "[.B]C.C"],
    ["a//b/./c.c", "[.A.B]C.C"],
    ["a/b/", "[.A.B]"],
    ["a/b/.", "[.A.B]"],
    ["a/b/..", "[.A]"],
    [".", "[]"],
    ["..", "[-]"],
    ["Makefile", "MAKEFILE."],
    ["src/Makefile", "[.SRC]MAKEFILE."],
    [".profile", ".PROFILE"],
    ["/dev/dir/f", "DEV:[DIR]F."],
    ["/dev/dir/sub/f.c", "DEV:[DIR.SUB]F.C"],
    ["/dev/dir/", "DEV:[DIR]"],
    ["/dev/f", "DEV:F."],
    ["/dev", "DEV:"],
    ["/dev/", "DEV:"],
    ["/sys$login/f", "SYS$LOGIN:F."],
    ["/", "SYS$POSIX_ROOT:[000000]"],
    ["/..", "SYS$POSIX_ROOT:[000000]"],
    ["/dev/null", "NLA0:"],
    ["/tmp/x.log", "SYS$SCRATCH:X.LOG"],
    ["/bin/sh", "SYS$SYSTEM:SH."],
    ["/usr/include/stdio.h", "USR:[INCLUDE]STDIO.H"],
  ])("upper case %s", (path, expected) => {
    expect(unixToVms(path, { case: "upper" }).spec).toBe(expected);
  });

  test.each([
    ["foo.tar.gz", "FOO^.TAR.GZ"],
    ["my file.c", "MY^_FILE.C"],
    ["a^b.c", "A^^B.C"],
    ["x[1].c", "X^[1^].C"],
    ["a;b,c.c", "A^;B^,C.C"],
    ["100%.c", "100^%.C"],
    ["a&b!c#d.c", "A^&B^!C^#D.C"],
    ["it's(1).c", "IT^'S^(1^).C"],
    ["a+b=c@d.c", "A^+B^=C^@D.C"],
    ["a`b{c}~.c", "A^`B^{C^}^~.C"],
    ["foo.", "FOO^.."],
    ["...", "^.^.^.."],
    ["café.c", "CAFé.C"],
    ["a\u00a0b.c", "A^A0B.C"],
    ["a\u0085b.c", "A^85B.C"],
    ["a\u007fb.c", "A^7FB.C"],
    ["日.c", "^U65E5.C"],
    ["v1.2/x.c", "[.V1^.2]X.C"],
    ["-/x.c", "[.^-]X.C"],
    ["$-_/x$y-z_.c", "[.$-_]X$Y-Z_.C"],
  ])("ODS-5 escapes %s", (path, expected) => {
    expect(unixToVms(path, { ods: 5, case: "upper" }).spec).toBe(expected);
  });

  test("default case is upper", () => {
    expect(unixToVms("src/Makefile.in").spec).toBe("[.SRC]MAKEFILE.IN");
  });

  test("ODS-5 preserve case", () => {
    expect(unixToVms("src/Makefile.in", { case: "preserve" }).spec).toBe("[.src]Makefile.in");
  });

  test("preserve case keeps device upper", () => {
    expect(unixToVms("/sys$login/Makefile", { case: "preserve" }).spec).toBe("SYS$LOGIN:Makefile.");
  });

  test("ODS-2 default case is upper", () => {
    expect(unixToVms("src/Makefile.in", { ods: 2 }).spec).toBe("[.SRC]MAKEFILE.IN");
  });

  test("upper case leaves Latin-1 letters", () => {
    expect(unixToVms("ßÿµ.c", { case: "upper" }).spec).toBe("ßÿµ.C");
  });

  test("explicit current directory", () => {
    expect(unixToVms("x.c", { explicitCurrentDirectory: true, case: "upper" }).spec).toBe("[]X.C");
  });

  test("crtl special names off", () => {
    expect(unixToVms("/tmp/x", { crtlSpecialNames: false, case: "upper" }).spec).toBe("TMP:X.");
  });

  test("ODS-5 legal names have no problems", () => {
    expect(unixToVms("a b/c.d.e^f~é.c").problems).toEqual([]);
  });

  test("ODS-5 forbidden character", () => {
    const result = unixToVms("x:y.c", { case: "preserve" });
    expect(result.spec).toBe("x^3Ay.c");
    expect(result.problems.map((problem) => [problem.code, problem.character])).toEqual([
      ["invalid-character", ":"],
    ]);
  });

  test("ODS-5 character outside UCS-2", () => {
    expect(unixToVms("\u{1F600}.c").problems.map((problem) => problem.code)).toEqual(["invalid-character"]);
  });

  test("ODS-5 name too long", () => {
    const name = `${"n".repeat(234)}.c`;
    expect(unixToVms(name).problems).toEqual([]);
    expect(unixToVms(`n${name}`).problems.map((problem) => problem.code)).toEqual(["name-too-long"]);
  });

  test("ODS-5 directory name too long", () => {
    expect(unixToVms(`${"d".repeat(236)}/x.c`).problems).toEqual([]);
    expect(unixToVms(`${"d".repeat(237)}/x.c`).problems.map((problem) => problem.code)).toEqual([
      "name-too-long",
    ]);
  });

  test("directory too deep", () => {
    const deep = `${Array.from({ length: 256 }, () => "d").join("/")}/x.c`;
    expect(unixToVms(deep).problems.map((problem) => problem.code)).toEqual(["directory-too-deep"]);
  });

  test("invalid device name problem", () => {
    expect(unixToVms("/my dir/x.c").problems.map((problem) => problem.code)).toEqual(["invalid-character"]);
  });

  test("empty path rejected", () => {
    expect(() => unixToVms("")).toThrow(UserError);
  });

  test("NUL rejected", () => {
    expect(() => unixToVms("a\0b")).toThrow(/NUL/);
  });
});

describe("unixToVms on ODS-2", () => {
  const problemsOf = (path: string) => unixToVms(path, { ods: 2 }).problems;

  test("plain names have no problems", () => {
    expect(problemsOf("src/zlib-1_3/inflate$x.c")).toEqual([]);
  });

  test("names are not escaped", () => {
    expect(unixToVms("foo.tar.gz", { ods: 2 }).spec).toBe("FOO.TAR.GZ");
  });

  test("extra dot", () => {
    expect(problemsOf("foo.tar.gz").map((problem) => problem.code)).toEqual(["extra-dot"]);
  });

  test("dot in directory", () => {
    expect(problemsOf("v1.2/x.c").map((problem) => [problem.code, problem.name])).toEqual([
      ["extra-dot", "v1.2"],
    ]);
  });

  test("invalid characters", () => {
    expect(problemsOf("a+b c.c").map((problem) => problem.character)).toEqual(["+", " "]);
  });

  test("invalid character message", () => {
    expect(problemsOf("a+b.c")[0]?.message).toBe('ODS-2 names cannot contain "+"');
  });

  test("name too long", () => {
    expect(problemsOf(`${"n".repeat(39)}.c`)).toEqual([]);
    expect(problemsOf(`${"n".repeat(40)}.c`).map((problem) => problem.code)).toEqual(["name-too-long"]);
  });

  test("type too long", () => {
    expect(problemsOf(`n.${"t".repeat(40)}`).map((problem) => problem.code)).toEqual(["type-too-long"]);
  });

  test("hyphen directory", () => {
    expect(problemsOf("-/x.c").map((problem) => [problem.code, problem.character])).toEqual([
      ["invalid-character", "-"],
    ]);
  });

  test("repeated name reported once", () => {
    expect(problemsOf("a+b/a+b/x.c")).toHaveLength(1);
  });

  test("problem carries level and name", () => {
    expect(problemsOf("a~b.c")[0]).toMatchObject({ ods: 2, name: "a~b.c", character: "~" });
  });

  test("Makefile gets trailing dot", () => {
    expect(unixToVms("Makefile", { ods: 2 }).spec).toBe("MAKEFILE.");
  });
});

describe("unixDirectoryToVms", () => {
  test.each([
    ["a/b", "[.A.B]"],
    ["a/b/", "[.A.B]"],
    [".", "[]"],
    ["../..", "[-.-]"],
    ["/dev/dir", "DEV:[DIR]"],
    ["/home/user/src/zlib", "SRC$ROOT:[000000]"],
    ["/home/user/src/zlib/contrib", "SRC$ROOT:[CONTRIB]"],
  ])("%s", (path, expected) => {
    expect(unixDirectoryToVms(path, { roots: zlibRoot, case: "upper" }).spec).toBe(expected);
  });
});

describe("root mappings", () => {
  test.each([
    ["/home/user/src/zlib/contrib/x.c", "SRC$ROOT:[CONTRIB]X.C"],
    ["/home/user/src/zlib/x.c", "SRC$ROOT:[000000]X.C"],
    ["/home/user/src/zlib", "SRC$ROOT:[000000]"],
    ["/home/user/src/zlibx/y.c", "HOME:[USER.SRC.ZLIBX]Y.C"],
  ])("%s", (path, expected) => {
    expect(unixToVms(path, { roots: zlibRoot, case: "upper" }).spec).toBe(expected);
  });

  test("longest prefix wins", () => {
    const roots = [...zlibRoot, { unixPrefix: "/home/user/src/zlib/contrib/", logical: "contrib$root:" }];
    expect(unixToVms("/home/user/src/zlib/contrib/a/x.c", { roots, case: "upper" }).spec).toBe(
      "CONTRIB$ROOT:[A]X.C",
    );
  });

  test("root at slash", () => {
    const roots = [{ unixPrefix: "/", logical: "POSIX$ROOT" }];
    expect(unixToVms("/usr/x.h", { roots, case: "upper" }).spec).toBe("POSIX$ROOT:[USR]X.H");
  });

  test("relative prefix rejected", () => {
    expect(() => unixToVms("/a/b", { roots: [{ unixPrefix: "a", logical: "A" }] })).toThrow(/not absolute/);
  });

  test("bad logical name rejected", () => {
    expect(() => unixToVms("/a/b", { roots: [{ unixPrefix: "/a", logical: "A B" }] })).toThrow(
      /invalid logical name/,
    );
  });

  test("parseRootMapping form", () => {
    expect(parseRootMapping("src$root=/home/user/src/zlib")).toEqual({
      logical: "SRC$ROOT",
      unixPrefix: "/home/user/src/zlib/",
    });
  });

  test.each(["SRC$ROOT", "=/a", "SRC$ROOT="])("parseRootMapping rejects %s", (text) => {
    expect(() => parseRootMapping(text)).toThrow(/invalid root mapping/);
  });
});

describe("normalizeUnixPath", () => {
  test.each([
    ["a/./b//c", "a/b/c"],
    ["a/../../b", "../b"],
    ["./", "./"],
    ["a/..", "./"],
    ["/../a", "/a"],
    ["/a/b/../", "/a/"],
    ["../", "../"],
  ])("%s", (path, expected) => {
    expect(normalizeUnixPath(path)).toBe(expected);
  });
});

describe("vmsToUnix", () => {
  test.each([
    ["[.A.B]C.C", "a/b/c.c"],
    ["[-]X.H", "../x.h"],
    ["[--]X.H", "../../x.h"],
    ["[-.-]X.H", "../../x.h"],
    ["[-.A]X.H", "../a/x.h"],
    ["[.A.-]X.H", "x.h"],
    ["[]X.C", "x.c"],
    ["X.C", "x.c"],
    ["MAKEFILE.", "makefile"],
    ["MAKEFILE", "makefile"],
    [".PROFILE", ".profile"],
    ["DEV:[DIR]F.", "/dev/dir/f"],
    ["DEV:[DIR.SUB]", "/dev/dir/sub/"],
    ["DEV:F.C", "/dev/f.c"],
    ["DEV:", "/dev"],
    ["DEV:[000000]", "/dev/"],
    ["DEV:[000000]F.C", "/dev/f.c"],
    ["DEV:[000000.A]F.C", "/dev/a/f.c"],
    ["SYS$LOGIN:F", "/sys$login/f"],
    ["[A.B]F.C", "/sys$disk/a/b/f.c"],
    ["<A.B>F.C", "/sys$disk/a/b/f.c"],
    ["[.A]", "a/"],
    ["[]", "./"],
    ["[-]", "../"],
    ["X.C;3", "x.c"],
    ["X.C;", "x.c"],
    ["X.C.3", "x.c"],
    ["NAME.DIR;1", "name/"],
    ["[A]B.DIR;1", "/sys$disk/a/b/"],
    ["NAME.DIR", "name.dir"],
    ["FOO^.TAR.GZ", "foo.tar.gz"],
    ["FOO.TAR.GZ", "foo.tar.gz"],
    ["MY^_FILE.C", "my file.c"],
    ["MY^ FILE.C", "my file.c"],
    ["A^^B.C", "a^b.c"],
    ["X^[1^].C", "x[1].c"],
    ["CAF^E9.C", "café.c"],
    ["^U65E5.C", "日.c"],
    ["[.V1^.2]X.C", "v1.2/x.c"],
    ["[.^-]X.C", "-/x.c"],
    ["FOO^..", "foo."],
    ["NLA0:", "/dev/null"],
    ["SYS$SCRATCH:X.LOG", "/tmp/x.log"],
    ["SYS$SYSTEM:SH.", "/bin/sh"],
    ["SYS$POSIX_ROOT:[USR]X.H", "/usr/x.h"],
    ["SYS$POSIX_ROOT:[000000]", "/"],
    ["$1$DGA100:[A]B.C", "/$1$dga100/a/b.c"],
    ["[-A]X.C", "/sys$disk/-a/x.c"],
  ])("%s", (spec, expected) => {
    expect(vmsToUnix(spec)).toBe(expected);
  });

  test("case preserve", () => {
    expect(vmsToUnix("[.Src]Makefile.IN", { case: "preserve" })).toBe("Src/Makefile.IN");
  });

  test("keep version", () => {
    expect(vmsToUnix("[.A]X.C;3", { keepVersion: true })).toBe("a/x.c;3");
  });

  test("keep version on ODS-2 dot form", () => {
    expect(vmsToUnix("X.C.12", { keepVersion: true })).toBe("x.c;12");
  });

  test("root mapping back", () => {
    expect(vmsToUnix("src$root:[CONTRIB]X.C", { roots: zlibRoot })).toBe("/home/user/src/zlib/contrib/x.c");
  });

  test("root mapping top directory", () => {
    expect(vmsToUnix("SRC$ROOT:[000000]X.C", { roots: zlibRoot })).toBe("/home/user/src/zlib/x.c");
  });

  test("crtl special names off", () => {
    expect(vmsToUnix("SYS$SCRATCH:X.", { crtlSpecialNames: false })).toBe("/sys$scratch/x");
  });

  test.each([
    ["", "empty", 1],
    ["NODE::X.C", "DECnet", 5],
    ["[A", 'no closing "]"', 1],
    ["<A]X", 'no closing ">"', 1],
    ["[A][B]X", "second directory", 4],
    ["[A.]X", "rooted directory", 4],
    ["[A..B]X", "empty", 4],
    ["[.A...]X", 'wildcard "..."', 2],
    ["*.C", 'wildcard "*"', 1],
    ["[.A]X%.C", 'wildcard "%"', 6],
    ["X.C;*", 'wildcard version ";*"', 5],
    ["X.C;A", "version", 5],
    ["X.C;99999", "version", 5],
    ["A B.C", "^_", 2],
    ["A,B.C", "^,", 2],
    ["X^", "caret", 2],
    ["[A]F:G", '":"', 5],
    ["A B:X", "device", 1],
    ["[-]X", "", 0],
    ["DEV:[-]X", "relative directory after a device", 5],
    ["[A.-.-]X", "above the top directory", 6],
  ])("rejects %s", (spec, reason, column) => {
    if (column === 0) {
      expect(() => vmsToUnix(spec)).not.toThrow();
      return;
    }
    let error: unknown;
    try {
      vmsToUnix(spec);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidFileSpecError);
    expect((error as InvalidFileSpecError).reason).toContain(reason);
    expect((error as InvalidFileSpecError).column).toBe(column);
  });

  test("invalid spec is a UserError", () => {
    expect(() => vmsToUnix("[A")).toThrow(UserError);
  });
});

describe("parseVmsSpec", () => {
  test("fields", () => {
    expect(parseVmsSpec("DKA0:[USERS.BOB]LOGIN.COM;2")).toEqual({
      device: "DKA0",
      directory: { relative: false, up: 0, names: ["USERS", "BOB"] },
      name: "LOGIN",
      type: "COM",
      version: "2",
    });
  });

  test("empty type differs from none", () => {
    expect(parseVmsSpec("F.").type).toBe("");
    expect(parseVmsSpec("F").type).toBeUndefined();
  });

  test("ODS-5 extra dots stay in name", () => {
    expect(parseVmsSpec("a.b.c")).toMatchObject({ name: "a.b", type: "c" });
  });
});

// Names from the characters an ODS-5 name can hold, weighted towards the ones that need escapes.
const nameCharacter = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(..."abcXYZ019") },
  {
    weight: 4,
    arbitrary: fc.constantFrom(..." .^$-~_[];,%&!#'()+=@`{}"),
  },
  { weight: 2, arbitrary: fc.constantFrom(..."éÿßÄ\u00a0\u0085µ") },
  { weight: 1, arbitrary: fc.constantFrom("日", "Ω", "\u0100") },
);
const name = fc
  .array(nameCharacter, { minLength: 1, maxLength: 12 })
  .map((characters) => characters.join(""))
  .filter((text) => text !== "." && text !== "..");
const segment = fc.oneof(
  { weight: 6, arbitrary: name },
  { weight: 1, arbitrary: fc.constantFrom(".", "..", "") },
);
const relativePath = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 10 }), fc.boolean())
  .map(([segments, directory]) => segments.join("/") + (directory ? "/" : ""))
  .filter((path) => path !== "" && !path.startsWith("/"));

describe("round trip", () => {
  test("ODS-5 relative paths", () => {
    fc.assert(
      fc.property(relativePath, (path) => {
        const { spec } = unixToVms(path, { ods: 5, case: "preserve" });
        expect(vmsToUnix(spec, { case: "preserve" })).toBe(normalizeUnixPath(path));
      }),
      { numRuns: 500 },
    );
  });

  test("ODS-5 paths under a root", () => {
    fc.assert(
      fc.property(relativePath, (path) => {
        // A path that climbs out of the root is translated with its first component as the device instead.
        fc.pre(!normalizeUnixPath(path).startsWith("../"));
        const absolute = `/home/user/src/zlib/${path}`;
        const { spec } = unixToVms(absolute, { ods: 5, case: "preserve", roots: zlibRoot });
        const back = vmsToUnix(spec, { case: "preserve", roots: zlibRoot });
        const expected = normalizeUnixPath(absolute);
        // The root itself comes back as a directory, which its normal form may lack.
        expect(back === expected || back === `${expected}/`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test("ODS-5 legal names report no problems", () => {
    fc.assert(
      fc.property(relativePath, (path) => {
        expect(unixToVms(path, { ods: 5 }).problems).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  test("ODS-2 round trip of plain names", () => {
    const directory = fc.stringMatching(/^[a-z0-9$_-]{1,39}$/).filter((text) => !/^-+$/.test(text));
    const file = fc.stringMatching(/^[a-z0-9$_-]{1,39}(\.[a-z0-9$_-]{1,39})?$/);
    fc.assert(
      fc.property(fc.array(directory, { maxLength: 5 }), file, (directories, fileName) => {
        const path = [...directories, fileName].join("/");
        const { spec, problems } = unixToVms(path, { ods: 2 });
        expect(problems).toEqual([]);
        expect(vmsToUnix(spec)).toBe(normalizeUnixPath(path));
      }),
      { numRuns: 200 },
    );
  });
});
