import { describe, expect, it } from "vitest";
import { Translator } from "../../src/emit/translate.js";
import { archiveStep, linkStep, options } from "./steps.js";

function optionsFile(plan: ReturnType<typeof Translator.translate>, name: string): string[] {
  const file = plan.files.find((entry) => entry.name === name);
  if (file === undefined) throw new Error(`no options file ${name}`);
  return file.content.split("\n").filter((line) => line.length > 0 && !line.startsWith("!"));
}

const exportsList = {
  source: "exports.txt",
  symbols: [
    { name: "api_open", type: "PROCEDURE" as const },
    { name: "API_VERSION", type: "DATA" as const },
  ],
};

describe("link translation", () => {
  it("lists objects with an explicit directory", () => {
    const plan = Translator.translate([linkStep({ inputs: ["a.o", "sub/b.o"] })], options());
    expect(optionsFile(plan, "prog.opt")).toEqual(["[]A.OBJ", "[.SUB]B.OBJ"]);
  });

  it("links an archive from the log as a library", () => {
    const steps = [
      archiveStep({ library: "lib/libx.a", members: ["a.o"] }, 0),
      linkStep({ libraries: ["x"] }, 1),
    ];
    const plan = Translator.translate(steps, options());
    expect(optionsFile(plan, "prog.opt")).toContain("SRC$ROOT:[LIB]LIBX.OLB/LIBRARY");
  });

  it("drops CRTL libraries", () => {
    const plan = Translator.translate([linkStep({ libraries: ["m", "c", "dl"] })], options());
    expect(optionsFile(plan, "prog.opt")).toEqual(["[]A.OBJ"]);
  });

  it("enables threads for -lpthread", () => {
    const plan = Translator.translate([linkStep({ libraries: ["pthread"] })], options());
    const action = plan.steps[0]?.actions[0];
    expect(action?.kind).toBe("command");
    if (action?.kind === "command") {
      expect(action.command.qualifiers?.some((entry) => entry.name === "THREADS_ENABLE")).toBe(true);
    }
  });

  it("picks the 64-bit image of a library rule", () => {
    const plan = Translator.translate([linkStep({ libraries: ["ssl"] })], options({ pointerSize: 64 }));
    expect(optionsFile(plan, "prog.opt")).toContain("SYS$SHARE:SSL$LIBSSL_SHR.EXE/SHAREABLE");
  });

  it("counts a library with no rule", () => {
    const plan = Translator.translate([linkStep({ libraries: ["frobnicate"] })], options());
    expect(plan.summary.unresolvedLibraries).toBe(1);
  });

  it("does not translate a shareable without exports", () => {
    const plan = Translator.translate([linkStep({ product: "shared", output: "libx.so.1" })], options());
    expect(plan.steps[0]?.disposition).toBe("not-translated");
    expect(plan.steps[0]?.reason).toContain("--exports");
  });

  it("writes the symbol vector and GSMATCH", () => {
    const step = linkStep({ product: "shared", output: "libapi.so.2.5", soname: "libapi.so.2" });
    const plan = Translator.translate([step], options({ exports: exportsList }));
    const lines = optionsFile(plan, "libapi.opt");
    expect(lines).toContain("CASE_SENSITIVE=YES");
    expect(lines.join("\n")).toContain(
      "api_open=PROCEDURE, -\n    API_OPEN/api_open=PROCEDURE, -\n    API_VERSION=DATA)",
    );
    expect(lines).toContain("GSMATCH=LEQUAL,2,5");
  });

  it("links a shareable with LINK/SHAREABLE", () => {
    const step = linkStep({ product: "shared", output: "libapi.so" });
    const plan = Translator.translate([step], options({ exports: exportsList }));
    const action = plan.steps[0]?.actions[0];
    expect(action?.kind).toBe("command");
    if (action?.kind === "command")
      expect(action.command.qualifiers?.[0]).toEqual({ name: "SHAREABLE", value: "LIBAPI.EXE" });
  });

  it("defines a logical name for a built shareable", () => {
    const plan = Translator.translate(
      [linkStep({ product: "shared", output: "libapi.so" })],
      options({ exports: exportsList }),
    );
    expect(plan.shareables).toEqual([{ name: "LIBAPI", rooted: "SRC$ROOT:[000000]LIBAPI.EXE" }]);
  });

  it("links a built shareable with /SHAREABLE", () => {
    const steps = [
      linkStep({ product: "shared", output: "libapi.so" }, 0),
      linkStep({ libraries: ["api"] }, 1),
    ];
    const plan = Translator.translate(steps, options({ exports: exportsList }));
    expect(optionsFile(plan, "prog.opt")).toContain("SRC$ROOT:[000000]LIBAPI.EXE/SHAREABLE");
  });

  it("reads a version script", () => {
    const step = linkStep({ product: "shared", output: "libv.so", versionScript: "v.map" });
    const readVersionScript = (file: string) =>
      file === "/home/user/src/proj/v.map" ? "V1 { global: v_one; v_two; local: *; };" : undefined;
    const plan = Translator.translate([step], options({ readVersionScript }));
    expect(optionsFile(plan, "libv.opt").join("\n")).toContain("v_two=PROCEDURE");
  });

  it("parses a changed version script again", () => {
    const steps = [
      linkStep({ product: "shared", output: "libv.so", versionScript: "v.map" }, 0),
      linkStep({ product: "shared", output: "libv.so", versionScript: "v.map" }, 1),
    ];
    const texts = ["V1 { global: v_one; local: *; };", "V2 { global: v_two; local: *; };"];
    const readVersionScript = () => texts.shift();
    const plan = Translator.translate(steps, options({ readVersionScript }));
    expect(optionsFile(plan, "libv.opt").join("\n")).toContain("v_one=PROCEDURE");
    expect(optionsFile(plan, "libv_2.opt").join("\n")).toContain("v_two=PROCEDURE");
    expect(optionsFile(plan, "libv_2.opt").join("\n")).not.toContain("v_one=PROCEDURE");
  });

  it("uses CXXLINK for C++ on Alpha", () => {
    const plan = Translator.translate([linkStep({ language: "c++" })], options({ target: "alpha" }));
    const action = plan.steps[0]?.actions[0];
    expect(action?.kind).toBe("command");
    if (action?.kind === "command") expect(action.command.verb).toBe("CXXLINK");
  });

  it("gives each options file its own name", () => {
    const plan = Translator.translate(
      [linkStep({}, 0), linkStep({ directory: { path: "/home/user/src/proj/sub", source: "cd" } }, 1)],
      options(),
    );
    expect(plan.files.map((file) => file.name)).toEqual(["prog.opt", "prog_2.opt"]);
  });
});
