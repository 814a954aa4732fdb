/**
 * Property tests: whatever the bytes, the reader never throws on text input and accounts for every line,
 * either in a step's origin or in one of the summary's line categories.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLogText } from "../../src/log/index.js";
import type { ParsedLog } from "../../src/model/steps.js";

const SAMPLE_LINES = [
  "make[1]: Entering directory '/p/a'",
  "make[1]: Leaving directory '/p/a'",
  "make[2]: Verzeichnis „/p/b“ wird betreten",
  "gcc -O2 \\",
  "\t-Iinc -c a.c -o a.o",
  "cd sub && g++ -std=c++17 -c b.cpp",
  "(cd x; ar rcs libx.a a.o)",
  "libtool: compile:  gcc -c a.c  -fPIC -DPIC -o .libs/a.o",
  "/bin/bash ./libtool --mode=compile gcc -c -o a.lo a.c",
  "  CC       a.lo",
  "a.c:1:2: warning: something",
  "make: *** [Makefile:3: a.o] Error 1",
  "FAILED: a.o",
  "[3/9] /usr/bin/cc @x.rsp -c y.c",
  "echo 'unterminated",
  "\x1b[32mcolour\x1b[0m",
  "",
  "checking for gcc... gcc",
  "for f in a b; do gcc -c $f.c; done",
];

function accountedLines(parsed: ParsedLog): number {
  const counts = parsed.summary.lineCounts;
  if (!counts) return -1;
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

function physicalLineCount(text: string): number {
  if (text === "") return 0;
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  return body.split("\n").length;
}

const logFromSamples = fc
  .array(fc.oneof(fc.constantFrom(...SAMPLE_LINES), fc.string({ unit: "binary", maxLength: 40 })), {
    maxLength: 40,
  })
  .map((lines) => lines.join("\n").replaceAll("\0", " "));

describe("parseLogText properties", () => {
  it("accounts for every line of mutated logs", () => {
    fc.assert(
      fc.property(logFromSamples, (text) => {
        const parsed = parseLogText(text);
        expect(accountedLines(parsed)).toBe(physicalLineCount(text));
        expect(parsed.summary.lines).toBe(physicalLineCount(text));
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on random text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
        const parsed = parseLogText(text.replaceAll("\0", ""));
        expect(accountedLines(parsed)).toBe(parsed.summary.lines);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on random bytes without NUL", () => {
    fc.assert(
      fc.property(fc.uint8Array({ min: 1, maxLength: 300 }), (bytes) => {
        const parsed = parseLogText(Buffer.from(bytes));
        expect(accountedLines(parsed)).toBe(parsed.summary.lines);
      }),
      { numRuns: 300 },
    );
  });

  it("numbers steps in order", () => {
    fc.assert(
      fc.property(logFromSamples, (text) => {
        const indexes = parseLogText(text).steps.map((step) => step.index);
        expect(indexes).toEqual(indexes.map((_, position) => position));
      }),
      { numRuns: 200 },
    );
  });

  it("keeps step origins inside the log", () => {
    fc.assert(
      fc.property(logFromSamples, (text) => {
        const lines = physicalLineCount(text);
        for (const step of parseLogText(text).steps) {
          expect(step.origin.startLine).toBeGreaterThanOrEqual(1);
          expect(step.origin.endLine).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 200 },
    );
  });
});
