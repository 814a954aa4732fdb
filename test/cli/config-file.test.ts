import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findConfigFile, loadConfig } from "../../src/cli/config-file.js";

function tree(): string {
  const root = mkdtempSync(path.join(tmpdir(), "vmsport-config-"));
  mkdirSync(path.join(root, "repo", ".git"), { recursive: true });
  mkdirSync(path.join(root, "repo", "src", "lib"), { recursive: true });
  return root;
}

describe("findConfigFile", () => {
  it("finds the file in a parent directory", () => {
    const root = tree();
    const file = path.join(root, "repo", "vmsport.config.json");
    writeFileSync(file, "{}");
    expect(findConfigFile(path.join(root, "repo", "src", "lib"))).toBe(file);
  });

  it("stops at the repository root", () => {
    const root = tree();
    writeFileSync(path.join(root, "vmsport.config.json"), "{}");
    expect(findConfigFile(path.join(root, "repo", "src"))).toBeUndefined();
  });

  it("prefers JSON over YAML in one directory", () => {
    const root = tree();
    writeFileSync(path.join(root, "repo", "vmsport.config.yaml"), "target: ia64\n");
    writeFileSync(path.join(root, "repo", "vmsport.config.json"), "{}");
    expect(findConfigFile(path.join(root, "repo"))).toBe(path.join(root, "repo", "vmsport.config.json"));
  });
});

describe("loadConfig", () => {
  it("loads YAML settings", async () => {
    const root = tree();
    writeFileSync(path.join(root, "repo", "vmsport.config.yaml"), "target: ia64\nscan:\n  failOn: error\n");
    const loaded = await loadConfig(undefined, path.join(root, "repo", "src"));
    expect(loaded.settings).toEqual({ target: "ia64", scan: { failOn: "error" } });
    expect(loaded.directory).toBe(path.join(root, "repo"));
  });

  it("returns empty settings without a file", async () => {
    const root = tree();
    const loaded = await loadConfig(undefined, path.join(root, "repo"));
    expect(loaded.file).toBeUndefined();
    expect(loaded.settings).toEqual({});
  });

  it("rejects a missing explicit file", async () => {
    await expect(loadConfig("/nonexistent/vmsport.config.json", "/")).rejects.toThrow(/not found/);
  });

  it("locates an invalid setting", async () => {
    const root = tree();
    const file = path.join(root, "repo", "vmsport.config.yaml");
    writeFileSync(file, "target: x86_64\npointerSize: 48\n");
    await expect(loadConfig(undefined, path.join(root, "repo"))).rejects.toMatchObject({
      location: { file, line: 2, column: 14 },
    });
  });
});
