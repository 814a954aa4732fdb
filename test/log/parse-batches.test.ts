/** `parseLogInBatches` must give the steps and summary of `parseLogText`, whatever the chunk sizes. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLogInBatches, parseLogText } from "../../src/log/index.js";
import type { BuildStep } from "../../src/model/steps.js";

const LINES = [
  "make[1]: Entering directory '/p/a'",
  "gcc -O2 \\",
  "\t-Iinc -c a.c -o a.o",
  "cc -o prog a.o -lm",
  "a.c:1:2: warning: unused",
  "make: *** [Makefile:3: a.o] Error 1",
  "ar rcs libx.a a.o",
  "checking for gcc... gcc",
  "",
];

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

describe("parseLogInBatches", () => {
  it("matches parseLogText for any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...LINES), { maxLength: 60 }),
        fc.integer({ min: 1, max: 64 }),
        async (lines, chunkBytes) => {
          const bytes = Buffer.from(lines.join("\n"));
          const expected = parseLogText(bytes, { file: "x.log" });
          const steps: BuildStep[] = [];
          let summary: unknown;
          for await (const event of parseLogInBatches(chunksOf(bytes, chunkBytes), { file: "x.log" })) {
            if (event.type === "steps") steps.push(...event.steps);
            else summary = event.summary;
          }
          expect(JSON.stringify(steps)).toBe(JSON.stringify(expected.steps));
          expect(summary).toEqual(expected.summary);
        },
      ),
      { numRuns: 100 },
    );
  });
});
