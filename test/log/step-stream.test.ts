import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseLogText } from "../../src/log/index.js";
import { type Batch, BatchReader, BatchWriter } from "../../src/log/step-stream.js";
import type { BuildStep, CompileStep } from "../../src/model/steps.js";

const fixtures = fileURLToPath(new URL("../../fixtures/", import.meta.url));

/**
 * The worker thread runs the built `step-stream-worker.js`, so these tests import the built module, as the
 * CLI tests run the built program. `npm test` builds it first.
 */
const built = (await import(
  new URL("../../dist/log/step-stream.js", import.meta.url).href
)) as typeof import("../../src/log/step-stream.js");

function fixtureLogs(): { name: string; bytes: Buffer }[] {
  const logs: { name: string; bytes: Buffer }[] = [];
  for (const folder of readdirSync(`${fixtures}parse`)) {
    if (folder.startsWith("_")) continue;
    logs.push({ name: folder, bytes: readFileSync(`${fixtures}parse/${folder}/build.log`) });
  }
  for (const file of readdirSync(`${fixtures}translate/logs`))
    logs.push({ name: file, bytes: readFileSync(`${fixtures}translate/logs/${file}`) });
  logs.push({ name: "demo", bytes: readFileSync(`${fixtures}demo/build.log`) });
  return logs;
}

/** Copy a step without the fields that the batches leave out, which translation never reads. */
function translated(step: BuildStep): unknown {
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(step));
  for (const field of ["diagnostics", "status", "wrappers", "environment", "encoding"]) delete copy[field];
  if (step.kind === "compile") delete copy.argv;
  return copy;
}

function parsedSteps(bytes: Buffer): BuildStep[] {
  return parseLogText(bytes, { file: "build.log" }).steps;
}

describe("BatchWriter and BatchReader", () => {
  for (const { name, bytes } of fixtureLogs()) {
    it(`keep translated fields: ${name}`, () => {
      const expected = parsedSteps(bytes).map(translated);
      for (const batchSteps of [1, 2, 1000]) {
        const writer = new BatchWriter();
        const reader = new BatchReader("build.log");
        const batches: Batch[] = [];
        for (const step of parsedSteps(bytes)) {
          writer.add(step);
          if (writer.length >= batchSteps) batches.push(writer.take());
        }
        batches.push(writer.take());
        const decoded = batches.flatMap((batch) => reader.read(batch));
        expect(decoded.map(translated)).toEqual(expected);
      }
    });
  }

  it("restores empty diagnostics", () => {
    const writer = new BatchWriter();
    writer.add(parsedSteps(Buffer.from("gcc -c a.c -o a.o\n"))[0] as BuildStep);
    const [step] = new BatchReader("x.log").read(writer.take());
    expect(step?.diagnostics).toEqual([]);
    expect(step?.argv).toEqual([]);
    expect(step?.origin.file).toBe("x.log");
  });

  it("shares repeated option lists", () => {
    const writer = new BatchWriter();
    for (const step of parsedSteps(Buffer.from("gcc -I. -DA=1 -c a.c\ngcc -I. -DA=1 -c b.c\n")))
      writer.add(step);
    const [first, second] = new BatchReader("x.log").read(writer.take()) as CompileStep[];
    expect(first?.defines).toBe(second?.defines);
    expect(first?.includes).toBe(second?.includes);
    expect(first?.directory).toBe(second?.directory);
  });

  it("keeps commands with any characters", () => {
    const writer = new BatchWriter();
    const log = 'echo "a\\tb \u00e9\u2019" > x.txt\nprintf \'%s\\n\' "$(cat y)" >> z\n';
    const expected = parsedSteps(Buffer.from(log)).map((step) => step.command);
    for (const step of parsedSteps(Buffer.from(log))) writer.add(step);
    const decoded = new BatchReader("x.log").read(writer.take());
    expect(decoded.map((step) => step.command)).toEqual(expected);
  });
});

describe("streamSteps", () => {
  const log = readFileSync(`${fixtures}demo/build.log`);
  const repeated = Buffer.concat(Array.from({ length: 20 }, () => log));

  it("hands over every step in order", async () => {
    const expected = parsedSteps(repeated).map(translated);
    const received: BuildStep[] = [];
    const end = await built.streamSteps(
      repeated,
      "build.log",
      { steps: (steps) => received.push(...steps) },
      { batchSteps: 3, maxBatchesAhead: 2 },
    );
    expect(received.map(translated)).toEqual(expected);
    expect(end.summary).toEqual(parseLogText(repeated, { file: "build.log" }).summary);
  });

  it("rejects with the consumer's error", async () => {
    const failure = new Error("consumer failed");
    const run = built.streamSteps(
      repeated,
      "build.log",
      {
        steps: () => {
          throw failure;
        },
      },
      { batchSteps: 1, maxBatchesAhead: 1 },
    );
    await expect(run).rejects.toBe(failure);
  });

  it("ends an empty log", async () => {
    const received: BuildStep[] = [];
    const end = await built.streamSteps(Buffer.alloc(0), "empty.log", {
      steps: (steps) => received.push(...steps),
    });
    expect(received).toEqual([]);
    expect(end.summary.lines).toBe(0);
  });
});
