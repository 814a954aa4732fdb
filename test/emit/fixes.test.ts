import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/dcl/index.js";
import type { BuildPlan, PlannedStep } from "../../src/emit/plan.js";
import { renderProcedure } from "../../src/emit/procedure.js";
import { programRedirections } from "../../src/emit/redirect.js";
import { renderAction, Translator } from "../../src/emit/translate.js";
import { parseLogText } from "../../src/log/index.js";
import { options, ROOT } from "./steps.js";

function translateLines(lines: readonly string[]): BuildPlan {
  const text = `make: Entering directory '${ROOT}'\n${lines.join("\n")}\n`;
  const parsed = parseLogText(text, { file: "build.log" });
  return Translator.translate(parsed.steps, options());
}

/** Planned steps of one log command; a pipeline gives one step per command. */
function stepsFor(plan: BuildPlan, command: string): PlannedStep[] {
  return plan.steps.filter((step) => step.step.command === command);
}

function records(planned: PlannedStep | undefined, plan: BuildPlan): string[] {
  return (planned?.actions ?? []).flatMap((action) => {
    const rendered = renderAction(action, { limits: DEFAULT_LIMITS, symbolValues: plan.symbols });
    return "error" in rendered ? [`error: ${rendered.error}`] : rendered.lines;
  });
}

const GENERATOR = ["gcc -c -o build/gen.o gen.c", "gcc -o build/gen build/gen.o"];

describe("built program redirections", () => {
  it("pipes output into a file", () => {
    const command = "./build/gen > build/table.h";
    const plan = translateLines([...GENERATOR, command]);
    expect(records(stepsFor(plan, command)[0], plan)).toEqual([
      "$ PIPE MCR SRC$ROOT:[BUILD]GEN.EXE > [.BUILD]TABLE.H",
    ]);
  });

  it("pipes input and output", () => {
    const command = "./build/gen < in.txt > build/t3.h";
    const plan = translateLines([...GENERATOR, command]);
    expect(records(stepsFor(plan, command)[0], plan)).toEqual([
      "$ PIPE MCR SRC$ROOT:[BUILD]GEN.EXE < IN.TXT > [.BUILD]T3.H",
    ]);
  });

  it("leaves a shell pipeline untranslated", () => {
    const command = "./build/gen | sort > build/t4.h";
    const plan = translateLines([...GENERATOR, command]);
    const dispositions = stepsFor(plan, command).map((step) => step.disposition);
    expect(dispositions).toEqual(dispositions.map(() => "not-translated"));
    expect(dispositions.length).toBeGreaterThan(0);
  });

  it("leaves an append untranslated", () => {
    const command = "./build/gen >> build/t5.h";
    const plan = translateLines([...GENERATOR, command]);
    expect(stepsFor(plan, command)[0]?.disposition).toBe("not-translated");
  });

  it("finds the program after cd", () => {
    expect(programRedirections("cd build && ./gen 2> err.log > 'o u t'", "./gen")).toEqual({
      output: "o u t",
      error: "err.log",
    });
  });
});

describe("wildcard cleanup", () => {
  it("uses the objects it can match", () => {
    const command = "cd build && rm -f *.o";
    const plan = translateLines([...GENERATOR, command]);
    expect(stepsFor(plan, command)[0]?.uses).toEqual(["SRC$ROOT:[BUILD]GEN.OBJ"]);
  });

  it("stays in prepare before any product", () => {
    const command = "rm -f *.o";
    const plan = translateLines([command, ...GENERATOR]);
    expect(stepsFor(plan, command)[0]?.uses).toBeUndefined();
  });

  it("ignores products it cannot match", () => {
    const command = "rm -f build/*.tmp";
    const plan = translateLines([...GENERATOR, command]);
    expect(stepsFor(plan, command)[0]?.uses).toBeUndefined();
  });
});

describe("cmake file commands", () => {
  it("deletes like rm in a Ninja chain", () => {
    const command =
      ": && /usr/bin/cmake -E rm -f libutil.a && /usr/bin/ar qc libutil.a util.c.o && /usr/bin/ranlib libutil.a && :";
    const plan = translateLines([command]);
    expect(records(stepsFor(plan, command)[0], plan)).toEqual([
      '$ IF F$SEARCH("LIBUTIL.OLB;*") .NES. "" THEN DELETE/NOLOG/NOCONFIRM -',
      "    LIBUTIL.OLB;*",
    ]);
  });

  it("translates every part of the chain", () => {
    const command =
      ": && /usr/bin/cmake -E rm -f libutil.a && /usr/bin/ar qc libutil.a util.c.o && /usr/bin/ranlib libutil.a && :";
    const plan = translateLines([command]);
    const dispositions = stepsFor(plan, command).map((step) => step.disposition);
    expect(dispositions).toEqual(["translated", "translated", "commented"]);
  });

  it("makes a directory", () => {
    const command = "/usr/bin/cmake -E make_directory out/gen";
    const plan = translateLines([command]);
    expect(records(stepsFor(plan, command)[0], plan)).toEqual(["$ CREATE/DIRECTORY [.OUT.GEN]"]);
  });

  it("comments library symlinks", () => {
    const command = "/usr/bin/cmake -E cmake_symlink_library libfoo.so.1.0 libfoo.so.1 libfoo.so";
    const plan = translateLines([command]);
    expect(stepsFor(plan, command)[0]?.disposition).toBe("commented");
  });
});

