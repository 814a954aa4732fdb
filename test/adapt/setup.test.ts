import { describe, expect, it } from "vitest";
import {
  featureSettings,
  generateInitSource,
  generateSetup,
  loadCrtlKnowledgeBase,
} from "../../src/adapt/index.js";
import { checkProcedure } from "../../src/dcl/index.js";
import type { BuildStep, LinkStep, UnknownStep } from "../../src/model/steps.js";

const knowledge = loadCrtlKnowledgeBase();

function link(
  output: string,
  directory: string,
  product: LinkStep["product"] = "executable",
  line = 1,
): LinkStep {
  return {
    kind: "link",
    index: line,
    origin: { file: "build.log", startLine: line, endLine: line },
    directory: { path: directory, source: "make-enter" },
    command: `gcc -o ${output}`,
    argv: ["gcc", "-o", output],
    diagnostics: [],
    status: { result: "ok" },
    tool: "gcc",
    language: "c",
    product,
    output,
    inputs: [],
    libraryDirectories: [],
    libraries: [],
    linkerOptions: [],
    threads: false,
    otherFlags: [],
  };
}

function quietLink(target: string, directory: string, line: number): UnknownStep {
  return {
    kind: "unknown",
    index: line,
    origin: { file: "build.log", startLine: line, endLine: line },
    directory: { path: directory, source: "make-enter" },
    command: `LINK ${target}`,
    argv: ["LINK", target],
    diagnostics: [],
    status: { result: "unknown" },
    reason: "silent rule",
    silentRule: { tag: "LINK", target },
  };
}

const steps: BuildStep[] = [
  link("minigzip", "/home/user/src/zlib", "executable", 10),
  link("tools/zpipe", "/home/user/src/zlib", "executable", 12),
  link("libz.so.1.3.1", "/home/user/src/zlib", "shared", 14),
  link("a.out", "/home/user/src/zlib", "executable", 3),
  quietLink("redis-cli", "/home/user/src/zlib/src", 20),
];

describe("generateSetup", () => {
  const result = generateSetup(steps, knowledge, { logName: "build.log" });

  it("passes the DCL checker", () => {
    expect(checkProcedure(result.text, { symbols: result.symbols })).toEqual([]);
  });

  it("defines a foreign command per executable", () => {
    expect(result.text).toContain("$ MINIGZIP :== $SRC$ROOT:[000000]MINIGZIP.EXE");
    expect(result.text).toContain("$ ZPIPE :== $SRC$ROOT:[TOOLS]ZPIPE.EXE");
  });

  it("defines a logical name per shareable image", () => {
    expect(result.text).toContain("$ DEFINE/PROCESS/NOLOG LIBZ SRC$ROOT:[000000]LIBZ.EXE");
  });

  it("keeps the hyphen of a shareable image's logical name", () => {
    const hyphen = generateSetup([link("libyaml-0.so.2.0.9", "/p", "shared", 5)], knowledge, {
      logName: "build.log",
    });
    expect(hyphen.text).toContain("$ DEFINE/PROCESS/NOLOG LIBYAML-0 SRC$ROOT:[000000]LIBYAML-0.EXE");
    expect(hyphen.report.warnings.join("\n")).not.toContain("not a valid DCL name");
    expect(checkProcedure(hyphen.text, { symbols: hyphen.symbols })).toEqual([]);
  });

  it("finds its root when run from the root's top directory", () => {
    // @SRC$ROOT:[000000]SETUP.COM gives the directory [A.][000000], which must become [A.].
    expect(result.text).toContain('- "][" - ".000000" - "]"');
  });

  it("skips configure probe links", () => {
    expect(result.report.executables.map((image) => image.output)).not.toContain("a.out");
  });

  it("renames names DCL cannot hold", () => {
    const image = result.report.executables.find((entry) => entry.output === "redis-cli");
    expect(image).toMatchObject({ name: "REDIS_CLI", renamedFrom: "redis-cli" });
  });

  it("warns about quiet link lines", () => {
    expect(result.report.warnings.some((warning) => warning.includes('quiet line "LINK redis-cli"'))).toBe(
      true,
    );
  });

  it("derives the root logical from its own location", () => {
    expect(result.text).toContain('$ SETUP_PROC = F$ENVIRONMENT("PROCEDURE")');
    expect(result.text).toContain(
      "$ DEFINE/PROCESS/NOLOG/TRANSLATION_ATTRIBUTES=CONCEALED SRC$ROOT 'SETUP_ROOT'",
    );
  });

  it("sets the parse style before the argv feature", () => {
    const lines = result.text.split("\n");
    const parseStyle = lines.indexOf("$ SET PROCESS/PARSE_STYLE=EXTENDED");
    const argv = lines.indexOf("$ DEFINE/PROCESS/NOLOG DECC$ARGV_PARSE_STYLE ENABLE");
    expect(parseStyle).toBeGreaterThan(-1);
    expect(argv).toBeGreaterThan(parseStyle);
  });

  it("comments every feature logical", () => {
    const lines = result.text.split("\n");
    lines.forEach((line, index) => {
      if (line.startsWith("$ DEFINE/PROCESS/NOLOG DECC$")) expect(lines[index - 1]).toMatch(/^\$!/);
    });
  });

  it("never defines system-wide names", () => {
    expect(result.text).not.toMatch(/\/SYSTEM|\/GROUP|\/JOB/);
  });

  it("uses the given root logical", () => {
    const text = generateSetup(steps, knowledge, { rootLogical: "ZLIB$ROOT" }).text;
    expect(text).toContain("$ MINIGZIP :== $ZLIB$ROOT:[000000]MINIGZIP.EXE");
  });

  it("defines no feature logical for the minimal profile", () => {
    const text = generateSetup(steps, knowledge, { profile: "minimal" }).text;
    expect(text).not.toContain("DECC$");
  });

  it("maps relative directories under the root", () => {
    const text = generateSetup([link("bin/tool", "."), link("lib/x", ".")], knowledge).text;
    expect(text).toContain("$ TOOL :== $SRC$ROOT:[BIN]TOOL.EXE");
  });

  it("keeps the last of two links of one output", () => {
    const report = generateSetup(
      [link("prog", "/w", "executable", 1), link("prog", "/w", "executable", 9)],
      knowledge,
    ).report;
    expect(report.executables.map((image) => image.logLine)).toEqual([9]);
  });

  it("merges a libtool archive with its library", () => {
    const report = generateSetup(
      [link("libuv.la", "/w", "shared", 1), link(".libs/libuv.so.1.0.0", "/w", "shared", 2)],
      knowledge,
    ).report;
    expect(report.shareables.map((image) => image.name)).toEqual(["LIBUV"]);
  });

  it("warns when two files get one name", () => {
    const report = generateSetup([link("a/tool", "/w"), link("b/tool", "/w")], knowledge).report;
    expect(report.warnings).toContain("a/tool and b/tool both become TOOL; the later definition wins");
  });

  it("warns when there is no link step", () => {
    expect(generateSetup([], knowledge).report.warnings[0]).toMatch(/no link step/);
  });
});

