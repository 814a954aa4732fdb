import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { noCommandReason } from "../../src/emit/no-command.js";
import {
  anchorStartDirectory,
  commonRoot,
  inferSourceRoot,
  StartDirectoryFinder,
} from "../../src/emit/paths.js";
import {
  SourceRootTracker,
  StepTranslation,
  StreamingAbandoned,
  type StreamingResult,
  StreamingTranslation,
  type TranslationFormat,
} from "../../src/emit/stream.js";
import type { OutputContent } from "../../src/emit/write.js";
import { enteredDirectories } from "../../src/log/entered-directories.js";
import { parseLogText } from "../../src/log/index.js";
import type { BuildStep } from "../../src/model/steps.js";
import { loadTranslateRules } from "../../src/rules/translate/index.js";
import { compileStep, shellStep } from "./steps.js";

const fixtures = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const rules = loadTranslateRules();
const options = { rules, target: "x86_64" as const, pointerSize: 32 as const, limits: DEFAULT_LIMITS };
const header = { log: "build.log", target: "x86_64", pointerSize: 32 as const, version: "0.0.0-test" };

function format(kind: "dcl" | "mms"): TranslationFormat {
  return kind === "dcl"
    ? { format: "dcl", header: { ...header, procedureName: "BUILD.COM" } }
    : { format: "mms", header };
}

function text(content: OutputContent): string {
  if (typeof content === "string") return content;
  return Buffer.concat(
    content.map((chunk) => (typeof chunk === "string" ? Buffer.from(chunk) : chunk)),
  ).toString();
}

/** Translate the whole parsed log at once, as the one-thread path does, and return the output. */
function wholeLog(log: Buffer, kind: "dcl" | "mms", sourceRoot?: string): string {
  const steps = parseLogText(log, { file: "build.log" }).steps;
  const anchor = sourceRoot === undefined ? anchorStartDirectory(steps) : undefined;
  const relative = steps.filter((step) => !step.directory.path.startsWith("/"));
  if (anchor !== undefined && relative.length < steps.length) {
    for (const step of relative)
      step.directory = { ...step.directory, path: `${anchor.directory}/${step.directory.path}` };
  }
  const translation = new StepTranslation(
    format(kind),
    options,
    sourceRoot ?? inferSourceRoot(steps),
    () => 0,
  );
  for (const step of steps) translation.add(step);
  return text(translation.finish().content);
}

/** Translate the parsed log in batches of `batchSize` steps with a `StreamingTranslation`. */
function streamed(
  log: Buffer,
  kind: "dcl" | "mms",
  batchSize: number,
  settings: { knownRoot?: string; maxHeldSteps?: number; needsNoCommand?: (step: BuildStep) => boolean } = {},
): { result: StreamingResult; text: string | undefined } {
  const steps = parseLogText(log, { file: "build.log" }).steps;
  const streaming = new StreamingTranslation({
    knownRoot: settings.knownRoot,
    enteredDirectories: enteredDirectories(log),
    maxHeldSteps: settings.maxHeldSteps ?? 2048,
    create: (root) => new StepTranslation(format(kind), options, root, () => 0),
    ...(settings.needsNoCommand === undefined ? {} : { needsNoCommand: settings.needsNoCommand }),
  });
  for (let start = 0; start < steps.length; start += batchSize)
    streaming.add(steps.slice(start, start + batchSize));
  const result = streaming.finish();
  if (result.kind === "held") return { result, text: undefined };
  return { result, text: text(result.translation.content) };
}

function fixtureLogs(): { name: string; bytes: Buffer }[] {
  const logs: { name: string; bytes: Buffer }[] = [];
  for (const folder of readdirSync(`${fixtures}parse`)) {
    if (folder.startsWith("_")) continue;
    logs.push({ name: folder, bytes: readFileSync(`${fixtures}parse/${folder}/build.log`) });
  }
  for (const file of readdirSync(`${fixtures}translate/logs`))
    logs.push({ name: file, bytes: readFileSync(`${fixtures}translate/logs/${file}`) });
  logs.push({ name: "demo", bytes: readFileSync(`${fixtures}demo/build.log`) });
  logs.push({
    name: "cmake-make-static",
    bytes: readFileSync(`${fixtures}translate/cmake-make-static/build.log`),
  });
  return logs;
}

