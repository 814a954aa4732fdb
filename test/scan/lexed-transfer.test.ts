import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScanRules } from "../../src/rules/scan/load.js";
import { compileRules } from "../../src/scan/compile.js";
import {
  lexFileBytes,
  readSourceTopLevel,
  scanFileBytes,
  scanLexedSource,
} from "../../src/scan/file-scan.js";
import {
  packedTokenBytes,
  packLexedSource,
  TokenBuffer,
  transferablesOf,
  unpackLexedSource,
} from "../../src/scan/lexed-transfer.js";

const compiled = compileRules(loadScanRules());
const options = {};

/** Copy `text` into a Buffer that owns its whole ArrayBuffer, as `readSelectedFile` returns it. */
function ownedBuffer(text: string | Buffer): Buffer {
  const source = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const owned = Buffer.allocUnsafeSlow(source.length);
  source.copy(owned);
  return owned;
}

/** Lex, read the top level if `withTopLevel`, pack, clone as postMessage would, unpack and scan. */
function scanThroughTransfer(content: Buffer, path: string, withTopLevel = false) {
  const source = lexFileBytes(content, path, compiled, options);
  const packed = packLexedSource(withTopLevel ? readSourceTopLevel(source, path, compiled) : source);
  const received = structuredClone(packed, { transfer: transferablesOf(packed) });
  return scanLexedSource(unpackLexedSource(received), path, compiled, options);
}

const SAMPLE = [
  "#include <unistd.h>",
  "#ifdef __linux__",
  "#include <sys/epoll.h>",
  "#endif",
  "// vmsport-ignore-next-line[VMS1001]: checked",
  "int run(void) { return fork(); }",
  'int main(void) { const char *s = "été"; return select(0, 0, 0, 0, 0) + run(); }',
  "",
].join("\n");

describe("packLexedSource", () => {
  it("keeps the scan result", () => {
    const expected = scanFileBytes(ownedBuffer(SAMPLE), "sample.c", compiled, options);
    expect(scanThroughTransfer(ownedBuffer(SAMPLE), "sample.c")).toEqual(expected);
  });

  it("keeps the top-level reading", () => {
    const expected = scanFileBytes(ownedBuffer(SAMPLE), "sample.c", compiled, options);
    expect(scanThroughTransfer(ownedBuffer(SAMPLE), "sample.c", true)).toEqual(expected);
  });

  it("carries the top level across", () => {
    const source = readSourceTopLevel(
      lexFileBytes(ownedBuffer(SAMPLE), "sample.c", compiled, options),
      "sample.c",
      compiled,
    );
    const packed = packLexedSource(source);
    const received = unpackLexedSource(structuredClone(packed, { transfer: transferablesOf(packed) }));
    expect(received.top?.definedFunctions).toEqual(new Set(["run", "main"]));
    expect(received.top?.functions.map((body) => body.name)).toEqual(["run", "main"]);
  });

  it("keeps a byte order mark out of the text", () => {
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]);
    const expected = scanFileBytes(ownedBuffer(content), "bom.c", compiled, options);
    expect(scanThroughTransfer(ownedBuffer(content), "bom.c")).toEqual(expected);
  });

  it("keeps an ISO-8859-1 file", () => {
    const text = Buffer.from(`/* caf\xe9 */\n${SAMPLE}`, "latin1");
    const expected = scanFileBytes(ownedBuffer(text), "latin1.c", compiled, options);
    const result = scanThroughTransfer(ownedBuffer(text), "latin1.c");
    expect(result.encoding).toBe("iso-8859-1");
    expect(result).toEqual(expected);
  });

  it("handles an empty file", () => {
    const result = scanThroughTransfer(ownedBuffer(""), "empty.c");
    expect(result.lines).toBe(1);
    expect(result.findings).toEqual([]);
  });

  it("shares one token buffer between files", () => {
    const texts = [SAMPLE, `/* second */\nint g(void) { return fork(); }\n`, ""];
    const paths = ["one.c", "two.cpp", "three.c"];
    const expected = texts.map((text, index) =>
      scanFileBytes(ownedBuffer(text), paths[index] as string, compiled, options),
    );
    const tokens = new TokenBuffer(64 * 1024);
    const packed = texts.map((text, index) => {
      const path = paths[index] as string;
      return packLexedSource(
        readSourceTopLevel(lexFileBytes(ownedBuffer(text), path, compiled, options), path, compiled),
        tokens,
      );
    });
    expect(packed.map((file) => file.tokensOffset % 4)).toEqual([0, 0, 0]);
    const transfer = [...packed.map((file) => file.content), tokens.buffer];
    const received = structuredClone(packed, { transfer });
    const scans = received.map((file, index) =>
      scanLexedSource(unpackLexedSource(file), paths[index] as string, compiled, options),
    );
    expect(scans).toEqual(expected);
  });

  it("fills a token buffer from the front", () => {
    const source = lexFileBytes(ownedBuffer(SAMPLE), "sample.c", compiled, options);
    const size = packedTokenBytes(source.file);
    const tokens = new TokenBuffer(size * 2);
    expect(packLexedSource(source, tokens).tokensOffset).toBe(0);
    expect(packLexedSource(source, tokens).tokensOffset).toBe(size);
    expect(tokens.fits(1)).toBe(false);
  });

  it("rejects a full token buffer", () => {
    const source = lexFileBytes(ownedBuffer(SAMPLE), "sample.c", compiled, options);
    const tokens = new TokenBuffer(packedTokenBytes(source.file) - 4);
    expect(() => packLexedSource(source, tokens)).toThrow(/too small/);
  });

  it("rejects a buffer from the pool", () => {
    const pooled = Buffer.from("int x;");
    expect(() => packLexedSource(lexFileBytes(pooled, "pooled.c", compiled, options))).toThrow(
      /owns its whole ArrayBuffer/,
    );
  });

  it("matches a direct scan for any source", () => {
    const piece = fc.constantFrom(
      "fork();",
      "#if 0\n",
      "#ifdef __VMS\n",
      "#else\n",
      "#endif\n",
      "#define X 1\n",
      '"str"',
      "/* c */",
      "// l\n",
      "\\\n",
      "\r\n",
      "select(0,0,0,0,0);",
      "int main(void) {",
      "}",
      "é",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join(" ");
        const expected = scanFileBytes(ownedBuffer(text), "any.c", compiled, options);
        expect(scanThroughTransfer(ownedBuffer(text), "any.c")).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