describe("strict translation", () => {
  it("rejects a link with an unknown library", () => {
    const command = "gcc -o app main.o -lnosuchlib";
    const plan = translateLines([command]);
    expect(stepsFor(plan, command)[0]?.disposition).toBe("not-translated");
    expect(stepsFor(plan, command)[0]?.reason).toContain("-lnosuchlib has no library rule");
    expect(plan.summary.unresolvedLibraries).toBe(1);
  });

  it("links without an untranslatable library", () => {
    const command = "gcc -o app main.o -lutil -lm";
    const plan = translateLines([command]);
    const planned = stepsFor(plan, command)[0];
    expect(planned?.disposition).toBe("translated");
    expect(planned?.notes.join("\n")).toContain("-lutil left out");
    expect(plan.summary.droppedLibraries).toBe(1);
    expect(plan.summary.unresolvedLibraries).toBe(0);
  });

  it("rejects a compile with an untranslatable flag", () => {
    const command = "gcc -funsigned-char -c -o a.o a.c";
    const plan = translateLines([command]);
    expect(stepsFor(plan, command)[0]?.disposition).toBe("not-translated");
    expect(stepsFor(plan, command)[0]?.reason).toContain("-funsigned-char has no OpenVMS equivalent");
    expect(plan.summary.untranslatableFlags).toBe(1);
  });

  it("links a library the log built", () => {
    const plan = translateLines(["ar rcs libfoo.a foo.o", "gcc -o app main.o -L. -lfoo"]);
    expect(stepsFor(plan, "gcc -o app main.o -L. -lfoo")[0]?.disposition).toBe("translated");
  });
});

describe("procedure root logical", () => {
  const plan = translateLines(GENERATOR);
  const text = renderProcedure(
    plan,
    {
      log: "build.log",
      target: "x86_64",
      pointerSize: 32,
      version: "0.0.0-test",
      procedureName: "BUILD.COM",
    },
    { limits: DEFAULT_LIMITS, symbolValues: plan.symbols },
  );

  it("parses its home without concealing", () => {
    expect(text).toContain('F$PARSE(BUILD_PROCEDURE,,,"DEVICE","NO_CONCEAL")');
  });

  it("saves the caller's definition", () => {
    expect(text).toContain('$ BUILD_SAVED_ROOT = F$TRNLNM("SRC$ROOT","LNM$PROCESS")');
  });

  it("deassigns only its own definition", () => {
    expect(text).not.toMatch(/^\$ DEASSIGN/m);
    expect(text).toContain('$ IF BUILD_SAVED_ROOT .EQS. "" THEN DEASSIGN SRC$ROOT');
  });
});

describe("command limit messages", () => {
  const includes = Array.from({ length: 8 }, (_, index) => `-I/src/include/a/long/directory/name${index}`);
  const command = `gcc -DFOO=1 ${includes.join(" ")} -c -o b.o b.c`;
  const parsed = parseLogText(`make: Entering directory '${ROOT}'\n${command}\n`, { file: "build.log" });
  const plan = Translator.translate(parsed.steps, {
    ...options(),
    limits: { ...DEFAULT_LIMITS, maxCommand: 256 },
  });
  const planned = plan.steps[0];

  it("reports the user's limit", () => {
    expect(planned?.disposition).toBe("not-translated");
    expect(planned?.reason).toContain("254 bytes usable under --max-command 256");
  });

  it("claims no unused header", () => {
    expect(planned?.notes.join("\n")).not.toContain("FIRST_INCLUDE");
    expect(plan.files).toEqual([]);
  });
});

describe("pipeline filter", () => {
  it("leaves a filter fed by a pipe untranslated", () => {
    const command = "./build/gen | sed -e s/a/b/ > out.h";
    const plan = translateLines([...GENERATOR, command]);
    const dispositions = stepsFor(plan, command).map((step) => step.disposition);
    expect(dispositions).toEqual(["not-translated", "not-translated"]);
  });
});

describe("shared definition headers", () => {
  const defines = Array.from({ length: 40 }, (_, index) => `-DOPTION_NUMBER_${index}_ENABLED=1`).join(" ");
  const compiles = ["a", "b", "c"].map((name) => `gcc ${defines} -c -o ${name}.o ${name}.c`);
  const parsed = parseLogText(`make: Entering directory '${ROOT}'\n${compiles.join("\n")}\n`, {
    file: "build.log",
  });
  const plan = Translator.translate(parsed.steps, options());

  it("writes one header for equal definitions", () => {
    expect(plan.files.filter((file) => file.kind === "header")).toHaveLength(1);
  });

  it("includes the header in every compile", () => {
    expect(plan.steps.every((step) => step.notes.join(" ").includes("FIRST_INCLUDE"))).toBe(true);
  });
});