/** Check whether the translator comments a step whatever came before it, as `vmsport translate` does. */
const withoutCommand = (step: BuildStep) => noCommandReason(step, rules.tools) !== undefined;

/** Build a log of `count` compiles in each directory, entered by make or reached with `cd`. */
function recursiveLog(directories: readonly string[], count: number, withEnter = true): Buffer {
  const lines: string[] = [];
  for (const directory of directories) {
    if (withEnter) lines.push(`make[1]: Entering directory '${directory}'`);
    for (let k = 0; k < count; k++) {
      const prefix = withEnter ? "" : `cd ${directory} && `;
      lines.push(`${prefix}gcc -O2 -DN=${k} -c f${k}.c -o f${k}.o`);
    }
    if (withEnter) lines.push(`make[1]: Leaving directory '${directory}'`);
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

describe("StreamingTranslation", () => {
  for (const { name, bytes } of fixtureLogs()) {
    it(`matches whole-log translation: ${name}`, () => {
      for (const kind of ["dcl", "mms"] as const) {
        for (const batchSize of [1, 3, 1000]) {
          let outcome: ReturnType<typeof streamed>;
          try {
            outcome = streamed(bytes, kind, batchSize, { maxHeldSteps: 4 });
          } catch (error) {
            expect(error).toBeInstanceOf(StreamingAbandoned);
            continue;
          }
          if (outcome.text !== undefined) expect(outcome.text).toBe(wholeLog(bytes, kind));
        }
      }
    });
  }

  it("holds a log too short to decide", () => {
    const log = Buffer.from("gcc -c a.c -o a.o\ngcc -c b.c -o b.o\n");
    expect(streamed(log, "dcl", 1).result.kind).toBe("held");
  });

  it("places relative directories at the start", () => {
    const log = Buffer.from(
      "make -C lib\nmake[1]: Entering directory '/src/p/lib'\ngcc -c a.c -o a.o\nmake[1]: Leaving directory '/src/p/lib'\ngcc -c main.c -o main.o\n",
    );
    const outcome = streamed(log, "dcl", 1, { maxHeldSteps: 100 });
    expect(outcome.result.kind).toBe("translated");
    if (outcome.result.kind === "translated") expect(outcome.result.start?.directory).toBe("/src/p");
    expect(outcome.text).toBe(wholeLog(log, "dcl"));
  });

  it("abandons when the root moves up", () => {
    const log = recursiveLog(["/src/p/lib", "/src/p/app"], 5, false);
    expect(() => streamed(log, "dcl", 2)).toThrow(StreamingAbandoned);
  });

  it("guesses the root from entered directories", () => {
    const log = recursiveLog(["/src/p/lib", "/src/p/app"], 5);
    expect(streamed(log, "dcl", 2).text).toBe(wholeLog(log, "dcl"));
  });

  it("abandons when the guess is too shallow", () => {
    const log = Buffer.concat([
      Buffer.from("make[1]: Entering directory '/src/p'\nmake[1]: Leaving directory '/src/p'\n"),
      recursiveLog(["/src/p/lib/a", "/src/p/lib/b"], 3),
    ]);
    expect(() => streamed(log, "dcl", 2)).toThrow(StreamingAbandoned);
  });

  it("abandons unplaced relative directories", () => {
    const log = Buffer.from(
      `${recursiveLog(["/src/p/lib"], 3).toString()}gcc -c main.c -o main.o\ngcc -c more.c -o more.o\n`,
    );
    expect(() => streamed(log, "dcl", 2)).toThrow(StreamingAbandoned);
  });

  it("abandons an absolute directory after relative ones", () => {
    const log = Buffer.from(`gcc -c a.c -o a.o\ngcc -c b.c -o b.o\ncd /src/p && gcc -c c.c -o c.o\n`);
    expect(() => streamed(log, "dcl", 1, { maxHeldSteps: 1 })).toThrow(StreamingAbandoned);
  });

  it("leaves CMake bookkeeping unplaced", () => {
    const log = readFileSync(`${fixtures}translate/cmake-make-static/build.log`);
    const outcome = streamed(log, "dcl", 1, { maxHeldSteps: 4, needsNoCommand: withoutCommand });
    expect(outcome.result.kind).toBe("translated");
    expect(outcome.text).toBe(wholeLog(log, "dcl"));
  });

  it("abandons bookkeeping a sub-make places later", () => {
    const log = Buffer.from(
      [
        "make[1]: Entering directory '/src/p/app'",
        "gcc -c a.c -o a.o",
        "make[1]: Leaving directory '/src/p/app'",
        "/usr/bin/cmake -E cmake_progress_start /src/p/CMakeFiles 0",
        "make -C lib",
        "make[1]: Entering directory '/src/p/lib'",
        "gcc -c b.c -o b.o",
        "",
      ].join("\n"),
    );
    expect(() => streamed(log, "dcl", 1, { needsNoCommand: withoutCommand })).toThrow(StreamingAbandoned);
  });

  it("uses a given source root", () => {
    const log = recursiveLog(["/src/p/lib", "/src/p/app"], 5, false);
    const outcome = streamed(log, "mms", 2, { knownRoot: "/src" });
    expect(outcome.text).toBe(wholeLog(log, "mms", "/src"));
  });
});

const directoryArbitrary = fc.oneof(
  fc.constantFrom("/a", "/a/b", "/a/b/c", "/a/d", "/x", "/", "/a/b/../d", "/a//b/"),
  fc.constantFrom(".", "sub", "../up", "b/c"),
);

const stepArbitrary: fc.Arbitrary<BuildStep> = fc.oneof(
  fc
    .record({ directory: directoryArbitrary, source: fc.constantFrom("a.c", "/a/b/a.c", "/x/y/z.c") })
    .map(({ directory, source }) =>
      compileStep({ directory: { path: directory, source: "make-enter" }, source }),
    ),
  fc
    .record({
      directory: directoryArbitrary,
      options: fc.constantFrom([], ["-C", "b"], ["-Cc"], ["--directory=b/c"], ["-C", ".."], ["-C", "d"]),
      source: fc.constantFrom("make-enter" as const, "cd" as const, "initial" as const),
    })
    .map(({ directory, options, source }) =>
      shellStep({
        operation: "submake",
        tool: "make",
        options: [...options],
        directory: { path: directory, source },
      }),
    ),
);

describe("StartDirectoryFinder", () => {
  it("agrees with anchorStartDirectory", () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 12 }), (steps) => {
        const finder = new StartDirectoryFinder();
        for (const step of steps) finder.add(step);
        const expected = anchorStartDirectory(steps);
        expect(finder.found?.directory).toBe(expected?.directory);
        expect(finder.found?.step).toBe(expected?.step);
      }),
    );
  });
});

