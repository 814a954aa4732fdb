import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ruleFileFamily } from "../../src/rules/kind.js";

const file = (name: string, text: string): string => {
  const target = path.join(mkdtempSync(path.join(tmpdir(), "vmsport-kind-")), name);
  writeFileSync(target, text);
  return target;
};

describe("ruleFileFamily", () => {
  it("reads a YAML kind", () => {
    expect(ruleFileFamily(file("a.yaml", "# comment\nkind: translate-flags\nrules: []\n"))).toBe("translate");
  });

  it("reads a quoted kind", () => {
    expect(ruleFileFamily(file("a.yaml", 'kind: "scan"  # scanner rules\n'))).toBe("scan");
  });

  it("reads a JSON kind", () => {
    expect(ruleFileFamily(file("a.json", '{\n  "rules": [],\n  "kind": "crtl"\n}\n'))).toBe("crtl");
  });

  it("ignores an indented kind", () => {
    expect(() => ruleFileFamily(file("a.yaml", "rules:\n  - kind: scan\n"))).toThrow(/no top-level kind/);
  });

  it("names an unknown kind and its line", () => {
    expect(() => ruleFileFamily(file("a.yaml", "\nkind: lint\n"))).toThrow(/unknown kind "lint"/);
  });
});
