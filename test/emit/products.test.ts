import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkDescription, checkProcedure, type DclLimits, DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { renderDescription } from "../../src/emit/description.js";
import type { BuildPlan, PlannedStep } from "../../src/emit/plan.js";
import { procedureCheckOptions, renderProcedure } from "../../src/emit/procedure.js";
import { renderAction, Translator } from "../../src/emit/translate.js";
import { parseLogText } from "../../src/log/index.js";
import { options } from "./steps.js";

const logFile = fileURLToPath(new URL("../../fixtures/translate/logs/products.log", import.meta.url));

function translateLog(limits: DclLimits = DEFAULT_LIMITS): BuildPlan {
  const parsed = parseLogText(readFileSync(logFile), { file: "products.log" });
  return Translator.translate(parsed.steps, { ...options(), limits });
}

/** Find the planned step of a log command by its text. */
function stepFor(plan: BuildPlan, command: string): PlannedStep {
  const planned = plan.steps.find((step) => step.step.command === command);
  if (planned === undefined) throw new Error(`no step for ${command}`);
  return planned;
}

function records(plan: BuildPlan, command: string): string[] {
  return stepFor(plan, command).actions.flatMap((action) => {
    const rendered = renderAction(action, { limits: DEFAULT_LIMITS, symbolValues: plan.symbols });
    return "error" in rendered ? [`error: ${rendered.error}`] : rendered.lines;
  });
}

describe("generator redirection", () => {
  const plan = translateLog();

  it("pipes m4 into its output", () => {
    expect(records(plan, "m4 config.m4 > config.h")).toEqual(["$ PIPE M4 CONFIG.M4 > CONFIG.H"]);
  });

  it("pipes python3 into its output", () => {
    expect(records(plan, "python3 gen.py > out.h")).toEqual(["$ PIPE PYTHON GEN.PY > OUT.H"]);
  });

  it("pipes perl into a subdirectory", () => {
    expect(records(plan, "perl mkhdr.pl > include/gen.h")).toEqual([
      "$ PIPE PERL MKHDR.PL > [.INCLUDE]GEN.H",
    ]);
  });

  it("leaves an append untranslated", () => {
    const planned = stepFor(plan, "perl mkhdr.pl >> include/gen.h");
    expect(planned.disposition).toBe("not-translated");
    expect(planned.reason).toContain(">>");
  });
});

describe("product names", () => {
  const plan = translateLog();

  it("copies the linked image", () => {
    expect(records(plan, "cp tool x")).toEqual(["$ COPY TOOL.EXE X.EXE"]);
  });

  it("installs the linked image", () => {
    expect(records(plan, "install -m 755 tool /usr/local/bin/tool")).toEqual([
      "$ COPY TOOL.EXE USR:[LOCAL.BIN]TOOL.EXE",
    ]);
  });

  it("copies the library and object", () => {
    expect(records(plan, "cp libtool.a main.o lib/")).toEqual(["$ COPY LIBTOOL.OLB,MAIN.OBJ [.LIB]"]);
  });

  it("deletes the linked image", () => {
    expect(records(plan, "rm -f tool")).toEqual([
      '$ IF F$SEARCH("TOOL.EXE;*") .NES. "" THEN DELETE/NOLOG/NOCONFIRM TOOL.EXE;*',
    ]);
  });

  it("copies into a directory without a type", () => {
    expect(records(plan, "cp libtool.a ../lib")).toEqual(["$ COPY LIBTOOL.OLB [-.LIB]"]);
  });

  it("notes a guessed directory", () => {
    expect(stepFor(plan, "cp libtool.a ../lib").notes.join(" ")).toMatch(/taken as a directory/);
  });

  it("notes no directory guess for a file copy", () => {
    expect(stepFor(plan, "cp tool x").notes.join(" ")).not.toMatch(/taken as a directory/);
  });

  it("notes a guessed file", () => {
    expect(stepFor(plan, "cp tool x").notes.join(" ")).toMatch(/taken as a file/);
  });

  it("installs into a directory the log made", () => {
    expect(records(plan, "install tool bin")).toEqual(["$ COPY TOOL.EXE [.BIN]"]);
  });

  it("notes no guess for a directory the log made", () => {
    expect(stepFor(plan, "install tool bin").notes).toEqual([]);
  });

  it("copies into the folder of a file named before", () => {
    expect(records(plan, "cp tool dist")).toEqual(["$ COPY TOOL.EXE [.DIST]"]);
  });

  it("renames the image a copy made", () => {
    expect(records(plan, "mv tool3 tool4")).toEqual(["$ RENAME TOOL3.EXE TOOL4.EXE"]);
  });

  it("notes a dropped install mode", () => {
    expect(stepFor(plan, "install -m 755 tool /usr/local/bin/tool").notes.join(" ")).toMatch(/mode 755/);
  });

  it("records the products a copy reads", () => {
    expect(stepFor(plan, "cp tool x").uses).toEqual(["SRC$ROOT:[000000]TOOL.EXE"]);
  });
});

