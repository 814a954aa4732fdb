/**
 * `createStep` builds each step kind as one object literal. Its JSON must equal that of the field-by-field
 * merge it replaced: `kind`, then the common fields, then the kind's fields, with unset optional fields absent.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createStep, type StepFields } from "../../src/log/step-object.js";
import type { StepBase } from "../../src/model/steps.js";

/** Strings with quotes, backslashes, control characters, non-ASCII text and lone surrogates. */
const text = fc.string({ unit: "binary", maxLength: 12 });
const words = fc.array(text, { maxLength: 4 });

const base: fc.Arbitrary<StepBase> = fc.record(
  {
    index: fc.nat(),
    origin: fc.record({ file: text, startLine: fc.nat(), endLine: fc.nat() }),
    directory: fc.record(
      {
        path: text,
        source: fc.constantFrom("make-enter", "ninja-enter", "cd", "make-c", "automake", "initial"),
        ambiguous: fc.record({ candidates: words }),
      },
      { requiredKeys: ["path", "source"] },
    ),
    command: text,
    argv: words,
    diagnostics: fc.array(
      fc.record(
        {
          severity: fc.constantFrom("error", "warning", "note"),
          message: text,
          file: text,
          line: fc.nat(),
          column: fc.nat(),
          logLine: fc.nat(),
        },
        { requiredKeys: ["severity", "message", "logLine"] },
      ),
      { maxLength: 2 },
    ),
    status: fc.record(
      {
        result: fc.constantFrom("ok", "failed", "failed-ignored", "unknown"),
        exitStatus: fc.nat(),
        logLine: fc.nat(),
      },
      { requiredKeys: ["result"] },
    ),
    // The parser adds these three after the others, when they are set.
    wrappers: words,
    environment: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,5}$/), text, { maxKeys: 3 }),
    encoding: fc.constant("latin1"),
  },
  { requiredKeys: ["index", "origin", "directory", "command", "argv", "diagnostics", "status"] },
) as fc.Arbitrary<StepBase>;

const language = fc.constantFrom("c", "c++", "assembler", "assembler-with-cpp", "objective-c", "unknown");

const compile = fc.record(
  {
    kind: fc.constant("compile"),
    tool: text,
    compiler: fc.constantFrom("gcc", "clang", "cc", "unknown"),
    source: text,
    output: text,
    outputImplied: fc.boolean(),
    language,
    includes: fc.array(
      fc.record({ path: text, kind: fc.constantFrom("I", "iquote", "isystem", "idirafter") }),
      { maxLength: 3 },
    ),
    defines: fc.array(fc.record({ name: text, value: text }, { requiredKeys: ["name"] }), { maxLength: 3 }),
    undefines: words,
    forcedIncludes: words,
    optimization: text,
    debug: words,
    standard: text,
    warnings: words,
    dependencyFlags: words,
    pic: fc.boolean(),
    otherFlags: words,
    responseFiles: fc.array(fc.record({ path: text, resolved: fc.boolean() }), { maxLength: 2 }),
    objects: fc.array(fc.record({ output: text, pic: fc.boolean(), logLine: fc.nat() }), { maxLength: 2 }),
  },
  {
    requiredKeys: [
      "kind",
      "tool",
      "compiler",
      "source",
      "output",
      "outputImplied",
      "language",
      "includes",
      "defines",
      "undefines",
      "forcedIncludes",
      "debug",
      "warnings",
      "dependencyFlags",
      "pic",
      "otherFlags",
    ],
  },
);

const link = fc.record(
  {
    kind: fc.constant("link"),
    tool: text,
    product: fc.constantFrom("executable", "shared"),
    output: text,
    inputs: words,
    libraryDirectories: words,
    libraries: words,
    linkerOptions: words,
    soname: text,
    versionScript: text,
    threads: fc.boolean(),
    otherFlags: words,
    language,
  },
  {
    requiredKeys: [
      "kind",
      "tool",
      "product",
      "output",
      "inputs",
      "libraryDirectories",
      "libraries",
      "linkerOptions",
      "threads",
      "otherFlags",
      "language",
    ],
  },
);

const archive = fc.record({
  kind: fc.constant("archive"),
  tool: text,
  operation: fc.constantFrom("replace", "append", "delete", "extract", "list", "index"),
  operationLetters: text,
  library: text,
  members: words,
});

const shell = fc.record(
  {
    kind: fc.constant("shell"),
    operation: fc.constantFrom("mkdir", "cp", "install", "write-file", "generate", "submake"),
    tool: text,
    options: words,
    sources: words,
    destination: text,
    script: text,
  },
  { requiredKeys: ["kind", "operation", "tool", "options", "sources"] },
);

const unknown = fc.record(
  { kind: fc.constant("unknown"), reason: text, silentRule: fc.record({ tag: text, target: text }) },
  { requiredKeys: ["kind", "reason"] },
);

const fields = fc.oneof(compile, link, archive, shell, unknown) as fc.Arbitrary<StepFields>;

/** Merges the parts as the parser did before `createStep`: `kind`, the common fields, the kind's fields. */
function mergedStep(stepBase: StepBase, stepFields: StepFields): unknown {
  return Object.assign({ kind: stepFields.kind }, stepBase, stepFields);
}

describe("createStep", () => {
  it("writes the same JSON as a merge of its parts", () => {
    fc.assert(
      fc.property(base, fields, (stepBase, stepFields) => {
        const created = JSON.stringify(createStep(stepBase, stepFields));
        expect(created).toBe(JSON.stringify(mergedStep(stepBase, stepFields)));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps every field of each kind", () => {
    fc.assert(
      fc.property(base, fields, (stepBase, stepFields) => {
        const created = createStep(stepBase, stepFields) as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries({ ...stepBase, ...stepFields })) {
          expect(created[key]).toBe(value);
        }
      }),
      { numRuns: 200 },
    );
  });
});
