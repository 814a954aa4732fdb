/**
 * The parallel parser must give byte for byte the output of one parser reading the whole log, whatever
 * the block boundaries, the number of workers and the guesses that turn out wrong.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BlockSettings,
  ByteBufferPool,
  type HostReply,
  type HostRequest,
  HostRequestQueue,
} from "../../src/log/block-host.js";
import { parseLogText } from "../../src/log/index.js";
import {
  type BlockHostPool,
  BlockSplitter,
  LocalBlockHostPool,
  type ParallelEvent,
  parseInParallel,
} from "../../src/log/parallel.js";
import { createStepFormatter, type ParseFormat } from "../../src/log/step-format.js";

const SAMPLE_LINES = [
  "make[1]: Entering directory '/p/a'",
  "make[1]: Leaving directory '/p/a'",
  "make[2]: Entering directory '/p/a/sub'",
  "make[2]: Verzeichnis „/p/b“ wird betreten",
  "make: Entering directory '/p'",
  "Making all in lib",
  "ninja: Entering directory `build'",
  "gcc -O2 \\",
  "\t-Iinc -c a.c -o a.o",
  "gcc -c a.c -o a.o",
  "gcc -c b.c -o b.o",
  "cc -o prog a.o b.o -lm",
  "cd sub && g++ -std=c++17 -c b.cpp",
  "(cd x; ar rcs libx.a a.o)",
  "libtool: compile:  gcc -c a.c  -fPIC -DPIC -o .libs/a.o",
  "/bin/bash ./libtool --mode=compile gcc -c -o a.lo a.c",
  "  CC       a.lo",
  "a.c:1:2: warning: something",
  "b.c: In function 'main':",
  "b.c:3:1: error: expected ';'",
  "x.h:4:2: note: declared here",
  "/usr/bin/ld: cannot find -lfoo",
  "make: *** [Makefile:3: a.o] Error 1",
  "make[1]: *** [Makefile:9: prog] Error 2",
  "FAILED: a.o",
  "[3/9] /usr/bin/cc -c y.c -o y.o",
  "make -s -C sub all",
  "echo 'unterminated",
  "\x1b[32mcolour\x1b[0m",
  "gcc -c c.c -o c.o\r",
  "",
  "checking for gcc... gcc",
  "for f in a b; do gcc -c $f.c; done",
];

const FORMATS: ParseFormat[] = ["jsonl", "json", "compdb", "text"];

function settingsFor(format: ParseFormat): BlockSettings {
  return { file: "x.log", initialDirectory: ".", responseFileRoots: [], format, baseDirectory: "/base" };
}

function sequentialOutput(bytes: Buffer, format: ParseFormat): string {
  const parsed = parseLogText(bytes, { file: "x.log" });
  const formatter = createStepFormatter(format, "x.log", "/base");
  let text = formatter.start();
  for (const step of parsed.steps) text += formatter.step(step);
  return text + formatter.end(parsed.summary, parsed.diagnostics);
}

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function parallelOutput(
  bytes: Buffer,
  format: ParseFormat,
  pool: BlockHostPool,
  blockBytes: number,
): Promise<string> {
  const formatter = createStepFormatter(format, "x.log", "/base");
  const parts: Buffer[] = [Buffer.from(formatter.start())];
  const events: AsyncIterable<ParallelEvent> = parseInParallel(
    chunksOf(bytes, 7),
    settingsFor(format),
    pool,
    {
      blockBytes,
      maxBlocksInFlight: 3,
    },
  );
  for await (const event of events) {
    if (event.type === "output") {
      formatter.addEntries(event.entries);
      parts.push(Buffer.from(event.output));
      // Given back after the copy, so the property tests also check that reused memory is not corrupted.
      event.recycle();
    } else {
      parts.push(Buffer.from(formatter.end(event.summary, event.diagnostics)));
    }
  }
  return Buffer.concat(parts).toString("utf8");
}

/** A pool that counts the blocks parsed, and those parsed again because their guess did not hold. */
class CountingPool implements BlockHostPool {
  parsed = 0;
  continued = 0;
  constructor(private readonly inner: BlockHostPool) {}
  get size(): number {
    return this.inner.size;
  }
  request(worker: number, request: HostRequest): Promise<HostReply> {
    if (request.type === "parse") this.parsed++;
    if (request.type === "continue") this.continued++;
    return this.inner.request(worker, request);
  }
  recycle(worker: number, output: Uint8Array): void {
    this.inner.recycle(worker, output);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const logFromSamples = fc
  .array(fc.constantFrom(...SAMPLE_LINES), { minLength: 0, maxLength: 80 })
  .map((lines) => Buffer.from(lines.join("\n")));

describe("parseInParallel", () => {
  for (const format of FORMATS) {
    it(`matches one parser in ${format} format`, async () => {
      await fc.assert(
        fc.asyncProperty(
          logFromSamples,
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 8, max: 300 }),
          async (bytes, workers, blockBytes) => {
            const pool = new LocalBlockHostPool(settingsFor(format), workers);
            const parallel = await parallelOutput(bytes, format, pool, blockBytes);
            expect(parallel).toBe(sequentialOutput(bytes, format));
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  // Blocks are kept only once their parser holds a full window of steps, so these logs are mostly steps.
  const stepHeavyLog = fc
    .array(
      fc.oneof(
        { weight: 19, arbitrary: fc.nat({ max: 20 }).map((n) => `gcc -c f${n}.c -o f${n}.o`) },
        { weight: 1, arbitrary: fc.constantFrom(...SAMPLE_LINES) },
      ),
      { minLength: 200, maxLength: 500 },
    )
    .map((lines) => Buffer.from(lines.join("\n")));

  for (const format of ["jsonl", "json"] as const) {
    it(`matches one parser on step-heavy logs in ${format} format`, async () => {
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(
          stepHeavyLog,
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 500, max: 6000 }),
          async (bytes, workers, blockBytes) => {
            const pool = new CountingPool(new LocalBlockHostPool(settingsFor(format), workers));
            const parallel = await parallelOutput(bytes, format, pool, blockBytes);
            expect(parallel).toBe(sequentialOutput(bytes, format));
            accepted += Math.max(0, pool.parsed - 1 - pool.continued);
          },
        ),
        { numRuns: 60 },
      );
      // The runs must have kept some guessed blocks, or only the fallback would have been tested.
      expect(accepted).toBeGreaterThan(0);
    });
  }

  // A tag and the command for the same object can fall into different blocks, in either order.
  const silentRuleLog = fc
    .array(
      fc.oneof(
        { weight: 10, arbitrary: fc.nat({ max: 12 }).map((n) => `gcc -c f${n}.c -o f${n}.o`) },
        { weight: 8, arbitrary: fc.nat({ max: 12 }).map((n) => `  CC      f${n}.o`) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            "make[1]: Entering directory '/p/a'",
            "make[1]: Leaving directory '/p/a'",
          ),
        },
      ),
      { minLength: 150, maxLength: 400 },
    )
    .map((lines) => Buffer.from(lines.join("\n")));

  for (const format of ["jsonl", "text"] as const) {
    it(`matches one parser on silent-rule lines in ${format} format`, async () => {
      await fc.assert(
        fc.asyncProperty(
          silentRuleLog,
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 300, max: 4000 }),
          async (bytes, workers, blockBytes) => {
            const pool = new LocalBlockHostPool(settingsFor(format), workers);
            const parallel = await parallelOutput(bytes, format, pool, blockBytes);
            expect(parallel).toBe(sequentialOutput(bytes, format));
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  for (const [order, last, first] of [
    ["before", "  CC      late.o", "gcc -c late.c -o late.o"],
    ["after", "gcc -c late.c -o late.o", "  CC      late.o"],
  ] as const) {
    it(`parses a block again for a tag ${order} its command`, async () => {
      // The tag and its command sit on both sides of the first block boundary.
      const lines = ["make[1]: Entering directory '/p/a'"];
      for (let k = 0; k < 300; k++) lines.push(`gcc -c f${k}.c -o f${k}.o`);
      lines.push(last);
      const firstBlockBytes = lines.join("\n").length + 1;
      lines.push("make[1]: Nothing to be done for 'docs'.", first);
      for (let k = 0; k < 300; k++) lines.push(`gcc -c g${k}.c -o g${k}.o`);
      const bytes = Buffer.from(lines.join("\n"));
      const sequential = sequentialOutput(bytes, "text");
      const pool = new CountingPool(new LocalBlockHostPool(settingsFor("text"), 2));
      const parallel = await parallelOutput(bytes, "text", pool, firstBlockBytes);
      expect(sequential).toMatch(/silent-rule targets +0/);
      expect(parallel).toBe(sequential);
      expect(pool.continued).toBeGreaterThan(0);
    });
  }

  it("accepts blocks whose guess holds", async () => {
    const lines = ["make[1]: Entering directory '/p/a'"];
    for (let k = 0; k < 400; k++) lines.push(`gcc -c f${k}.c -o f${k}.o`);
    const bytes = Buffer.from(lines.join("\n"));
    const pool = new CountingPool(new LocalBlockHostPool(settingsFor("jsonl"), 2));
    const parallel = await parallelOutput(bytes, "jsonl", pool, 2048);
    expect(parallel).toBe(sequentialOutput(bytes, "jsonl"));
    // Every block but the first starts from a guess; all but the short last one keep their steps.
    expect(pool.parsed).toBeGreaterThan(2);
    expect(pool.continued).toBeLessThanOrEqual(1);
  });

  it("keeps the diagnostic context across accepted blocks", async () => {
    // The context line is in the first block. The blocks after it are kept without setting a context of
    // their own, and the note four blocks on must still find `b.c` through that first context line.
    const compiles = (count: number) => Array.from({ length: count }, () => "gcc -c f0.c -o f0.o");
    const lines = [
      "b.c: In function 'main':",
      ...compiles(200),
      "gcc -c b.c -o b.o",
      ...compiles(40),
      "x.h:4:2: note: declared here",
      ...compiles(60),
    ];
    const bytes = Buffer.from(lines.join("\n"));
    const sequential = sequentialOutput(bytes, "jsonl");
    const pool = new CountingPool(new LocalBlockHostPool(settingsFor("jsonl"), 1));
    const parallel = await parallelOutput(bytes, "jsonl", pool, 1500);
    expect(sequential).toMatch(/"source":"b\.c"/);
    expect(sequential).toMatch(/"note"/);
    expect(parallel).toBe(sequential);
  });

  it("parses a block again when a diagnostic names an earlier block's step", async () => {
    const head = ["make[1]: Entering directory '/p/a'", "gcc -c late.c -o late.o"];
    const bytes = Buffer.from(`${head.join("\n")}\nlate.c:1:1: warning: unused\n`);
    const pool = new CountingPool(new LocalBlockHostPool(settingsFor("jsonl"), 2));
    const parallel = await parallelOutput(bytes, "jsonl", pool, 16);
    expect(parallel).toBe(sequentialOutput(bytes, "jsonl"));
    expect(pool.continued).toBeGreaterThan(0);
  });

  it("accepts a block that repeats a missed lookup", async () => {
    // The second block starts at make's line, and each note about a header there misses its parser's
    // window in the same way. Listed once, the misses are few enough to be checked against the real
    // window, which contains no compile of the header, so the block is kept.
    const lines = ["make[1]: Entering directory '/p/a'"];
    for (let k = 0; k < 600; k++) lines.push(`gcc -c f${k}.c -o f${k}.o`);
    const firstBlockBytes = lines.join("\n").length + 1;
    lines.push("make[1]: Nothing to be done for 'docs'.");
    for (let k = 0; k < 300; k++) lines.push("x.h:4:2: note: declared here");
    for (let k = 0; k < 600; k++) lines.push(`gcc -c g${k}.c -o g${k}.o`);
    const bytes = Buffer.from(lines.join("\n"));
    const pool = new CountingPool(new LocalBlockHostPool(settingsFor("jsonl"), 2));
    const parallel = await parallelOutput(bytes, "jsonl", pool, firstBlockBytes);
    expect(parallel).toBe(sequentialOutput(bytes, "jsonl"));
    expect(pool.parsed).toBeGreaterThan(2);
    expect(pool.continued).toBe(0);
  });

  it("rejects a binary log", async () => {
    const pool = new LocalBlockHostPool(settingsFor("jsonl"), 2);
    await expect(parallelOutput(Buffer.from("gcc\0 -c a.c\n"), "jsonl", pool, 64)).rejects.toThrow(
      /binary file/,
    );
  });

  it("reuses the output memory given back", async () => {
    const lines = Array.from({ length: 300 }, (_, k) => `gcc -c f${k}.c -o f${k}.o`);
    const bytes = Buffer.from(lines.join("\n"));
    const pool = new LocalBlockHostPool(settingsFor("jsonl"), 2);
    const parallel = await parallelOutput(bytes, "jsonl", pool, 2048);
    expect(parallel).toBe(sequentialOutput(bytes, "jsonl"));
    expect(pool.freeBuffers.every((count) => count > 0)).toBe(true);
  });

  it("ends with an empty summary for empty input", async () => {
    const pool = new LocalBlockHostPool(settingsFor("json"), 2);
    const parallel = await parallelOutput(Buffer.alloc(0), "json", pool, 64);
    expect(parallel).toBe(sequentialOutput(Buffer.alloc(0), "json"));
  });
});

describe("BlockSplitter", () => {
  it("cuts only after whole lines", () => {
    const splitter = new BlockSplitter(4);
    const blocks = [...splitter.push("ab\ncdef\ngh"), splitter.finish()];
    expect(blocks.map((block) => Buffer.from(block?.bytes ?? []).toString())).toEqual(["ab\ncdef\n", "gh"]);
  });

  it("counts the lines before each block", () => {
    const splitter = new BlockSplitter(2);
    const blocks = [...splitter.push("a\nb\nc\nd\n")];
    expect(blocks.map((block) => block.linesBefore)).toEqual([0, 1, 2, 3]);
  });

  it("keeps a continued line with the next", () => {
    const splitter = new BlockSplitter(2);
    const blocks = [...splitter.push("gcc \\\n-c a.c\nx\n")];
    expect(Buffer.from(blocks[0]?.bytes ?? []).toString()).toBe("gcc \\\n-c a.c\n");
  });

  it("keeps a continuation before CR LF with the next line", () => {
    const splitter = new BlockSplitter(2);
    const blocks = [...splitter.push("gcc \\\r\n-c a.c\r\nx\n")];
    expect(Buffer.from(blocks[0]?.bytes ?? []).toString()).toBe("gcc \\\r\n-c a.c\r\n");
  });

  it("keeps a continuation before a colour reset with the next line", () => {
    const splitter = new BlockSplitter(2);
    const blocks = [...splitter.push("gcc \\\x1b[0m\n-c a.c\nx\n")];
    expect(Buffer.from(blocks[0]?.bytes ?? []).toString()).toBe("gcc \\\x1b[0m\n-c a.c\n");
  });

  it("cuts after an escaped backslash", () => {
    const splitter = new BlockSplitter(2);
    const blocks = [...splitter.push("echo a\\\\\nb\n")];
    expect(Buffer.from(blocks[0]?.bytes ?? []).toString()).toBe("echo a\\\\\n");
  });

  it("starts a block at a line of make's", () => {
    const splitter = new BlockSplitter(4);
    const log = "x.c:1:1: warning: w\n  1 | int x;\nmake[1]: Leaving directory '/p'\ngcc -c y.c\n";
    const blocks = splitter.push(log);
    expect(Buffer.from(blocks[0]?.bytes ?? []).toString()).toBe("x.c:1:1: warning: w\n  1 | int x;\n");
  });

  it("does not start a block at make's failure report", () => {
    const splitter = new BlockSplitter(4);
    const log = "gcc -c y.c -o y.o\nmake: *** [Makefile:3: y.o] Error 1\nls\n";
    const blocks = splitter.push(log);
    expect(Buffer.from(blocks[0]?.bytes ?? []).toString()).toBe(
      "gcc -c y.c -o y.o\nmake: *** [Makefile:3: y.o] Error 1\n",
    );
  });

  it("starts a block after a group of compiler messages", () => {
    const splitter = new BlockSplitter(4);
    const group = "a.c: In function 'f':\nIn file included from b.h:1,\n  from a.c:2:\nx.h:1:1: note: n\n";
    const blocks = splitter.push(`${group}gcc -c y.c -o y.o\nrest\n`);
    expect(Buffer.from(blocks[0]?.bytes ?? []).toString()).toBe(group);
  });

  it("reuses the memory of a recycled block", () => {
    const splitter = new BlockSplitter(4);
    const [first] = splitter.push("abcd\n");
    if (!first) throw new Error("no block");
    splitter.recycle(first);
    const [second] = splitter.push("efgh\n");
    expect(second?.bytes.buffer).toBe(first.bytes.buffer);
  });

  it("copies the bytes it keeps from a chunk", () => {
    const splitter = new BlockSplitter(8);
    const chunk = Buffer.from("ab\ncd");
    splitter.push(chunk);
    chunk.fill(0x7a);
    const blocks = splitter.push("\nefghij\n");
    expect(Buffer.from(blocks[0]?.bytes ?? []).toString()).toBe("ab\ncd\nefghij\n");
  });
});

describe("ByteBufferPool", () => {
  it("reuses a released buffer", () => {
    const pool = new ByteBufferPool();
    const buffer = pool.acquire(100);
    pool.release(buffer);
    expect(pool.acquire(50)).toBe(buffer);
  });

  it("takes the smallest buffer that fits", () => {
    const pool = new ByteBufferPool();
    const large = pool.acquire(4 << 20);
    const small = pool.acquire(1 << 20);
    pool.release(large);
    pool.release(small);
    expect(pool.acquire(1 << 20)).toBe(small);
  });

  it("allocates when no free buffer fits", () => {
    const pool = new ByteBufferPool();
    const small = pool.acquire(1000);
    pool.release(small);
    expect(pool.acquire(small.byteLength + 1).byteLength).toBeGreaterThan(small.byteLength);
  });

  it("keeps free bytes under its maximum", () => {
    const pool = new ByteBufferPool(1000);
    pool.release(new ArrayBuffer(600));
    pool.release(new ArrayBuffer(700));
    expect(pool.freeCount).toBe(1);
  });

  it("keeps the larger buffer when full", () => {
    const pool = new ByteBufferPool(1000);
    pool.release(new ArrayBuffer(600));
    pool.release(new ArrayBuffer(700));
    expect(pool.acquire(1).byteLength).toBe(700);
  });
});

describe("HostRequestQueue", () => {
  const block = { bytes: new Uint8Array(0), linesBefore: 0 };
  const parse = (parser: number): HostRequest => ({ type: "parse", parser, block, start: undefined });
  const flush = (parser: number): HostRequest => ({ type: "flush", parser, indexOffset: 0, final: false });

  it("handles other requests before parses", () => {
    const queue = new HostRequestQueue<string>();
    queue.push(parse(1), "parse 1");
    queue.push(flush(0), "flush 0");
    expect(queue.shift()).toBe("flush 0");
  });

  it("keeps parses in order", () => {
    const queue = new HostRequestQueue<string>();
    queue.push(parse(1), "parse 1");
    queue.push(parse(2), "parse 2");
    queue.push(flush(0), "flush 0");
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual(["flush 0", "parse 1", "parse 2"]);
  });

  it("keeps other requests in order", () => {
    const queue = new HostRequestQueue<string>();
    queue.push({ type: "continue", parser: 0, block }, "continue 0");
    queue.push(flush(0), "flush 0");
    queue.push({ type: "drop", parser: 1 }, "drop 1");
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual(["continue 0", "flush 0", "drop 1"]);
  });

  it("counts what it holds", () => {
    const queue = new HostRequestQueue<string>();
    queue.push(parse(1), "parse 1");
    queue.push(flush(0), "flush 0");
    queue.shift();
    expect(queue.size).toBe(1);
  });
});
