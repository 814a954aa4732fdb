import { describe, expect, it } from "vitest";
import { loadScanRules } from "../../src/rules/scan/load.js";
import { compileRules } from "../../src/scan/compile.js";
import { scanLexedSource } from "../../src/scan/file-scan.js";
import { transferablesOf, unpackLexedSource } from "../../src/scan/lexed-transfer.js";
import { lexWarmUpFiles } from "../../src/scan/warm-up.js";

const compiled = compileRules(loadScanRules());

/** Lex the warm-up files, move them as postMessage would, and unpack them. */
function receivedWarmUpFiles() {
  return lexWarmUpFiles(compiled, {}).map(({ path, lexed }) => ({
    path,
    source: unpackLexedSource(structuredClone(lexed, { transfer: transferablesOf(lexed) })),
  }));
}

describe("lexWarmUpFiles", () => {
  const files = receivedWarmUpFiles();
  const c = files.find((file) => file.path.endsWith(".c"));
  const cpp = files.find((file) => file.path.endsWith(".cpp"));

  it("lexes the source as C and as C++", () => {
    expect(files.map((file) => file.path)).toEqual(["warm-up.c", "warm-up.cpp"]);
  });

  it("reaches the K&R definition", () => {
    expect(c?.source.top?.definedFunctions.has("old_style")).toBe(true);
  });

  it("reaches the macro for static", () => {
    const externalNames = (c?.source.top?.externalNames ?? []).map((token) =>
      c?.source.file.bytes.toString("latin1", c.source.file.starts[token], c.source.file.ends[token]),
    );
    expect(externalNames).toContain("old_style");
    expect(externalNames).not.toContain("helper");
  });

  it("reaches the namespace in C++ only", () => {
    expect(cpp?.source.top?.definedFunctions.has("inner")).toBe(true);
    expect(c?.source.top?.definedFunctions.has("inner")).toBe(false);
  });

  it("reaches the type and call matchers", () => {
    const scan = c ? scanLexedSource(c.source, c.path, compiled, {}) : undefined;
    const ruleIds = new Set(scan?.findings.map((finding) => finding.ruleId));
    for (const ruleId of ["VMS5001", "VMS5002", "VMS1001", "VMS1003", "VMS1005", "VMS3002"])
      expect(ruleIds, ruleId).toContain(ruleId);
  });
});
