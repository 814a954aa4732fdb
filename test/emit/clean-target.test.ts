/**
 * CMake's Makefile generator runs `cmake -P CMakeFiles/NAME.dir/cmake_clean_target.cmake` to delete a static
 * library before `ar qc` writes it again. The next archive of objects in that folder deletes the old object
 * library first: in the procedure in log order, in the description file inside the library's rule.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkDescription, checkProcedure, DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { renderDescription } from "../../src/emit/description.js";
import type { PlannedStep } from "../../src/emit/plan.js";
import { procedureCheckOptions, renderProcedure } from "../../src/emit/procedure.js";
import { StepTranslation } from "../../src/emit/stream.js";
import { Translator } from "../../src/emit/translate.js";
import type { OutputContent } from "../../src/emit/write.js";
import { parseLogText } from "../../src/log/index.js";
import { options, ROOT } from "./steps.js";

const header = { log: "build.log", target: "x86_64", pointerSize: 32 as const, version: "test" };
const renderOptions = (symbols: Record<string, string>) => ({
  limits: DEFAULT_LIMITS,
  symbolValues: symbols,
});

function logText(lines: readonly string[]): string {
  return `make[2]: Entering directory '${ROOT}'\n${lines.join("\n")}\n`;
}

function translate(lines: readonly string[]) {
  const steps = parseLogText(logText(lines), { file: "build.log" }).steps;
  const plan = Translator.translate(steps, options());
  const description = renderDescription(plan, header, renderOptions(plan.symbols));
  const procedure = renderProcedure(
    plan,
    { ...header, procedureName: "BUILD.COM" },
    renderOptions(plan.symbols),
  );
  return { plan, description, procedure };
}

/** Render the procedure as `vmsport translate` does, each step as soon as the translator allows. */
function streamedProcedure(lines: readonly string[]): string {
  const steps = parseLogText(logText(lines), { file: "build.log" }).steps;
  const translation = new StepTranslation(
    { format: "dcl", header: { ...header, procedureName: "BUILD.COM" } },
    options(),
    ROOT,
    () => 0,
  );
  for (const step of steps) translation.add(step);
  return text(translation.finish().content);
}

function text(content: OutputContent): string {
  if (typeof content === "string") return content;
  return Buffer.concat(
    content.map((chunk) => (typeof chunk === "string" ? Buffer.from(chunk) : chunk)),
  ).toString();
}

/** Return the action lines of the rule whose head starts with `head`, up to the next blank line. */
function ruleActions(description: string, head: string): string[] {
  const lines = description.split("\n");
  const start = lines.findIndex((line) => line.startsWith(head));
  if (start < 0) return [];
  const end = lines.indexOf("", start);
  return lines.slice(start, end < 0 ? undefined : end).filter((line) => line.startsWith("\t"));
}

/** Return the records of the procedure step with heading `[number]`, up to the next `$!` separator. */
function stepRecords(procedure: string, number: number): string[] {
  const lines = procedure.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`$! [${number}] `));
  if (start < 0) return [];
  const end = lines.indexOf("$!", start);
  return lines.slice(start, end < 0 ? undefined : end);
}

/** Count the `IF … THEN DELETE` actions of a planned step. */
function deletions(planned: PlannedStep | undefined): number {
  const actions = planned?.actions ?? [];
  return actions.filter((action) => action.kind === "if" && action.command.verb === "DELETE").length;
}

const LIBRARY_RULE = "[]LIBUTIL.OLB :";

const MAKE_LIBRARY = [
  "/usr/bin/cc -o CMakeFiles/util.dir/a.c.o -c /home/user/src/proj/a.c",
  "/usr/bin/cc -o CMakeFiles/util.dir/b.c.o -c /home/user/src/proj/b.c",
  "/usr/bin/cmake -P CMakeFiles/util.dir/cmake_clean_target.cmake",
  "/usr/bin/cmake -E cmake_link_script CMakeFiles/util.dir/link.txt --verbose=1",
  "/usr/bin/ar qc libutil.a CMakeFiles/util.dir/a.c.o CMakeFiles/util.dir/b.c.o",
  "/usr/bin/ranlib libutil.a",
];

