import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkProcedure,
  DEFAULT_LIMITS,
  parseCommand,
  parseDefineElement,
  raw,
  renderAssignment,
  renderComment,
  splitProcedure,
} from "../../src/dcl/index.js";
import { headingRecords } from "../../src/emit/heading.js";
import {
  ProcedureBody,
  procedureCheckOptions,
  renderProcedure,
  stepHeading,
} from "../../src/emit/procedure.js";
import { Translator } from "../../src/emit/translate.js";
import { BatchReader, BatchWriter } from "../../src/log/step-stream.js";
import type { BuildStep } from "../../src/model/steps.js";
import { archiveStep, compileStep, linkStep, options, shellStep, unknownStep } from "./steps.js";

const header = {
  procedureName: "BUILD.COM",
  log: "build.log",
  target: "x86_64",
  pointerSize: 32 as const,
  version: "test",
};

function render(steps: BuildStep[], limits = DEFAULT_LIMITS) {
  const plan = Translator.translate(steps, options({ limits }));
  const text = renderProcedure(plan, header, { limits, symbolValues: plan.symbols });
  return { plan, text, issues: checkProcedure(text, procedureCheckOptions(plan, limits)) };
}

/** Logical commands of a procedure with the given verb, joined across continuation records. */
function commands(text: string, verb: string) {
  return splitProcedure(text)
    .items.flatMap((item) => (item.kind === "command" ? [item.command.text] : []))
    .map((command) => parseCommand(command))
    .filter((command) => command.verb === verb);
}

const sample: BuildStep[] = [
  shellStep({ operation: "mkdir", tool: "mkdir", options: ["-p"], sources: ["obj"] }, 0),
  compileStep({ output: "obj/a.o", defines: [{ name: "NAME", value: '"it\'s"' }] }, 1),
  archiveStep({ library: "libx.a", members: ["obj/a.o"] }, 2),
  archiveStep({ tool: "ranlib", operation: "index", library: "libx.a", members: [] }, 3),
  linkStep({ inputs: ["obj/a.o"], libraries: ["x", "m"] }, 4),
  unknownStep({}, 5),
];

describe("renderProcedure", () => {
  it("passes the DCL checker", () => {
    expect(render(sample).issues).toEqual([]);
  });

  it("sets up the error handler", () => {
    expect(render(sample).text).toContain("$ ON ERROR THEN GOTO BUILD_FAILED");
  });

  it("defines the root from its own location", () => {
    expect(render(sample).text).toContain('$ BUILD_PROCEDURE = F$ENVIRONMENT("PROCEDURE")');
  });

  it("restores the default directory", () => {
    const records = render(sample).text.split("\n");
    expect(records.filter((record) => record === "$ SET DEFAULT 'BUILD_SAVED_DEFAULT'")).toHaveLength(2);
  });

  it("marks untranslated steps", () => {
    expect(render(sample).text).toContain("$! NOT TRANSLATED [6] line 6: ./configure");
  });

  it("comments ranlib", () => {
    expect(render(sample).text).toContain(
      "$! nothing to do: an OpenVMS object library indexes its global symbols itself",
    );
  });

  it("creates the library only when missing", () => {
    expect(render(sample).text).toContain(
      '$ IF F$SEARCH("LIBX.OLB") .EQS. "" THEN LIBRARY/CREATE/OBJECT LIBX.OLB',
    );
  });

  it("keeps apostrophes out of comments", () => {
    const comments = render(sample)
      .text.split("\n")
      .filter((record) => record.startsWith("$!"));
    expect(comments.some((record) => record.includes("'"))).toBe(false);
  });

  it("counts the summary", () => {
    const { plan } = render(sample);
    expect([plan.summary.translated, plan.summary.commented, plan.summary.notTranslated]).toEqual([4, 1, 1]);
  });

  it("splits a long member list into several commands", () => {
    const members = Array.from({ length: 120 }, (_, index) => `objects/member_number_${index}.o`);
    const { text, issues } = render([archiveStep({ members })]);
    expect(issues).toEqual([]);
    const replaced = commands(text, "LIBRARY").flatMap((command) => command.parameters[1]?.elements ?? []);
    expect(replaced).toHaveLength(120);
  });

  it("respects a larger command limit", () => {
    const members = Array.from({ length: 120 }, (_, index) => `objects/member_number_${index}.o`);
    const limits = { ...DEFAULT_LIMITS, maxCommand: 4096 };
    const { text } = render([archiveStep({ members })], limits);
    expect(commands(text, "LIBRARY").length).toBeLessThan(
      commands(render([archiveStep({ members })]).text, "LIBRARY").length,
    );
  });
});

