import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeLine,
  type PhysicalLine,
  readLinesFromBuffer,
  readPhysicalLines,
} from "../../src/log/lines.js";

/** Lines of the kinds a log mixes: ASCII, Latin-1 letters in UTF-8, gcc's curly quotes, and invalid UTF-8. */
const line = fc.oneof(
  fc.constantFrom("gcc -c -o a.o a.c", "", "make[1]: Entering directory '/src'", "  CC      main.o"),
  fc.constantFrom(
    "a.c:3:5: warning: unused variable \u2018x\u2019",
    "Verzeichnis \u201e/src\u201c",
    "r\u00e9sum\u00e9.c",
  ),
  fc.constant(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x63])),
);

/** Join `lines` into the bytes of a log, with a line feed after each but the last. */
function logBytes(lines: (string | Buffer)[]): Buffer {
  return Buffer.concat(
    lines.flatMap((entry, index) => [
      typeof entry === "string" ? Buffer.from(entry, "utf8") : entry,
      ...(index < lines.length - 1 ? [Buffer.from("\n")] : []),
    ]),
  );
}

/** What decoding every line on its own gives: the reference the batch decoders must match. */
function oneByOne(log: Buffer): { text: string; line: number; latin1: boolean }[] {
  const lines: { text: string; line: number; latin1: boolean }[] = [];
  // An empty log has no lines, and a line feed at the very end starts no line of its own.
  if (log.length === 0) return lines;
  const bytes = log[log.length - 1] === 10 ? log.subarray(0, log.length - 1) : log;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(10, start);
    const decoded = decodeLine(bytes.subarray(start, end < 0 ? bytes.length : end));
    lines.push({ text: decoded.text, line: lines.length + 1, latin1: decoded.latin1 });
    if (end < 0) return lines;
    start = end + 1;
  }
}

function plain(lines: PhysicalLine[]): { text: string; line: number; latin1: boolean }[] {
  return lines.map(({ text, line, latin1 }) => ({ text, line, latin1 }));
}

describe("physical line readers", () => {
  it("readLinesFromBuffer decodes as line by line", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), (lines) => {
        const bytes = logBytes(lines);
        expect(plain([...readLinesFromBuffer(bytes)].flat())).toEqual(oneByOne(bytes));
      }),
    );
  });

  it("readPhysicalLines decodes any chunking as line by line", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (lines, cuts) => {
          const bytes = logBytes(lines);
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((from, index) =>
            bytes.subarray(from, points[index] ?? bytes.length),
          );
          async function* source() {
            yield* chunks;
          }
          const read: PhysicalLine[] = [];
          for await (const batch of readPhysicalLines(source())) read.push(...batch);
          expect(plain(read)).toEqual(oneByOne(bytes));
        },
      ),
    );
  });
});