describe("clean-target script", () => {
  it("deletes the library in the archive step", () => {
    const { procedure } = translate(MAKE_LIBRARY);
    const records = stepRecords(procedure, 5).filter((record) => !record.startsWith("$!"));
    expect(records.slice(1, 3)).toEqual([
      '$ IF F$SEARCH("LIBUTIL.OLB;*") .NES. "" THEN DELETE/NOLOG/NOCONFIRM -',
      "    LIBUTIL.OLB;*",
    ]);
  });

  it("deletes before LIBRARY/CREATE", () => {
    const { procedure } = translate(MAKE_LIBRARY);
    const deletion = procedure.indexOf("THEN DELETE/NOLOG/NOCONFIRM");
    expect(deletion).toBeGreaterThan(procedure.indexOf("$! [5] "));
    expect(procedure.indexOf("LIBRARY/CREATE")).toBeGreaterThan(deletion);
  });

  it("opens the library rule", () => {
    const { description } = translate(MAKE_LIBRARY);
    expect(ruleActions(description, LIBRARY_RULE).slice(0, 3)).toEqual([
      "\tSET DEFAULT SRC$ROOT:[000000]",
      '\tIF F$SEARCH("LIBUTIL.OLB;*") .NES. "" THEN DELETE/NOLOG/NOCONFIRM -',
      "\t   LIBUTIL.OLB;*",
    ]);
  });

  it("adds no prepare target", () => {
    const { description } = translate(MAKE_LIBRARY);
    expect(description).not.toMatch(/^prepare :/m);
  });

  it("names the archive step in its reason", () => {
    const { plan } = translate(MAKE_LIBRARY);
    expect(plan.steps[2]?.reason).toContain(
      "step [5] deletes the old object library SRC$ROOT:[000000]LIBUTIL.OLB",
    );
  });

  it("stays a step without a command", () => {
    const { plan } = translate(MAKE_LIBRARY);
    expect(plan.steps[2]?.disposition).toBe("commented");
    expect(plan.steps[2]?.actions).toEqual([]);
  });

  it("notes the deletion at the archive", () => {
    const { plan } = translate(MAKE_LIBRARY);
    expect(plan.steps[4]?.notes.join(" ")).toContain("clean-target script of step [3]");
  });

  it("passes the DCL and MMS checkers", () => {
    const { plan, description, procedure } = translate(MAKE_LIBRARY);
    expect(checkProcedure(procedure, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
    expect(checkDescription(description, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
  });

  it("gives the same procedure when streamed", () => {
    expect(streamedProcedure(MAKE_LIBRARY)).toBe(translate(MAKE_LIBRARY).procedure);
  });

  it("follows a cd into a subdirectory", () => {
    const { plan } = translate([
      "cd /home/user/src/proj/sub && /usr/bin/cmake -P CMakeFiles/util.dir/cmake_clean_target.cmake",
      "cd /home/user/src/proj/sub && /usr/bin/ar qc libutil.a CMakeFiles/util.dir/a.c.o",
    ]);
    expect(deletions(plan.steps[1])).toBe(1);
  });

  it("ignores objects of the same name elsewhere", () => {
    const { plan } = translate([
      "cd /home/user/src/proj/sub && /usr/bin/cmake -P CMakeFiles/util.dir/cmake_clean_target.cmake",
      "/usr/bin/ar qc libutil.a CMakeFiles/util.dir/a.c.o",
    ]);
    expect(deletions(plan.steps[1])).toBe(0);
  });

  it("deletes only before the first archive", () => {
    const { plan } = translate([
      "/usr/bin/cmake -P CMakeFiles/util.dir/cmake_clean_target.cmake",
      "/usr/bin/ar qc libutil.a CMakeFiles/util.dir/a.c.o",
      "/usr/bin/ar q libutil.a CMakeFiles/util.dir/b.c.o",
    ]);
    const deletes = plan.steps.map(deletions);
    expect(deletes).toEqual([0, 1, 0]);
  });
});

describe("clean-target script without an archive", () => {
  const UNMATCHED = [
    "/usr/bin/cmake -P CMakeFiles/util.dir/cmake_clean_target.cmake",
    "/usr/bin/ar qc libother.a CMakeFiles/other.dir/a.c.o",
  ];

  it("keeps its reason", () => {
    const { plan } = translate(UNMATCHED);
    expect(plan.steps[0]?.reason).toContain("LIBRARY/REPLACE updates the OpenVMS object library in place");
  });

  it("leaves other archives alone", () => {
    const { procedure } = translate(UNMATCHED);
    expect(procedure).not.toContain("DELETE/NOLOG");
  });

  it("gives the same procedure when streamed", () => {
    expect(streamedProcedure(UNMATCHED)).toBe(translate(UNMATCHED).procedure);
  });

  it("gives up after 256 steps", () => {
    const between = Array.from(
      { length: 256 },
      (_, index) => `/usr/bin/cmake -E cmake_echo_color step${index}`,
    );
    const lines = [
      "/usr/bin/cmake -P CMakeFiles/util.dir/cmake_clean_target.cmake",
      ...between,
      "/usr/bin/ar qc libutil.a CMakeFiles/util.dir/a.c.o",
    ];
    const { plan, procedure } = translate(lines);
    expect(plan.steps[0]?.reason).toContain("in place");
    expect(procedure).not.toContain("DELETE/NOLOG");
    expect(streamedProcedure(lines)).toBe(procedure);
  });

  it("waits 255 steps", () => {
    const between = Array.from(
      { length: 255 },
      (_, index) => `/usr/bin/cmake -E cmake_echo_color step${index}`,
    );
    const lines = [
      "/usr/bin/cmake -P CMakeFiles/util.dir/cmake_clean_target.cmake",
      ...between,
      "/usr/bin/ar qc libutil.a CMakeFiles/util.dir/a.c.o",
    ];
    const { plan, procedure } = translate(lines);
    expect(plan.steps[0]?.reason).toContain("step [257]");
    expect(streamedProcedure(lines)).toBe(procedure);
  });
});

describe("real CMake Makefile-generator log", () => {
  const log = readFileSync(
    fileURLToPath(new URL("../../fixtures/translate/cmake-make-static/build.log", import.meta.url)),
  );

  function translateFixture() {
    const steps = parseLogText(log, { file: "build.log" }).steps;
    const plan = Translator.translate(steps, { ...options(), sourceRoot: "/tmp/cmake-static" });
    const description = renderDescription(plan, header, renderOptions(plan.symbols));
    const procedure = renderProcedure(
      plan,
      { ...header, procedureName: "BUILD.COM" },
      renderOptions(plan.symbols),
    );
    return { plan, description, procedure };
  }

  it("deletes LIBUTIL.OLB in its rule", () => {
    const { description } = translateFixture();
    expect(ruleActions(description, "[.BUILD]LIBUTIL.OLB :")[1]).toContain("THEN DELETE/NOLOG/NOCONFIRM");
  });

  it("comments where the deletion went", () => {
    const { procedure } = translateFixture();
    const records = stepRecords(procedure, 9)
      .join("\n")
      .replace(/\n\$! /g, " ");
    expect(records).toContain("step [11] deletes the old object library SRC$ROOT:[BUILD]LIBUTIL.OLB");
  });

  it("passes the DCL and MMS checkers", () => {
    const { plan, description, procedure } = translateFixture();
    expect(checkProcedure(procedure, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
    expect(checkDescription(description, procedureCheckOptions(plan, DEFAULT_LIMITS))).toEqual([]);
  });
});
