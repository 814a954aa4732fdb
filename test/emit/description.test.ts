import { describe, expect, it } from "vitest";
import { checkDescription, DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { renderDescription } from "../../src/emit/description.js";
import { procedureCheckOptions } from "../../src/emit/procedure.js";
import { Translator } from "../../src/emit/translate.js";
import type { BuildStep } from "../../src/model/steps.js";
import { archiveStep, compileStep, linkStep, options, shellStep } from "./steps.js";

const header = { log: "build.log", target: "x86_64", pointerSize: 32 as const, version: "test" };

function render(steps: BuildStep[]) {
  const plan = Translator.translate(steps, options());
  const text = renderDescription(plan, header, { limits: DEFAULT_LIMITS, symbolValues: plan.symbols });
  return { text, issues: checkDescription(text, procedureCheckOptions(plan, DEFAULT_LIMITS)) };
}

const sample: BuildStep[] = [
  shellStep({ operation: "mkdir", tool: "mkdir", sources: ["obj"] }, 0),
  compileStep({ output: "obj/a.o" }, 1),
  compileStep({ source: "b.c", output: "obj/b.o" }, 2),
  archiveStep({ library: "libx.a", members: ["obj/a.o", "obj/b.o"] }, 3),
  linkStep({ inputs: ["obj/a.o"], libraries: ["x"] }, 4),
];

describe("renderDescription", () => {
  it("passes the MMS checker", () => {
    expect(render(sample).issues).toEqual([]);
  });

  it("defines the qualifier macros", () => {
    expect(render(sample).text).toMatch(/^CC_QUALIFIERS = \/NAMES=\(AS_IS,SHORTENED\)/m);
  });

  it("writes one rule per object", () => {
    expect(render(sample).text).toContain("[.OBJ]A.OBJ : []A.C");
  });

  it("makes the library depend on its members", () => {
    expect(render(sample).text).toContain("[]LIBX.OLB : [.OBJ]A.OBJ, [.OBJ]B.OBJ");
  });

  it("names no target or source under the root logical", () => {
    // MMS looks up their dates in its own process, where the logical name that .FIRST defines does not exist.
    const heads = render(sample)
      .text.split("\n")
      .filter((line) => /^\S.* : /.test(line) && !line.startsWith("!"));
    expect(heads.length).toBeGreaterThan(2);
    for (const head of heads) expect(head).not.toContain("SRC$ROOT:");
  });

  it("keeps the root logical in the actions", () => {
    expect(render(sample).text).toContain("\tSET DEFAULT SRC$ROOT:[");
  });

  it("uses macros in actions", () => {
    expect(render(sample).text).toContain("$(CC_QUALIFIERS) A.C");
  });

  it("defines the root logical in .FIRST", () => {
    expect(render(sample).text).toMatch(/^\.FIRST :\n\tBUILD_HOME = F\$ENVIRONMENT\("DEFAULT"\)/m);
  });

  it("has a clean target", () => {
    expect(render(sample).text).toContain("\t- DELETE/NOLOG/NOCONFIRM SRC$ROOT:[000000]PROG.EXE;*");
  });

  it("leaves out a command with a macro reference", () => {
    const steps = [
      shellStep({
        operation: "generate",
        tool: "perl",
        argv: ["perl", "gen.pl", "$(OBJDIR)"],
        command: "perl gen.pl $(OBJDIR)",
      }),
    ];
    const { text, issues } = render(steps);
    expect(issues).toEqual([]);
    expect(text).toContain('! NOT TRANSLATED [1] line 1: perl gen.pl $(OBJDIR) -- the command contains "$("');
  });
});