describe("SourceRootTracker", () => {
  it("agrees with inferSourceRoot", () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 12 }), (steps) => {
        const tracker = new SourceRootTracker();
        for (const step of steps) tracker.add(step);
        expect(tracker.root()).toBe(inferSourceRoot(steps));
      }),
    );
  });

  it("agrees with inferSourceRoot after each step", () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 12 }), (steps) => {
        const tracker = new SourceRootTracker();
        for (let count = 1; count <= steps.length; count++) {
          tracker.add(steps[count - 1] as BuildStep);
          expect(tracker.root()).toBe(inferSourceRoot(steps.slice(0, count)));
        }
      }),
    );
  });

  it("reports recognised steps", () => {
    const tracker = new SourceRootTracker();
    tracker.add(compileStep());
    expect(tracker.anyRecognised()).toBe(true);
  });
});

describe("enteredDirectories", () => {
  it("finds make and ninja directories", () => {
    const log = Buffer.from(
      [
        "make[1]: Entering directory '/src/p/lib'",
        "make: Verzeichnis „/src/p/de“ wird betreten",
        "ninja: Entering directory `build'",
        "make[2]: Entering directory '/src/p/lib'",
        "echo Entering directory nowhere",
      ].join("\n"),
    );
    expect(enteredDirectories(log).sort()).toEqual(["/src/p/de", "/src/p/lib"]);
  });

  it("feeds the root guess", () => {
    expect(commonRoot(enteredDirectories(recursiveLog(["/s/a", "/s/b"], 1)))).toBe("/s");
  });
});