describe("generateInitSource", () => {
  const source = generateInitSource(featureSettings(knowledge, "unix"), "crtl_init.c");

  it("sets each profile feature", () => {
    expect(source).toContain('vmsport_set_feature("DECC$EFS_CHARSET", 1);');
  });

  it("places the routine in LIB$INITIALIZE", () => {
    expect(source).toContain('#pragma extern_model strict_refdef "LIB$INITIALIZE" nowrt, long');
    expect(source).toContain("int vmsport_initialize_reference = (int) LIB$INITIALIZE;");
  });

  it("balances its preprocessor blocks", () => {
    const opened = source.match(/^#(if|ifdef|ifndef)\b/gm)?.length ?? 0;
    expect(source.match(/^#endif\b/gm)?.length).toBe(opened);
  });

  it("says when the profile sets nothing", () => {
    expect(generateInitSource([], "x.c")).toContain("The profile sets no features.");
  });

  it("includes unixlib.h", () => {
    expect(source).toMatch(/^#include <unixlib\.h>$/m);
  });

  it("declares CRTL routines upper case", () => {
    const lines = source.split("\n");
    const upper = lines.indexOf("#pragma names uppercase");
    const restore = lines.indexOf("#pragma names restore");
    expect(lines.indexOf("#pragma names save")).toBe(upper - 1);
    expect(restore).toBeGreaterThan(upper);
    const declarations = lines.flatMap((line, index) => (/^int decc\$\w+\(/.test(line) ? [index] : []));
    expect(declarations).toHaveLength(2);
    for (const index of declarations) {
      expect(index).toBeGreaterThan(upper);
      expect(index).toBeLessThan(restore);
    }
    expect(lines.indexOf("#include <unixlib.h>")).toBeGreaterThan(upper);
    expect(lines.indexOf("#include <unixlib.h>")).toBeLessThan(restore);
  });

  it("restores names before other code", () => {
    const lines = source.split("\n");
    const restore = lines.indexOf("#pragma names restore");
    const firstCall = lines.findIndex((line) => line.includes("decc$feature_get_index(name)"));
    expect(firstCall).toBeGreaterThan(restore);
  });
});
