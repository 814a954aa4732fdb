import { describe, expect, it } from "vitest";
import { parseCommand, parseDefineElement, renderCommand } from "../../src/dcl/index.js";
import type { PlanAction } from "../../src/emit/plan.js";
import { Translator } from "../../src/emit/translate.js";
import { compileStep, options } from "./steps.js";

function commandOf(action: PlanAction | undefined) {
  if (action?.kind !== "command") throw new Error("expected a command action");
  return action.command;
}

function renderedCommand(step: ReturnType<typeof compileStep>) {
  const plan = Translator.translate([step], options());
  const planned = plan.steps[0];
  const command = commandOf(planned?.actions[0]);
  const rendered = renderCommand(command, { symbolValues: plan.symbols });
  if ("error" in rendered) throw new Error(rendered.error.message);
  return { plan, planned, parsed: parseCommand(rendered.lines.join("\n")) };
}

function qualifier(parsed: ReturnType<typeof parseCommand>, name: string) {
  return parsed.qualifiers.find((entry) => entry.name === name);
}

describe("compile translation", () => {
  it("uses CC for C sources", () => {
    const { parsed } = renderedCommand(compileStep());
    expect(parsed.verb).toBe("CC");
  });

  it("uses CXX for C++ sources", () => {
    const { parsed } = renderedCommand(compileStep({ language: "c++", source: "a.cpp" }));
    expect(parsed.verb).toBe("CXX");
  });

  it("infers C++ from the source type", () => {
    const { parsed } = renderedCommand(compileStep({ language: "unknown", source: "shapes.cc" }));
    expect(parsed.verb).toBe("CXX");
  });

  it("merges all defines into one /DEFINE", () => {
    const { parsed } = renderedCommand(
      compileStep({ defines: [{ name: "A", value: "1" }, { name: "use_x" }, { name: "A", value: "2" }] }),
    );
    const defines = parsed.qualifiers.filter((entry) => entry.name === "DEFINE");
    expect(defines).toHaveLength(1);
    const values = defines[0]?.values.map((value) => parseDefineElement(value.text)) ?? [];
    expect(values).toContainEqual({ name: "A", value: "2" });
    expect(values).toContainEqual({ name: "use_x" });
    expect(values).toContainEqual({ name: "_USE_STD_STAT" });
  });

  it("keeps a string define intact", () => {
    const { parsed } = renderedCommand(compileStep({ defines: [{ name: "VERSION", value: '"1.2 beta"' }] }));
    const values = qualifier(parsed, "DEFINE")?.values.map((value) => parseDefineElement(value.text));
    expect(values).toContainEqual({ name: "VERSION", value: '"1.2 beta"' });
  });

  it("moves a define with two apostrophes to a header", () => {
    const step = compileStep({ defines: [{ name: "QUOTE", value: "''x''" }] });
    const { plan, parsed } = renderedCommand(step);
    expect(plan.files).toHaveLength(1);
    expect(plan.files[0]?.content).toContain("#define QUOTE ''x''");
    expect(qualifier(parsed, "FIRST_INCLUDE")?.values[0]?.text).toBe("SRC$ROOT:[000000]BUILD_DEFS_1.H");
  });

  it("moves all defines to a header when the command is too long", () => {
    const defines = Array.from({ length: 80 }, (_, index) => ({
      name: `HAVE_FEATURE_NUMBER_${index}`,
      value: "1",
    }));
    const { plan, parsed } = renderedCommand(compileStep({ defines }));
    expect(qualifier(parsed, "DEFINE")).toBeUndefined();
    expect(plan.files[0]?.content).toContain("#define HAVE_FEATURE_NUMBER_79 1");
  });

  it("shares one header between equal define sets", () => {
    const step = (index: number) => compileStep({ defines: [{ name: "Q", value: "a''b" }] }, index);
    const plan = Translator.translate([step(0), step(1)], options());
    expect(plan.files).toHaveLength(1);
  });

  it("keeps include order in one qualifier", () => {
    const { parsed } = renderedCommand(
      compileStep({
        includes: [
          { path: "include", kind: "I" },
          { path: "../common", kind: "I" },
          { path: "include", kind: "I" },
        ],
      }),
    );
    expect(qualifier(parsed, "INCLUDE_DIRECTORY")?.values.map((value) => value.text)).toEqual([
      "[.INCLUDE]",
      "[-.COMMON]",
    ]);
  });

  it("translates an absolute include inside the root relative to the step", () => {
    const { parsed } = renderedCommand(
      compileStep({ includes: [{ path: "/home/user/src/proj/inc", kind: "I" }] }),
    );
    expect(qualifier(parsed, "INCLUDE_DIRECTORY")?.values[0]?.text).toBe("[.INC]");
  });

  it("maps rule flags to qualifiers", () => {
    const { parsed } = renderedCommand(
      compileStep({ optimization: "0", debug: ["-g"], otherFlags: ["-fno-common"] }),
    );
    expect(qualifier(parsed, "OPTIMIZE")?.negated).toBe(true);
    expect(qualifier(parsed, "DEBUG")?.negated).toBe(false);
    expect(qualifier(parsed, "EXTERN_MODEL")?.values[0]?.text).toBe("STRICT_REFDEF");
  });

  it("writes the object with /OBJECT", () => {
    const { parsed } = renderedCommand(compileStep({ output: "obj/a.o" }));
    expect(qualifier(parsed, "OBJECT")?.values[0]?.text).toBe("[.OBJ]A.OBJ");
  });

  it("notes an option no rule knows", () => {
    const plan = Translator.translate([compileStep({ otherFlags: ["-fmade-up-option"] })], options());
    expect(plan.summary.unknownFlags).toBe(1);
    expect(plan.steps[0]?.notes.join("\n")).toContain("-fmade-up-option");
  });

  it("counts an untranslatable option", () => {
    const plan = Translator.translate([compileStep({ otherFlags: ["-funsigned-char"] })], options());
    expect(plan.summary.untranslatableFlags).toBe(1);
  });

  it("comments a dependency-only run", () => {
    const plan = Translator.translate([compileStep({ dependencyFlags: ["-MM"] })], options());
    expect(plan.steps[0]?.disposition).toBe("commented");
  });

  it("checks a precompiled header without object", () => {
    const step = compileStep({ language: "c++", source: "jit/asmjit.hpp", output: "jit/asmjit.hpp.gch" });
    const { parsed, planned } = renderedCommand(step);
    expect(parsed.verb).toBe("CXX");
    expect(qualifier(parsed, "OBJECT")?.negated).toBe(true);
    expect(planned?.product).toBeUndefined();
  });

  it("passes -include with /FIRST_INCLUDE", () => {
    const { parsed } = renderedCommand(compileStep({ forcedIncludes: ["jit/asmjit.hpp", "config.h"] }));
    expect(qualifier(parsed, "FIRST_INCLUDE")?.values.map((value) => value.text)).toEqual([
      "[.JIT]ASMJIT.HPP",
      "CONFIG.H",
    ]);
  });

  it("does not translate assembler", () => {
    const plan = Translator.translate([compileStep({ language: "assembler", source: "a.s" })], options());
    expect(plan.steps[0]?.disposition).toBe("not-translated");
  });

  it("adds /POINTER_SIZE for 64-bit pointers", () => {
    const plan = Translator.translate([compileStep()], options({ pointerSize: 64 }));
    expect(plan.symbols.CC_QUALIFIERS).toContain("/POINTER_SIZE=64=ARGV");
  });

  it("uses the root logical for absolute paths when named", () => {
    const plan = Translator.translate(
      [compileStep({ source: "/home/user/src/proj/src/a.c" })],
      options({ rootLogical: "SRC$ROOT" }),
    );
    const command = commandOf(plan.steps[0]?.actions[0]);
    expect(command.parameters?.[1]).toBe("SRC$ROOT:[SRC]A.C");
  });

  it("reports absolute paths outside the root", () => {
    const plan = Translator.translate(
      [compileStep({ includes: [{ path: "/usr/local/include", kind: "I" }] })],
      options(),
    );
    expect(plan.summary.outsidePaths).toEqual(["/usr/local/include"]);
  });
});