describe("shell wildcards", () => {
  const plan = translateLog();

  it("deletes with a star", () => {
    expect(records(plan, "rm -f *.o")).toEqual([
      '$ IF F$SEARCH("*.OBJ;*") .NES. "" THEN DELETE/NOLOG/NOCONFIRM *.OBJ;*',
    ]);
  });

  it("copies with a star", () => {
    expect(records(plan, "cp *.h include/")).toEqual(["$ COPY *.H [.INCLUDE]"]);
  });

  it("turns a question mark into a percent sign", () => {
    expect(records(plan, "rm -f obj?.o")).toEqual([
      '$ IF F$SEARCH("OBJ%.OBJ;*") .NES. "" THEN DELETE/NOLOG/NOCONFIRM OBJ%.OBJ;*',
    ]);
  });

  it("leaves a bracket pattern untranslated", () => {
    const planned = stepFor(plan, "cp [ab].h include/");
    expect(planned.disposition).toBe("not-translated");
    expect(planned.reason).toContain("[ab].h");
  });
});

describe("standard input source", () => {
  it("is not translated", () => {
    const planned = stepFor(translateLog(), "gcc -x c -c - -o stdin.o");
    expect(planned.disposition).toBe("not-translated");
    expect(planned.reason).toContain("standard input");
  });
});

describe("products in the description file", () => {
  const plan = translateLog();
  const text = renderDescription(
    plan,
    { log: "products.log", target: "x86_64", pointerSize: 32, version: "test" },
    { limits: DEFAULT_LIMITS, symbolValues: plan.symbols },
  );
  const allLine = text.slice(text.indexOf("\nall : ") + 1, text.indexOf("\n\n", text.indexOf("\nall : ")));

  it("passes the MMS checker", () => {
    expect(checkDescription(text, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
  });

  it("runs a copy of an image after its link", () => {
    expect(text).toMatch(/^step_9 : \[\]TOOL\.EXE$/m);
  });

  it("lists the copy after the image in all", () => {
    expect(allLine.indexOf("step_9")).toBeGreaterThan(allLine.indexOf("TOOL.EXE"));
  });

  it("keeps generated headers in prepare", () => {
    const prepare = text.slice(text.indexOf("\nprepare :"));
    expect(prepare.slice(0, prepare.indexOf("\n\n"))).toContain("PIPE M4 CONFIG.M4 > CONFIG.H");
  });

  it("keeps the image copy out of prepare", () => {
    const prepare = text.slice(text.indexOf("\nprepare :"));
    expect(prepare.slice(0, prepare.indexOf("\n\n"))).not.toContain("COPY TOOL.EXE");
  });
});

describe("procedure with embedded files", () => {
  const plan = translateLog();
  const text = renderProcedure(
    plan,
    {
      procedureName: "BUILD.COM",
      log: "products.log",
      target: "x86_64",
      pointerSize: 32,
      version: "test",
      embedFiles: true,
    },
    { limits: DEFAULT_LIMITS, symbolValues: plan.symbols },
  );

  it("creates the options file", () => {
    expect(text).toContain("$ CREATE SRC$ROOT:[000000]TOOL.OPT\n");
  });

  it("creates it before the link", () => {
    expect(text.indexOf("$ CREATE SRC$ROOT:[000000]TOOL.OPT")).toBeLessThan(text.indexOf("$ LINK/"));
  });

  it("passes the DCL checker", () => {
    expect(checkProcedure(text, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
  });
});
