import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type CompileContext, type CompileMemo, translateCompile } from "../../src/emit/compile.js";
import { PathContext } from "../../src/emit/paths.js";
import type { CompileStep, IncludeDirectory } from "../../src/model/steps.js";
import { FlagMatcher } from "../../src/rules/translate/flags.js";
import type { RuleLanguage } from "../../src/rules/translate/types.js";
import { compileStep, options, ROOT } from "./steps.js";

function context(memo?: CompileMemo): CompileContext {
  const { rules } = options();
  const target = rules.targets.get("x86_64");
  if (target === undefined) throw new Error("no x86_64 target in the built-in rules");
  return {
    flags: FlagMatcher.fromRuleSet(rules),
    target,
    paths: new PathContext({ sourceRoot: ROOT, rootLogical: "SRC$ROOT", absoluteViaLogical: false }),
    symbolFor: (language: RuleLanguage) => (language === "c++" ? "CXX_QUALIFIERS" : "CC_QUALIFIERS"),
    ...(memo === undefined ? {} : { memo }),
  };
}

/** Small pools, so that a sequence repeats option sets as a build does and the memo is hit. */
const subset = <T>(pool: readonly T[]) => fc.subarray([...pool]);
const compileOptions = fc.record({
  directory: fc.constantFrom(ROOT, `${ROOT}/lib`),
  language: fc.constantFrom("c" as const, "c++" as const),
  source: fc.constantFrom("a.c", "b.c", "sub/c.c", "/usr/src/d.c"),
  defines: subset([
    { name: "A" },
    { name: "A", value: "" },
    { name: "B", value: "2" },
    { name: "S", value: '"x y"' },
  ]),
  undefines: subset(["NDEBUG", "A"]),
  includes: subset<IncludeDirectory>([
    { path: ".", kind: "I" },
    { path: "include", kind: "I" },
    { path: "/usr/include/x", kind: "isystem" },
    { path: `${ROOT}/gen`, kind: "I" },
  ]),
  otherFlags: subset(["-fno-common", "-pthread", "-fwhatever", "-E"]),
  warnings: subset(["-Wall", "-Wextra"]),
  optimization: fc.constantFrom(undefined, "0", "2", "s"),
  forcedIncludes: subset(["config.h"]),
  responseFiles: fc.constantFrom(undefined, [
    { path: "args.rsp", resolved: false },
  ] as CompileStep["responseFiles"]),
  pic: fc.boolean(),
  debug: subset(["-g", "-g3"]),
  standard: fc.constantFrom(undefined, "c99", "gnu11"),
  dependencyFlags: subset(["-MD", "-MP"]),
});
type Choice = typeof compileOptions extends fc.Arbitrary<infer T> ? T : never;

const FIELDS: (keyof Choice)[] = [
  "directory",
  "language",
  "source",
  "defines",
  "undefines",
  "includes",
  "otherFlags",
  "warnings",
  "optimization",
  "forcedIncludes",
  "responseFiles",
  "pic",
  "debug",
  "standard",
  "dependencyFlags",
];

/**
 * A sequence of compiles drawn from a base option set and variants that each differ from it in one field, so
 * that a memo which ignored a field would hand one variant's outcome to another.
 */
const compileSequence = fc
  .tuple(
    compileOptions,
    fc.array(fc.tuple(fc.constantFrom(...FIELDS), compileOptions), { minLength: 1, maxLength: 6 }),
    fc.array(fc.nat(), { minLength: 2, maxLength: 30 }),
  )
  .map(([base, changes, picks]) => {
    const variants: Choice[] = [
      base,
      ...changes.map(([field, other]) => ({ ...base, [field]: other[field] })),
    ];
    return picks.map((pick) => variants[pick % variants.length] as Choice);
  });

function stepFrom(choice: Choice, index: number): CompileStep {
  const { directory, optimization, standard, responseFiles, ...rest } = choice;
  return compileStep(
    {
      ...rest,
      directory: { path: directory, source: "make-enter" },
      output: rest.source.replace(/\.c$/, ".o"),
      ...(optimization === undefined ? {} : { optimization }),
      ...(standard === undefined ? {} : { standard }),
      ...(responseFiles === undefined ? {} : { responseFiles }),
    },
    index,
  );
}

describe("compile memo", () => {
  test("gives the same outcome as no memo", () => {
    fc.assert(
      fc.property(compileSequence, (choices) => {
        const memoized = context(new Map());
        const plain = context();
        choices.forEach((choice, index) => {
          const step = stepFrom(choice, index);
          expect(translateCompile(step, memoized)).toEqual(translateCompile(step, plain));
        });
      }),
      { numRuns: 300 },
    );
  });

  test("tells apart compiles that differ in one define", () => {
    const shared = context(new Map());
    const first = translateCompile(compileStep({ defines: [{ name: "A", value: "1" }] }), shared);
    const second = translateCompile(compileStep({ defines: [{ name: "A", value: "2" }] }), shared);
    expect(first).not.toEqual(second);
  });

  test("tells apart a define without a value from an empty one", () => {
    const shared = context(new Map());
    const bare = translateCompile(compileStep({ defines: [{ name: "A" }] }), shared);
    const empty = translateCompile(compileStep({ defines: [{ name: "A", value: "" }] }), shared);
    expect(bare).not.toEqual(empty);
  });
});
