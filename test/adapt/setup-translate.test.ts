import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateSetup, loadCrtlKnowledgeBase, type SetupResult } from "../../src/adapt/index.js";
import { DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { type BuildPlan, type TranslateOptions, Translator } from "../../src/emit/index.js";
import { parseLogText } from "../../src/log/index.js";
import type { BuildStep, LinkStep } from "../../src/model/steps.js";
import { loadTranslateRules } from "../../src/rules/translate/index.js";

const fixtures = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const knowledge = loadCrtlKnowledgeBase();
const rules = loadTranslateRules();

function steps(log: string): BuildStep[] {
  return parseLogText(readFileSync(log), { file: log }).steps;
}

/**
 * Translates with the defaults `vmsport translate` uses. Shareable images need an export list before
 * translate links them, so the test names one exported routine.
 */
function translate(buildSteps: readonly BuildStep[], overrides: Partial<TranslateOptions> = {}): BuildPlan {
  return Translator.translate(buildSteps, {
    rules,
    target: "x86_64",
    pointerSize: 32,
    limits: DEFAULT_LIMITS,
    exports: { source: "exports.txt", symbols: [{ name: "exported_routine", type: "PROCEDURE" }] },
    ...overrides,
  });
}

/** Rooted specifications of the images that LINK commands of the plan write. */
function linkedImages(plan: BuildPlan): string[] {
  return plan.steps.flatMap((step) =>
    step.disposition === "translated" &&
    (step.product?.kind === "executable" || step.product?.kind === "shareable")
      ? [step.product.rooted]
      : [],
  );
}

function namedImages(setup: SetupResult): string[] {
  return [...setup.report.executables, ...setup.report.shareables].map((image) => image.image);
}

describe("setup images match translate", () => {
  const cases = [
    { name: "demo log", log: path.join(fixtures, "demo/build.log") },
    { name: "relative log", log: path.join(fixtures, "adapt/setup/relative/build.log") },
  ];

  for (const { name, log } of cases) {
    const buildSteps = steps(log);
    const linked = linkedImages(translate(buildSteps));
    const setup = generateSetup(buildSteps, knowledge);

    it(`${name}: links every image`, () => {
      expect(linked.length).toBeGreaterThan(0);
    });

    it(`${name}: names only linked images`, () => {
      for (const image of namedImages(setup)) expect(linked).toContain(image);
    });

    it(`${name}: names every linked image`, () => {
      expect(namedImages(setup).sort()).toEqual([...linked].sort());
    });
  }

  it("demo: program under the build directory", () => {
    const setup = generateSetup(steps(path.join(fixtures, "demo/build.log")), knowledge);
    expect(setup.text).toContain("$ DEMO :== $SRC$ROOT:[BUILD]DEMO.EXE");
  });

  it("relative log: no placeholder directory", () => {
    const setup = generateSetup(steps(path.join(fixtures, "adapt/setup/relative/build.log")), knowledge);
    expect(setup.text).not.toMatch(/\/vmsport-/);
    expect(setup.report.unixRoot).toBe(".");
  });

  it("relative log: root comment", () => {
    const setup = generateSetup(steps(path.join(fixtures, "adapt/setup/relative/build.log")), knowledge);
    expect(setup.text).toContain("(the directory the build started in)");
  });
});

describe("setup source root", () => {
  const buildSteps = steps(path.join(fixtures, "demo/build.log"));

  it("given root: matches translate", () => {
    const sourceRoot = "/home/user/src";
    const linked = linkedImages(translate(buildSteps, { sourceRoot }));
    const setup = generateSetup(buildSteps, knowledge, { sourceRoot });
    expect(namedImages(setup).sort()).toEqual([...linked].sort());
  });

  it("given root: deeper directory", () => {
    const setup = generateSetup(buildSteps, knowledge, { sourceRoot: "/home/user/src" });
    expect(setup.text).toContain("$ DEMO :== $SRC$ROOT:[DEMO.BUILD]DEMO.EXE");
  });

  it("given root logical: matches translate", () => {
    const linked = linkedImages(translate(buildSteps, { rootLogical: "DEMO$ROOT" }));
    const setup = generateSetup(buildSteps, knowledge, { rootLogical: "DEMO$ROOT" });
    expect(namedImages(setup).sort()).toEqual([...linked].sort());
  });

  it("image outside the root: warns", () => {
    const setup = generateSetup(buildSteps, knowledge, { sourceRoot: "/home/user/src/demo/lib" });
    expect(setup.report.warnings.some((warning) => warning.includes("outside the source root"))).toBe(true);
  });
});

describe("setup libtool images", () => {
  function link(output: string, product: LinkStep["product"], line: number): LinkStep {
    return {
      kind: "link",
      index: line,
      origin: { file: "build.log", startLine: line, endLine: line },
      directory: { path: "/w", source: "make-enter" },
      command: `gcc -o ${output}`,
      argv: ["gcc", "-o", output],
      wrappers: ["libtool"],
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

  it("archive alone: image in .libs", () => {
    const report = generateSetup([link("libuv.la", "shared", 1)], knowledge).report;
    expect(report.shareables.map((image) => image.image)).toEqual(["SRC$ROOT:[^.LIBS]LIBUV.EXE"]);
  });

  it("archive and library: one image", () => {
    const report = generateSetup(
      [link("libuv.la", "shared", 1), link(".libs/libuv.so.1.0.0", "shared", 2)],
      knowledge,
    ).report;
    expect(report.shareables.map((image) => image.logLine)).toEqual([2]);
  });

  it("wrapper and program: keeps .libs", () => {
    const report = generateSetup(
      [link("uvcat", "executable", 1), link(".libs/uvcat", "executable", 2)],
      knowledge,
    ).report;
    expect(report.executables.map((image) => image.output)).toEqual([".libs/uvcat"]);
  });

  it("program before wrapper: keeps .libs", () => {
    const report = generateSetup(
      [link(".libs/uvcat", "executable", 1), link("uvcat", "executable", 2)],
      knowledge,
    ).report;
    expect(report.executables.map((image) => image.output)).toEqual([".libs/uvcat"]);
  });

  it("wrapper and program: no warning", () => {
    const report = generateSetup(
      [link("uvcat", "executable", 1), link(".libs/uvcat", "executable", 2)],
      knowledge,
    ).report;
    expect(report.warnings).toEqual([]);
  });
});