describe("define round trip", () => {
  const defineValue = fc.string({
    unit: fc.constantFrom("a", "B", " ", '"', "'", "!", "é", "(", ",", "=", "/", "-", "1", "\\"),
    maxLength: 12,
  });
  const defineName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);

  it("keeps every define value or moves it to a header", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ name: defineName, value: defineValue }), {
          selector: (define) => define.name,
          maxLength: 6,
        }),
        (defines) => {
          const { plan, text, issues } = render([compileStep({ defines })]);
          expect(issues.filter((issue) => issue.severity === "error")).toEqual([]);
          const [cc] = commands(text, "CC");
          const onLine = (cc?.qualifiers.find((qualifier) => qualifier.name === "DEFINE")?.values ?? []).map(
            (value) => parseDefineElement(value.text),
          );
          const header = plan.files.map((file) => file.content).join("\n");
          for (const define of defines) {
            const found = onLine.find((entry) => entry.name === define.name);
            if (found) expect(found.value).toBe(define.value);
            else expect(header).toContain(`#define ${define.name} ${define.value}`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("keeps include paths in order", () => {
    const component = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.array(component, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/")),
          { maxLength: 8 },
        ),
        (paths) => {
          const { text, issues } = render([
            compileStep({ includes: paths.map((path) => ({ path, kind: "I" as const })) }),
          ]);
          expect(issues).toEqual([]);
          const [cc] = commands(text, "CC");
          const values =
            cc?.qualifiers
              .find((qualifier) => qualifier.name === "INCLUDE_DIRECTORY")
              ?.values.map((value) => value.text) ?? [];
          expect(values).toEqual(paths.map((path) => `[.${path.toUpperCase().replaceAll("/", ".")}]`));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("ProcedureBody chunks", () => {
  it("keeps a word longer than a chunk, cut into records", () => {
    const long = "\u00e9".repeat(400_000);
    const { text } = render([unknownStep({ command: long }, 0)]);
    expect(text.replaceAll("\n$! ", "")).toContain(long);
  });

  it("gives the same text as chunks", () => {
    const plan = Translator.translate(sample, options());
    const renderOptions = { limits: DEFAULT_LIMITS, symbolValues: plan.symbols };
    const body = new ProcedureBody(renderOptions);
    for (const planned of plan.steps) body.add(planned);
    const joined = Buffer.concat(body.finishChunks(plan, header)).toString("utf8");
    expect(joined).toBe(renderProcedure(plan, header, renderOptions));
  });
});

describe("headingRecords", () => {
  const renderOptions = { limits: DEFAULT_LIMITS };

  it("renders the shortened heading", () => {
    const step = compileStep({ command: `gcc ${"-DX ".repeat(100)}-c a.c` }, 4);
    expect(headingRecords(step, renderOptions)).toEqual(
      renderComment(stepHeading({ step, disposition: "translated", directory: "", notes: [], actions: [] })),
    );
  });

  it("skips a heading ending in a carriage return", () => {
    expect(headingRecords(compileStep({ command: "gcc -c a.c\r" }), renderOptions)).toBeUndefined();
  });

  it("survives the batches of the parser thread", () => {
    const steps = [
      compileStep({ command: `gcc ${"-DX ".repeat(100)}-c a.c` }, 0),
      compileStep({ command: "gcc -c b.c\r" }, 1),
      shellStep({ command: "cp a.h include/a.h", operation: "cp", tool: "cp" }, 2),
    ];
    const expected = steps.map((step) => headingRecords(step, renderOptions)?.join("\n"));
    const writer = new BatchWriter(DEFAULT_LIMITS);
    for (const step of steps) writer.add(structuredClone(step));
    const decoded = new BatchReader("build.log").read(writer.take());
    expect(decoded.map((step) => step.renderedHeading)).toEqual(expected);
  });

  it("matches headings rendered with their notes", () => {
    const plan = Translator.translate(sample, options());
    const renderOptions = { limits: DEFAULT_LIMITS, symbolValues: plan.symbols };
    const expected = renderProcedure(plan, header, renderOptions);
    for (const planned of plan.steps)
      planned.step = {
        ...planned.step,
        renderedHeading: headingRecords(planned.step, renderOptions)?.join("\n"),
      };
    expect(renderProcedure(plan, header, renderOptions)).toBe(expected);
  });
});

describe("ProcedureBody step records", () => {
  const numbered = (index: number) => ({
    step: compileStep({ command: "gcc -c a.c" }, index),
    disposition: "translated" as const,
    directory: "SRC$ROOT:[LIB]",
    notes: [],
    actions: [],
  });

  it("writes BUILD_STEP as renderAssignment does", () => {
    const renderOptions = { limits: DEFAULT_LIMITS };
    const body = new ProcedureBody(renderOptions);
    for (const index of [0, 9, 99_999]) body.add(numbered(index));
    const text = Buffer.concat(body.finishChunks(Translator.translate([], options()), header)).toString();
    for (const number of [1, 10, 100_000]) {
      const expected = renderAssignment("BUILD_STEP", raw(String(number)), renderOptions);
      const lines = "lines" in expected ? expected.lines : [];
      expect(lines).toHaveLength(1);
      expect(text).toContain(`\n${lines.join("\n")}\n`);
    }
  });

  it("reports BUILD_STEP over a tiny record limit", () => {
    const renderOptions = { limits: { ...DEFAULT_LIMITS, maxRecord: 17 } };
    const body = new ProcedureBody(renderOptions);
    body.add({ ...numbered(0), directory: "A" });
    expect(() => body.add({ ...numbered(99), directory: "A" })).toThrow(/record limit of 17/);
  });

  it("repeats SET DEFAULT after a change", () => {
    const renderOptions = { limits: DEFAULT_LIMITS };
    const body = new ProcedureBody(renderOptions);
    body.add(numbered(0));
    body.add({ ...numbered(1), directory: "SRC$ROOT:[000000]" });
    body.add(numbered(2));
    const text = Buffer.concat(body.finishChunks(Translator.translate([], options()), header)).toString();
    expect(text.split("$ SET DEFAULT SRC$ROOT:[LIB]\n").length - 1).toBe(2);
  });
});
