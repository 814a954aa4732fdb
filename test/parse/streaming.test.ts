import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type ParseEvent, parseLog, parseLogText } from "../../src/log/index.js";
import { ContinuationJoiner, stripControlSequences } from "../../src/log/lines.js";

const fixture = (name: string) =>
  readFileSync(path.resolve(import.meta.dirname, "../../fixtures/parse", name, "build.log"));

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function collect(events: AsyncIterable<ParseEvent>) {
  const steps = [];
  let end: Extract<ParseEvent, { type: "end" }> | undefined;
  for await (const event of events) {
    if (event.type === "step") steps.push(event.step);
    else end = event;
  }
  return { steps, end };
}

describe("parseLog", () => {
  for (const size of [1, 2, 3, 7, 64, 4096]) {
    it(`matches parseLogText with ${size}-byte chunks`, async () => {
      const bytes = Buffer.concat([
        fixture("continuation-colour-crlf"),
        fixture("latin1-bytes"),
        fixture("libtool-triple"),
      ]);
      const whole = parseLogText(bytes, { file: "x.log" });
      const streamed = await collect(parseLog(chunksOf(bytes, size), { file: "x.log" }));
      expect(streamed.steps).toEqual(whole.steps);
      expect(streamed.end?.summary).toEqual(whole.summary);
    });
  }

  it("rejects a binary file", async () => {
    await expect(collect(parseLog(chunksOf(Buffer.from("gcc\0-c a.c\n"), 4)))).rejects.toThrow(/binary file/);
  });

  it("ends with a summary for empty input", async () => {
    const result = await collect(parseLog(chunksOf(Buffer.alloc(0), 1)));
    expect(result.end?.summary.lines).toBe(0);
  });
});

describe("ContinuationJoiner", () => {
  it("joins an odd number of trailing backslashes", () => {
    const joiner = new ContinuationJoiner();
    const lines = joiner.push([
      { text: "gcc \\", line: 1, latin1: false },
      { text: "-c a.c", line: 2, latin1: false },
    ]);
    expect(lines).toEqual([{ text: "gcc -c a.c", startLine: 1, endLine: 2, latin1: false }]);
  });

  it("keeps an escaped backslash at the end", () => {
    const joiner = new ContinuationJoiner();
    expect(joiner.push([{ text: "echo a\\\\", line: 1, latin1: false }])).toHaveLength(1);
  });

  it("returns an unfinished continuation at the end", () => {
    const joiner = new ContinuationJoiner();
    joiner.push([{ text: "gcc \\", line: 1, latin1: false }]);
    expect(joiner.finish()).toEqual([{ text: "gcc ", startLine: 1, endLine: 1, latin1: false }]);
  });
});

describe("stripControlSequences", () => {
  it("removes colour and erase sequences", () => {
    expect(stripControlSequences("\x1b[01;35m\x1b[Kwarning: \x1b[m\x1b[Kx")).toBe("warning: x");
  });

  it("leaves plain text alone", () => {
    expect(stripControlSequences("gcc -c a.c")).toBe("gcc -c a.c");
  });
});

describe("latin1 decoding", () => {
  it("round-trips the bytes of a path", () => {
    const parsed = parseLogText(fixture("latin1-bytes"));
    const step = parsed.steps[0];
    expect(step?.encoding).toBe("latin1");
    expect(Buffer.from(step?.kind === "compile" ? step.source : "", "latin1")).toEqual(
      Buffer.from([0x72, 0xe9, 0x73, 0x75, 0x6d, 0xe9, 0x2e, 0x63]),
    );
  });
});
