import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/dcl/index.js";
import { parseLogText } from "../../src/log/index.js";
import { BatchReader, BatchWriter, type StreamedStep } from "../../src/log/step-stream.js";
import type { BuildStep } from "../../src/model/steps.js";

/** Compiles whose option lists, directories and optional fields change from one step to the next. */
const LOG = [
  "make[1]: Entering directory '/src/lib'",
  "gcc -O2 -I. -DA=1 -c a.c -o a.o",
  "gcc -O2 -I. -DA=1 -c b.c -o b.o",
  "gcc -I. -I../include -c c.c -o c.o",
  "gcc -std=c99 -g -Wall -c d.c",
  "make[1]: Leaving directory '/src/lib'",
  "make[1]: Entering directory '/src/app'",
  "gcc -O2 -I. -DA=1 -c main.c -o main.o",
  "gcc -o app main.o ../lib/a.o",
  "cp app /src/bin/app",
  "make[1]: Leaving directory '/src/app'",
  "",
].join("\n");

function readBack(batchSteps: number, headings: boolean): StreamedStep[] {
  const writer = new BatchWriter(headings ? DEFAULT_LIMITS : undefined);
  const reader = new BatchReader("build.log");
  const steps: StreamedStep[] = [];
  for (const step of parseLogText(LOG, { file: "build.log" }).steps) {
    writer.add(step);
    if (writer.length >= batchSteps) steps.push(...reader.read(writer.take()));
  }
  steps.push(...reader.read(writer.take()));
  return steps;
}

describe("BatchReader step shape", () => {
  for (const batchSteps of [1, 3, 100]) {
    it(`gives compiles one key order, batches of ${batchSteps}`, () => {
      const compiles = readBack(batchSteps, true).filter((step) => step.kind === "compile");
      expect(compiles.length).toBe(5);
      const orders = new Set(compiles.map((step) => Object.keys(step).join(",")));
      expect([...orders]).toHaveLength(1);
    });
  }

  it("keeps the key order of the parser's steps", () => {
    const parsed = parseLogText(LOG, { file: "build.log" }).steps;
    const read = readBack(100, false);
    expect(read.map((step) => Object.keys(step))).toEqual(parsed.map((step) => Object.keys(step)));
  });

  it("sets renderedHeading on steps without one", () => {
    // A heading ending in a carriage return is left to the translating thread (see headingRecords).
    const [step] = parseLogText("gcc -c a.c\n", { file: "build.log" }).steps;
    const writer = new BatchWriter(DEFAULT_LIMITS);
    writer.add({ ...(step as BuildStep), command: "gcc -c a.c\r" });
    const [read] = new BatchReader("build.log").read(writer.take());
    expect(Object.keys(read ?? {})).toContain("renderedHeading");
    expect(read?.renderedHeading).toBeUndefined();
  });
});
