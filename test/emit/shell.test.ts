import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { renderAction, Translator } from "../../src/emit/translate.js";
import { parseLogText } from "../../src/log/index.js";
import { options, ROOT } from "./steps.js";

/** Translate one command line as the log reader sees it and return the records, comments left out. */
function translate(command: string) {
  const parsed = parseLogText(`make: Entering directory '${ROOT}'\n${command}\n`, { file: "build.log" });
  const plan = Translator.translate(parsed.steps, options());
  const planned = plan.steps[0];
  const records = (planned?.actions ?? []).flatMap((action) => {
    const rendered = renderAction(action, { limits: DEFAULT_LIMITS, symbolValues: plan.symbols });
    return "error" in rendered ? [`error: ${rendered.error}`] : rendered.lines;
  });
  return { planned, records, plan };
}

describe("shell translation", () => {
  it("creates nested directories", () => {
    expect(translate("mkdir -p out/a/b").records).toEqual(["$ CREATE/DIRECTORY [.OUT.A.B]"]);
  });

  it("copies several files into a directory", () => {
    expect(translate("cp a.h b.h include").records).toEqual(["$ COPY A.H,B.H [.INCLUDE]"]);
  });

  it("deletes every version", () => {
    expect(translate("rm -f x.o").records).toEqual([
      '$ IF F$SEARCH("X.OBJ;*") .NES. "" THEN DELETE/NOLOG/NOCONFIRM X.OBJ;*',
    ]);
  });

  it("does not translate a recursive delete", () => {
    expect(translate("rm -rf build").planned?.disposition).toBe("not-translated");
  });

  it("renames objects", () => {
    expect(translate("mv objs/a.o a.lo").records).toEqual(["$ RENAME [.OBJS]A.OBJ A.OBJ"]);
  });

  it("writes echo text with CREATE", () => {
    expect(translate("echo hello world > note.txt").records).toEqual(["$ CREATE NOTE.TXT", "hello world"]);
  });

  it("concatenates with cat", () => {
    expect(translate("cat a.txt b.txt > all.txt").records).toEqual([
      "$ COPY/CONCATENATE A.TXT,B.TXT ALL.TXT",
    ]);
  });

  it("runs perl as a foreign command", () => {
    const { records, plan } = translate("perl utils/make_tables.pl -o out beam/ops.tab");
    expect(records).toEqual(['$ PERL [.UTILS]MAKE_TABLES.PL "-o" "out" [.BEAM]OPS.TAB']);
    expect(plan.foreignCommands).toEqual(["PERL"]);
  });

  it("redirects a generator into a file with PIPE", () => {
    expect(translate("sed -e s/x/y/ in.txt > out.txt").records).toEqual([
      '$ PIPE SED "-e" "s/x/y/" IN.TXT > OUT.TXT',
    ]);
  });

  it("appends echo text with OPEN/APPEND", () => {
    expect(translate("echo more >> note.txt").records).toEqual([
      '$ IF F$SEARCH("NOTE.TXT") .EQS. "" THEN COPY NLA0: NOTE.TXT',
      "$ OPEN/APPEND BUILD_FILE NOTE.TXT",
      '$ WRITE BUILD_FILE "more"',
      "$ CLOSE BUILD_FILE",
    ]);
  });

  it("appends files with APPEND", () => {
    expect(translate("cat part.txt >> all.txt").records).toEqual(["$ APPEND/NEW_VERSION PART.TXT ALL.TXT"]);
  });

  it("comments a dependency listing pipeline", () => {
    const { plan } = translate("gcc -MM -Iinc a.c | sed -e s/x/y/ > a.d");
    expect(plan.steps.map((step) => step.disposition)).toEqual(plan.steps.map(() => "commented"));
  });

  it("runs a program the build linked", () => {
    const parsed = parseLogText(
      `make: Entering directory '${ROOT}'\ngcc -o tools/gen gen.o\ntools/gen -o out.c in.tab\n`,
      {
        file: "build.log",
      },
    );
    const plan = Translator.translate(parsed.steps, options());
    const action = plan.steps[1]?.actions[0];
    expect(plan.steps[1]?.disposition).toBe("translated");
    expect(action?.kind === "command" ? action.command : undefined).toEqual({
      verb: "MCR",
      parameters: ["SRC$ROOT:[TOOLS]GEN.EXE", "-o", "OUT.C", "IN.TAB"],
    });
  });

  it("comments a recursive make", () => {
    expect(translate("make -C sub all").planned?.disposition).toBe("commented");
  });

  it("does not translate an unknown program", () => {
    const { planned } = translate("./configure --prefix=/usr");
    expect(planned?.disposition).toBe("not-translated");
  });

  it("comments a link whose target keeps its name", () => {
    expect(translate("ln -s libz.so.1.3 libz.so").planned?.disposition).toBe("commented");
  });
});
